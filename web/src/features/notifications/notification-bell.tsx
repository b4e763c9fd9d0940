import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../app/ui.tsx';
import { PageBoundary } from '../../app/page-boundary.tsx';
import { useOnFirstUse } from '../../app/first-use.ts';
import { notificationKeys, notificationsApi, type AppNotification } from './notifications-api.ts';

// The list is its own chunk (every staff screen shows the bell, few open it): fetched at the page's first use.
const notificationList = () => import('./notification-list.tsx');
const NotificationList = lazy(async () => ({ default: (await notificationList()).NotificationList }));
const preloadList = () => void notificationList().catch(() => undefined);

/**
 * The staff bell (review 2026-12-07, item 12): the unread count in the top bar, kept live by the event stream
 * (lib/live.tsx invalidates ['notifications'] when this person's notifications change), and a panel listing
 * them newest first — said in the reader's language with times in their zone, each linking to its ticket.
 * A disclosure (button + region), not a dialog: the page behind stays usable.
 */
export function NotificationBell() {
  const { t } = useTranslation('agentday');
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement | null>(null);
  const button = useRef<HTMLButtonElement | null>(null);
  const qc = useQueryClient();
  const pages = useInfiniteQuery({
    queryKey: notificationKeys.page,
    queryFn: ({ pageParam }) => notificationsApi.list(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const unread = pages.data?.pages[0]?.unread_count ?? 0;
  const items = pages.data?.pages.flatMap((p) => p.data) ?? [];
  useOnFirstUse(preloadList);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const refresh = () => void qc.invalidateQueries({ queryKey: notificationKeys.all });
  const markAll = async () => {
    await notificationsApi.markAllRead();
    refresh();
  };
  const openOne = (n: AppNotification) => {
    setOpen(false);
    if (!n.read_at) void notificationsApi.markRead(n.id).then(refresh);
  };

  return (
    <div className="bell" ref={root}>
      <button ref={button} type="button" className="bell-button" aria-expanded={open} aria-controls={panelId} data-testid="bell" onClick={() => setOpen((o) => !o)}
        aria-label={unread ? t('bell.labelUnread', { count: unread }) : t('bell.label')}>
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" /></svg>
        {unread ? <span className="bell-count" data-testid="bell-count">{unread > 99 ? '99+' : unread}</span> : null}
      </button>
      {open ? (
        <section id={panelId} className="bell-panel" aria-label={t('bell.title')} data-testid="bell-panel">
          <header className="bell-head">
            <h2>{t('bell.title')}</h2>
            <button type="button" className="link-button" onClick={() => void markAll()} disabled={!unread} data-testid="bell-read-all">{t('bell.markAll')}</button>
          </header>
          <ErrorBanner error={pages.error} />
          {items.length === 0 && !pages.isFetching ? <p className="muted small">{t('bell.empty')}</p> : null}
          {/* The list's code and the escalation actions' names (in the admin words) arrive when it first opens. */}
          <PageBoundary>
            <NotificationList items={items} onOpen={openOne} onRead={(n) => void notificationsApi.markRead(n.id).then(refresh)} />
          </PageBoundary>
          {pages.hasNextPage ? (
            <button type="button" className="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage} data-testid="bell-more">{t('bell.more')}</button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
