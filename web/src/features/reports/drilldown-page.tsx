import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading } from '../../app/ui.tsx';
import { formatDateTime, formatDuration } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { csvHref } from './report-query.ts';
import { DRILL_KPIS, reportsApi, type DrillKpi } from './reports-api.ts';

/** /reports/tickets?kpi=…&from=…&to=…&<filter>: the tickets behind one number of the Reports screen, and as CSV. */
const HEATMAP_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function DrillDownPage() {
  const { t } = useTranslation('reports');
  const [search] = useSearchParams();
  const query = Object.fromEntries([...search.entries()].filter(([k]) => k !== 'kpi'));
  const kpi: DrillKpi = DRILL_KPIS.find((k) => k === search.get('kpi')) ?? 'volume';
  const title = t(`kpi.drillTitles.${kpi}`);
  usePageTitle(title);
  const list = useLoad(['reports', 'drill', kpi, query], () => reportsApi.kpiTickets(query, kpi));
  const none = t('none');
  // A heatmap cell (weekday 1 = Monday … 7 and hour in the zone) narrows the list to that hour of the week.
  const cellDay = query.weekday && query.hour ? HEATMAP_DAYS[Number(query.weekday) - 1] : undefined;
  return (
    <div data-testid="report-drilldown">
      <p><Link to="/reports">{t('kpi.back')}</Link></p>
      <h1>{title}</h1>
      <p className="muted">{t('kpi.drillPeriod', { from: formatDateTime(query.from), to: formatDateTime(query.to) })}</p>
      {cellDay ? <p className="muted" data-testid="drill-cell">{t('kpi.drillCell', { day: t(`kpi.heatmap.days.${cellDay}`), hour: String(query.hour).padStart(2, '0'), zone: query.zone ?? 'UTC' })}</p> : null}
      <p><a href={csvHref('kpis/tickets', { ...query, kpi })} download className="button secondary" data-testid="drill-csv">{t('kpi.csv')}</a></p>
      <ErrorBanner error={list.error} />
      {!list.data ? (list.error ? null : <Loading />) : list.data.data.length === 0 ? <p>{t('kpi.empty')}</p> : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="drill-cap"><table className="table" data-testid="drill-table">
          <caption id="drill-cap">{t('kpi.drillCaption', { n: list.data.data.length })}</caption>
          <thead><tr>
            <th scope="col">{t('kpi.columns.ticket')}</th><th scope="col">{t('kpi.columns.subject')}</th><th scope="col">{t('kpi.columns.status')}</th>
            <th scope="col">{t('kpi.columns.created')}</th><th scope="col">{t('kpi.columns.solved')}</th><th scope="col">{t('kpi.columns.minutes')}</th>
          </tr></thead>
          <tbody>
            {list.data.data.map((r) => (
              <tr key={r.number}>
                <th scope="row"><Link to={`/tickets/${r.number}`}>#{r.number}</Link></th>
                <td>{r.subject}</td>
                <td>{t(`common:status.${r.status}`, { defaultValue: r.status })}</td>
                <td>{formatDateTime(r.created_at)}</td>
                <td>{r.solved_at ? formatDateTime(r.solved_at) : none}</td>
                <td>{r.minutes === null ? none : formatDuration(r.minutes * 60_000)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </div>
  );
}
