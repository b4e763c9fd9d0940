import { useEffect } from 'react';

/** Names the page in the browser tab and history ("Queue · Replyby"). */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Replyby` : 'Replyby';
  }, [title]);
}
