import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading } from '../../app/ui.tsx';
import { call, client, type Ticket } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';

/** The queue, page by page in its own order (next due first), up to what a person would print. */
async function wholeQueue(max = 2000): Promise<Ticket[]> {
  const all: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page: { data: Ticket[]; next_cursor: string | null } = await call(client.GET('/api/v1/queue', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
    all.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && all.length < max);
  return all;
}

/**
 * The manual fallback (docs/surge.md): the open queue as a printable page, ordered by what is due first, with
 * each request's promise and due time — for the day the system is half down. The print stylesheet hides the
 * navigation and keeps rows whole across pages.
 */
export function PrintQueuePage() {
  const { t } = useTranslation('operations');
  usePageTitle(t('status:print.title'));
  const [rows, setRows] = useState<Ticket[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [printedAt] = useState(() => new Date().toISOString());
  useEffect(() => {
    wholeQueue().then(setRows, setError);
  }, []);
  if (error) return <ErrorBanner error={error} />;
  if (!rows) return <Loading />;
  return (
    <div className="print-queue" data-testid="print-queue">
      <div className="page-head">
        <h1>{t('status:print.title')}</h1>
        <p className="no-print">
          <button type="button" className="button primary" onClick={() => window.print()} data-testid="print-button">{t('print.print')}</button>{' '}
          <a href="/api/v1/queue.csv" download>{t('admin.queueCsv')}</a>
        </p>
      </div>
      <p className="muted small">{t('print.meta', { count: rows.length, at: formatDateTime(printedAt) })}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('print.ticket')}</th><th scope="col">{t('print.subject')}</th><th scope="col">{t('print.requester')}</th>
            <th scope="col">{t('print.status')}</th><th scope="col">{t('print.assignee')}</th><th scope="col">{t('print.due')}</th><th scope="col">{t('print.promise')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.display_number}</td>
              <td>{r.subject}</td>
              <td>{r.requester.name ?? r.requester.email}<br /><span className="small">{r.requester.email}</span></td>
              <td>{r.status} · {r.priority}</td>
              <td>{r.assignee?.name ?? '—'}</td>
              <td>{formatDateTime(r.sla?.next_due_at ?? null)}</td>
              <td>{formatDateTime(r.promise?.promised_at ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
