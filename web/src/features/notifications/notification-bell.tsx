import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorBanner, Loading } from '../../app/ui.tsx';
import { useWords } from '../../i18n/i18n.ts';
import { formatDateTime, formatWhen } from '../../lib/format.ts';
import { humanize } from '../../lib/api.ts';
import { notificationKeys, notificationsApi, type AppNotification } from './notifications-api.ts';

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
          {/* The escalation actions are named in the admin words, fetched when the list first opens. */}
          <Suspense fallback={<Loading label={t('common:loading')} />}>
          <ul className="bell-list">
            {items.map((n) => (
              <li key={n.id} className={n.read_at ? 'read' : 'unread'} data-testid="bell-item" data-read={n.read_at ? 'true' : 'false'}>
                {n.ticket_number !== null ? (
                  <Link to={`/tickets/${n.ticket_number}`} onClick={() => openOne(n)}><NotificationText n={n} /></Link>
                ) : (
                  <NotificationText n={n} />
                )}
                <span className="muted small">
                  <time dateTime={n.created_at}>{formatWhen(n.created_at)}</time>
                  {n.read_at ? null : (
                    <>
                      {' · '}
                      <button type="button" className="link-button" onClick={() => void notificationsApi.markRead(n.id).then(refresh)} data-testid="bell-read-one">{t('bell.markOne')}</button>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
          </Suspense>
          {pages.hasNextPage ? (
            <button type="button" className="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage} data-testid="bell-more">{t('bell.more')}</button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

/** What happened, in the reader's language, from the notification's facts; its English title only for kinds this screen does not know. */
function NotificationText({ n }: { n: AppNotification }) {
  const { t, i18n } = useTranslation('agentday');
  useWords(i18n.language, 'admin');
  const d = n.data;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const ref = n.ticket_number !== null ? `#${n.ticket_number}` : '';
  const metric = str(d.metric) ? t(`workspace:sla.metric.${str(d.metric)}`, { defaultValue: humanize(str(d.metric)) }) : '';
  const kind = n.kind.replace(/\./g, '_');
  const known = ['sla_warning', 'sla_breach', 'sla_escalation', 'ticket_auto_solved'].includes(kind);
  const action = str(d.action) ? t(`admin:pol.esc.${str(d.action)}`, { defaultValue: humanize(str(d.action)) }) : '';
  return (
    <span className="bell-text">
      <strong>{known ? t(`bell.kind.${kind}`, { ref, metric, level: String(d.level ?? ''), action }) : n.title}</strong>
      {n.ticket_subject ? <span className="small"> {n.ticket_subject}</span> : null}
      {str(d.due_at) ? <span className="small muted"> · {t('bell.due', { when: formatDateTime(str(d.due_at)) })}</span> : null}
    </span>
  );
}
