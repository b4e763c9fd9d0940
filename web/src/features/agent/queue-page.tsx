import { useEffect, useMemo, useState } from 'react';
import { api, type Ticket } from '../../lib/api.ts';
import { STATUS_LABELS, label } from '../../lib/format.ts';
import { Link } from 'react-router';
import { keys, useLoad, useNow } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, priorityTone, statusTone } from '../../app/ui.tsx';
import { SlaCell } from './sla.tsx';

const REFRESH_MS = 30_000;

function matches(t: Ticket, q: string): boolean {
  if (!q) return true;
  const n = q.replace(/^#/, '').toLowerCase();
  return (
    String(t.number) === n ||
    t.display_number.toLowerCase().includes(q.toLowerCase()) ||
    t.subject.toLowerCase().includes(n) ||
    (t.requester.name ?? '').toLowerCase().includes(n) ||
    t.requester.email.toLowerCase().includes(n)
  );
}

export function QueuePage() {
  const queue = useLoad(keys.ticketList('queue'), () => api.queue());
  const now = useNow(10_000);
  const [filter, setFilter] = useState('');
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);

  useEffect(() => {
    const t = window.setInterval(() => void queue.reload(), REFRESH_MS);
    return () => window.clearInterval(t);
  }, [queue.reload]);

  useEffect(() => {
    if (queue.data) setUpdatedAt(Date.now());
  }, [queue.data]);

  const rows = useMemo(() => (queue.data?.data ?? []).filter((t) => matches(t, filter.trim())), [queue.data, filter]);

  return (
    <>
      <div className="page-head">
        <h1>Queue</h1>
        <div className="page-tools">
          <input type="search" placeholder="Filter by #, subject, requester" aria-label="Filter queue"
            data-testid="queue-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" className="button" onClick={() => void queue.reload()} disabled={queue.loading}
            data-testid="queue-refresh">
            {queue.loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      <ErrorBanner error={queue.error} />
      {queue.data === undefined ? (
        queue.error ? null : <Loading />
      ) : (
        <>
          <p className="muted small">
            {rows.length} of {queue.data.data.length} tickets
            {updatedAt ? ` · updated ${new Date(updatedAt).toLocaleTimeString()}` : ''} · refreshes every 30 s
          </p>
          <div className="table-wrap">
            <table className="table queue" data-testid="queue-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Requester</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Status</th>
                  <th scope="col">Group</th>
                  <th scope="col">Assignee</th>
                  <th scope="col">SLA</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={8} className="muted center">
                      {filter ? 'No tickets match the filter.' : 'The queue is empty. Nice work.'}
                    </td>
                  </tr>
                ) : null}
                {rows.map((t) => (
                  <tr key={t.id} data-testid={`queue-row-${t.number}`} data-number={t.number}>
                    <td className="num">
                      <Link to={`/tickets/${t.number}`}>{t.display_number}</Link>
                    </td>
                    <td className="subject">
                      <Link to={`/tickets/${t.number}`} data-testid="queue-subject">
                        {t.subject}
                      </Link>
                    </td>
                    <td>
                      <span className="requester">{t.requester.name || t.requester.email}</span>
                      {t.organization ? <span className="muted small"> · {t.organization.name}</span> : null}
                    </td>
                    <td>
                      <Badge tone={priorityTone(t.priority)}>{label(t.priority)}</Badge>
                    </td>
                    <td>
                      <Badge tone={statusTone(t.status)}>{STATUS_LABELS[t.status] ?? label(t.status)}</Badge>
                    </td>
                    <td>{t.group?.name ?? <span className="muted">—</span>}</td>
                    <td>{t.assignee?.name ?? <span className="muted">Unassigned</span>}</td>
                    <td>
                      <SlaCell sla={t.sla} now={now} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
