import { useTranslation } from 'react-i18next';
import { splitLinks } from '../lib/linkify.ts';

/**
 * Message text with its http(s) addresses as links (lib/linkify.ts decides what is a link). They open in a
 * new tab without handing it `window.opener` or the page's address (rel noopener noreferrer), and say so to
 * screen readers; `nofollow` because customers and mail write them.
 */
export function LinkedText({ text }: { text: string }) {
  const { t } = useTranslation('merge');
  return (
    <>
      {splitLinks(text).map((p, i) =>
        p.kind === 'text' ? (
          <span key={i}>{p.text}</span>
        ) : (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer nofollow" data-testid="message-link">
            {p.text}
            <span className="sr-only"> {t('portal.opensNewTab')}</span>
          </a>
        ),
      )}
    </>
  );
}
