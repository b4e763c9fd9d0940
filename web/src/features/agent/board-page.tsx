import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { keys, useLoad } from '../../lib/query.ts';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading } from '../../app/ui.tsx';

/** Supervisor live board; refreshed by live ticket events (its query key sits under `tickets`). */
export function BoardPage() {
  const { t } = useTranslation('workspace');
  usePageTitle(t('board.title'));
  const board = useLoad(keys.board, () => api.board());
  const b = board.data;
  const groups = [...new Set((b?.by_group ?? []).map((r) => r.group_name ?? t('board.noGroup')))];
  const statuses = ['new', 'open', 'pending', 'on_hold'];
  return (
    <div data-testid="board">
      <h1>{t('board.title')}</h1>
      <ErrorBanner error={board.error} />
      {!b ? <Loading /> : (
        <div className="board-grid">
          <section className="panel" aria-labelledby="bg-h">
            <h2 id="bg-h">{t('board.byGroup')}</h2>
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="bg-h"><table className="table">
              <thead><tr><th scope="col">{t('columns.group')}</th>{statuses.map((s) => <th key={s} scope="col">{t(`status.${s}`)}</th>)}</tr></thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g}>
                    <th scope="row">{g}</th>
                    {statuses.map((s) => <td key={s}>{b.by_group.find((r) => (r.group_name ?? t('board.noGroup')) === g && r.status === s)?.count ?? 0}</td>)}
                  </tr>
                ))}
              </tbody>
            </table></div>
          </section>
          <section className="panel" aria-labelledby="bd-h">
            <h2 id="bd-h">{t('board.dueNextHour', { count: b.due_next_hour.length })}</h2>
            <ul className="related" data-testid="board-due">
              {b.due_next_hour.map((r) => <li key={r.id}><Link to={`/tickets/${r.number}`}>#{r.number} {r.subject}</Link> · {formatDateTime(r.due_at)}</li>)}
            </ul>
          </section>
          <section className="panel" aria-labelledby="bb-h">
            <h2 id="bb-h">{t('board.breachedNow', { count: b.breached_now.length })}</h2>
            <ul className="related" data-testid="board-breached">
              {b.breached_now.map((r) => <li key={r.id}><Link to={`/tickets/${r.number}`}>#{r.number} {r.subject}</Link> · {r.assignee_name ?? t('queue.unassigned')}</li>)}
            </ul>
          </section>
          <section className="panel board-wide" aria-labelledby="ba-h">
            <h2 id="ba-h">{t('board.agents')}</h2>
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="ba-h"><table className="table" data-testid="board-agents">
              <thead>
                <tr>
                  <th scope="col">{t('board.agent')}</th><th scope="col">{t('board.online')}</th><th scope="col">{t('board.load')}</th>
                  <th scope="col">{t('display:board.capacity')}</th><th scope="col">{t('display:board.dueHour')}</th><th scope="col">{t('display:board.breached')}</th>
                </tr>
              </thead>
              <tbody>
                {b.agents.map((a) => (
                  <tr key={a.id} data-testid="board-agent" data-load={a.load_percent ?? ''}>
                    <th scope="row">{a.name}</th>
                    <td>{a.online ? t('board.yes') : t('board.no')}</td>
                    <td>{a.open_assigned}</td>
                    <td>
                      {a.capacity === null || a.capacity === undefined || a.load_percent === null || a.load_percent === undefined
                        ? <span className="muted" title={t('display:board.noRouting')}>—</span>
                        : <LoadBar percent={a.load_percent} label={t('display:board.loadOf', { percent: a.load_percent, count: a.capacity })} />}
                    </td>
                    <td>{a.due_next_hour}</td>
                    <td>{a.breached_now ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table></div>
          </section>
        </div>
      )}
    </div>
  );
}

/** An agent's open tickets against routing's capacity: the % in words, a bar beside it (red at or over 100 %). */
function LoadBar({ percent, label }: { percent: number; label: string }) {
  return (
    <span className={`load ${percent >= 100 ? 'load-full' : percent >= 80 ? 'load-high' : ''}`}>
      <span className="load-text">{label}</span>
      <span className="load-bar" aria-hidden="true"><span style={{ width: `${Math.min(100, percent)}%` }} /></span>
    </span>
  );
}
