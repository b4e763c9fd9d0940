import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorBanner, Loading, Options, SelectField } from '../../app/ui.tsx';
import { api, humanize } from '../../lib/api.ts';
import { displayTimeZone, formatDuration } from '../../lib/format.ts';
import { keys, useLoad, type Loaded } from '../../lib/query.ts';
import { useOnFirstUse } from '../../app/first-use.ts';
import { Chart, preloadCharts } from './chart.tsx';
import { csvHref, drillHref, FILTER_KEYS, filterFromSearch, filterToSearch, heatLevel, PERIOD_DAYS, periodOf, reportQuery, type ReportFilter } from './report-query.ts';
import './reports.css';
import { BREAKDOWN_BY, reportsApi, type BreakdownBy, type BreakdownRow, type DrillKpi, type Durations, type KpiSummary } from './reports-api.ts';

// The supervisor's KPIs (docs/kpis.md) on the Reports screen: the filter (kept in the URL), KPI cards, the trend,
// a breakdown and the heatmap, each chart beside a table with the same numbers, every number a link to the tickets
// behind it, every table downloadable as CSV.

type T = (key: string, opts?: Record<string, unknown>) => string;
const COLORS = { arrivals: '#2563eb', solved: '#16a34a', backlog: '#d97706', bar: '#7c3aed' } as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const minutes = (m: number | null | undefined, none: string) => (m === null || m === undefined ? none : formatDuration(m * 60_000));

export function KpiOverview() {
  const { t } = useTranslation('reports');
  const [search, setSearch] = useSearchParams();
  const viewerZone = displayTimeZone();
  const filter = filterFromSearch(search, viewerZone);
  const [now] = useState(() => Date.now());
  const period = periodOf(filter.days, filter.zone, now);
  const query = reportQuery(filter, period);
  const set = (patch: Partial<ReportFilter>) => setSearch(filterToSearch({ ...filter, ...patch }, viewerZone), { replace: true });

  const kpis = useLoad(['reports', 'kpis', query], () => reportsApi.kpis(query));
  useOnFirstUse(preloadCharts);
  return (
    <>
      <Filters filter={filter} set={set} t={t} />
      <section className="panel" aria-labelledby="rk-h">
        <h2 id="rk-h">{t('kpi.title')}</h2>
        <ErrorBanner error={kpis.error} testId="rk-error" />
        {kpis.data ? <KpiCards k={kpis.data} query={query} t={t} /> : kpis.error ? null : <Loading />}
      </section>
      <div className="board-grid report-grid">
        <TrendSection query={query} zone={filter.zone} t={t} />
        <BreakdownSection query={query} t={t} />
        <HeatmapSection query={query} zone={filter.zone} t={t} />
      </div>
    </>
  );
}

function Filters({ filter, set, t }: { filter: ReportFilter; set: (p: Partial<ReportFilter>) => void; t: T }) {
  const lists = useLoad(keys.lists, () => api.lists());
  const groups = useLoad(keys.groups, () => api.groups());
  const users = useLoad(keys.users, () => api.users());
  const zones = useMemo(() => {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return [...new Set(['UTC', filter.zone, ...all])];
  }, [filter.zone]);
  const noFilter = <option value="">{t('kpi.any')}</option>;
  const pick = (k: (typeof FILTER_KEYS)[number]) => ({ value: filter[k] ?? '', onChange: (v: string) => set({ [k]: v || undefined }), 'data-testid': `rf-${k}` });
  return (
    <form className="report-filters" aria-label={t('kpi.filters')} onSubmit={(e) => e.preventDefault()}>
      <SelectField label={t('period')} value={String(filter.days)} onChange={(v) => set({ days: Number(v) })} data-testid="rf-period">
        {PERIOD_DAYS.map((d) => <option key={d} value={d}>{t('lastDays', { count: d })}</option>)}
      </SelectField>
      <SelectField label={t('kpi.group')} {...pick('group_id')}>
        {noFilter}<option value="none">{t('kpi.noneGroup')}</option>
        {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </SelectField>
      <SelectField label={t('kpi.agent')} {...pick('assignee_id')}>
        {noFilter}<option value="none">{t('kpi.unassigned')}</option>
        {(users.data ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
      </SelectField>
      <SelectField label={t('kpi.type')} {...pick('type')}>{noFilter}<Options entries={lists.data?.types ?? []} /></SelectField>
      <SelectField label={t('kpi.priority')} {...pick('priority')}>{noFilter}<Options entries={lists.data?.priorities ?? []} /></SelectField>
      <SelectField label={t('kpi.channel')} {...pick('channel')}>
{noFilter}<Options entries={lists.data?.channels ?? []} /></SelectField>
      <SelectField label={t('kpi.tier')} {...pick('tier')}>{noFilter}<Options entries={lists.data?.tiers ?? []} /></SelectField>
      <SelectField label={t('kpi.zone')} value={filter.zone} onChange={(v) => set({ zone: v })} data-testid="rf-zone">
        {zones.map((z) => <option key={z} value={z}>{z}</option>)}
      </SelectField>
    </form>
  );
}

function KpiCards({ k, query, t }: { k: KpiSummary; query: Record<string, string>; t: T }) {
  const none = t('none');
  const pct = (v: number | null) => (v === null ? none : t('percent', { value: Math.round(v * 10) / 10 }));
  const met = k.sla.reduce((n, c) => n + c.met, 0);
  const breached = k.sla.reduce((n, c) => n + c.breached, 0);
  const cards: [string, ReactNode, DrillKpi | null, string][] = [
    ['volume', k.volume, 'volume', t('kpi.cards.volumeHint')],
    ['firstResponse', minutes(k.first_response.p50_minutes, none), 'first_response', t('kpi.cards.percentiles', { p90: minutes(k.first_response.p90_minutes, none), mean: minutes(k.first_response.mean_minutes, none) })],
    ['unanswered', k.first_response.unanswered, 'first_response_unanswered', t('kpi.cards.unansweredHint')],
    ['averageResponse', minutes(k.average_response.mean_minutes, none), null, t('kpi.cards.averageResponseHint', { n: k.average_response.n })],
    ['resolution', minutes(k.resolution.p50_minutes, none), 'resolution', t('kpi.cards.percentiles', { p90: minutes(k.resolution.p90_minutes, none), mean: minutes(k.resolution.mean_minutes, none) })],
    ['sla', pct(met + breached ? (met / (met + breached)) * 100 : null), 'sla_breached', t('kpi.cards.slaHint', { met, breached })],
    ['reopen', pct(k.reopen.rate_pct), 'reopened', t('kpi.cards.reopenHint', { n: k.reopen.reopened })],
    ['repeat', pct(k.repeat_contacts.rate_pct), 'repeat_contacts', t('kpi.cards.repeatHint', { n: k.repeat_contacts.n })],
    ['reassignments', k.reassignments.changes, null, t('kpi.cards.reassignmentsHint', { n: k.reassignments.tickets })],
    ['csat', pct(k.csat.satisfied_pct), null, t('kpi.cards.csatHint', { n: k.csat.responses })],
  ];
  return (
    <dl className="kpi-cards" data-testid="kpi-cards">
      {cards.map(([key, value, kpi, hint]) => (
        <div key={key} className="kpi-card" data-testid={`kpi-${key}`}>
          <dt>{t(`kpi.cards.${key}`)}</dt>
          <dd>{kpi ? <Link to={drillHref(query, kpi)} title={t('kpi.drill', { what: t(`kpi.cards.${key}`) })}>{value}</Link> : value}</dd>
          <dd className="muted small">{hint}</dd>
        </div>
      ))}
    </dl>
  );
}

function Panel({ id, title, intro, csv, loaded, controls, children }: { id: string; title: string; intro: string; csv?: string; loaded: Pick<Loaded<unknown>, 'data' | 'error'>; controls?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation('reports');
  return (
    <section className="panel board-wide" aria-labelledby={`${id}-h`} data-testid={id}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p className="muted">{intro}</p>
      <div className="report-controls">
        {controls}
        {csv ? <a href={csv} download className="button secondary" data-testid={`${id}-csv`}>{t('kpi.csv')}</a> : null}
      </div>
      <ErrorBanner error={loaded.error} testId={`${id}-error`} />
      {loaded.data === undefined ? (loaded.error ? null : <Loading />) : children}
    </section>
  );
}

function TrendSection({ query, zone, t }: { query: Record<string, string>; zone: string; t: T }) {
  const [interval, setInterval] = useState<'day' | 'week'>('day');
  const trend = useLoad(['reports', 'trend', query, interval, zone], () => reportsApi.trend(query, interval, zone));
  const points = trend.data?.points ?? [];
  const labels = useMemo(() => points.map((p) => p.label), [points]);
  const series = useMemo(() => (['arrivals', 'solved', 'backlog'] as const).map((k) => ({ label: t(`kpi.trend.${k}`), color: COLORS[k], values: points.map((p) => p[k]) })), [points, t]);
  return (
    <Panel id="rp-trend" title={t('kpi.trend.title')} intro={t('kpi.trend.intro', { zone })} loaded={trend} csv={csvHref('trend', { ...query, interval, zone })}
      controls={<SelectField label={t('kpi.trend.interval')} value={interval} onChange={(v) => setInterval(v === 'week' ? 'week' : 'day')} data-testid="rp-trend-interval">
        <option value="day">{t('kpi.trend.day')}</option><option value="week">{t('kpi.trend.week')}</option>
      </SelectField>}>
      <div className="chart-pair">
        <Chart kind="lines" labels={labels} series={series} testId="rp-trend-chart" />
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="rp-trend-cap"><table className="table" data-testid="rp-trend-table">
          <caption id="rp-trend-cap">{t('kpi.trend.caption', { zone })}</caption>
          <thead><tr><th scope="col">{t(`kpi.trend.${interval}`)}</th><th scope="col">{t('kpi.trend.arrivals')}</th><th scope="col">{t('kpi.trend.solved')}</th><th scope="col">{t('kpi.trend.backlog')}</th></tr></thead>
          <tbody>
            {points.map((p) => {
              const bucket = { ...query, from: p.from, to: p.to };
              return (
                <tr key={p.label}>
                  <th scope="row">{p.label}</th>
                  <td><Link to={drillHref(bucket, 'volume')}>{p.arrivals}</Link></td>
                  <td><Link to={drillHref(bucket, 'resolution')}>{p.solved}</Link></td>
                  <td><Link to={drillHref(bucket, 'backlog')}>{p.backlog}</Link></td>
                </tr>
              );
            })}
          </tbody>
        </table></div>
      </div>
    </Panel>
  );
}

const MEASURES = ['volume', 'fr_p50', 'fr_p90', 'resolution_mean', 'compliance'] as const;
type Measure = (typeof MEASURES)[number];
function measureOf(r: BreakdownRow, m: Measure): number | null {
  if (m === 'volume') return r.volume;
  if (m === 'fr_p50') return r.first_response?.p50_minutes ?? null;
  if (m === 'fr_p90') return r.first_response?.p90_minutes ?? null;
  if (m === 'resolution_mean') return r.resolution?.mean_minutes ?? null;
  return r.sla.compliance_pct;
}

function BreakdownSection({ query, t }: { query: Record<string, string>; t: T }) {
  const [by, setBy] = useState<BreakdownBy>('group');
  const [measure, setMeasure] = useState<Measure>('volume');
  const loaded = useLoad(['reports', 'breakdown', query, by], () => reportsApi.breakdown(query, by));
  const rows = loaded.data?.rows ?? [];
  const m: Measure = by === 'metric' ? 'compliance' : measure;
  const name = (r: BreakdownRow) => (r.key === 'none' ? t('kpi.breakdown.none') : by === 'metric' ? t(`kpi.metrics.${r.key}`, { defaultValue: humanize(r.key) }) : (r.label ?? r.key));
  const labels = useMemo(() => rows.map(name), [rows, by, t]); // a new array would redraw the chart on every render
  const series = useMemo(() => [{ label: t(`kpi.breakdown.measures.${m}`), color: COLORS.bar, values: rows.map((r) => measureOf(r, m)) }], [rows, m, t]);
  const none = t('none');
  const dur = (d: Durations | null, k: 'p50_minutes' | 'p90_minutes' | 'mean_minutes') => minutes(d?.[k], none);
  const pct = (v: number | null) => (v === null ? none : t('percent', { value: Math.round(v * 10) / 10 }));
  const link = (r: BreakdownRow, kpi: DrillKpi, text: ReactNode) => <Link to={drillHref(query, kpi, r.drill)}>{text}</Link>;
  return (
    <Panel id="rp-breakdown" title={t('kpi.breakdown.title')} intro={t('kpi.breakdown.intro')} loaded={loaded} csv={csvHref('breakdown', { ...query, by })}
      controls={<>
        <SelectField label={t('kpi.breakdown.by')} value={by} onChange={(v) => setBy(BREAKDOWN_BY.find((b) => b === v) ?? 'group')} data-testid="rp-breakdown-by">
          {BREAKDOWN_BY.map((b) => <option key={b} value={b}>{t(`kpi.breakdown.dimensions.${b}`)}</option>)}
        </SelectField>
        {by === 'metric' ? null : (
          <SelectField label={t('kpi.breakdown.measure')} value={measure} onChange={(v) => setMeasure(MEASURES.find((x) => x === v) ?? 'volume')} data-testid="rp-breakdown-measure">
            {MEASURES.map((x) => <option key={x} value={x}>{t(`kpi.breakdown.measures.${x}`)}</option>)}
          </SelectField>
        )}
      </>}>
      {rows.length === 0 ? <p>{t('kpi.empty')}</p> : (
        // Up to nine columns: the table takes the card's width under its chart, not a third of it beside.
        <div className="chart-pair stacked">
          <Chart kind="bars" labels={labels} series={series} testId="rp-breakdown-chart" />
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="rp-breakdown-cap"><table className="table" data-testid="rp-breakdown-table">
            <caption id="rp-breakdown-cap">{t('kpi.breakdown.caption', { by: t(`kpi.breakdown.dimensions.${by}`) })}</caption>
            <thead><tr>
              <th scope="col">{t(`kpi.breakdown.dimensions.${by}`)}</th>
              {by === 'metric' ? null : <><th scope="col">{t('kpi.cards.volume')}</th><th scope="col">{t('kpi.breakdown.measures.fr_p50')}</th><th scope="col">{t('kpi.breakdown.measures.fr_p90')}</th><th scope="col">{t('kpi.breakdown.frMean')}</th><th scope="col">{t('kpi.breakdown.measures.resolution_mean')}</th></>}
              <th scope="col">{t('kpi.breakdown.met')}</th><th scope="col">{t('kpi.breakdown.breached')}</th><th scope="col">{t('kpi.breakdown.measures.compliance')}</th>
            </tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{name(r)}</th>
                  {by === 'metric' ? null : <>
                    <td>{link(r, 'volume', r.volume)}</td>
                    <td>{link(r, 'first_response', dur(r.first_response, 'p50_minutes'))}</td>
                    <td>{link(r, 'first_response', dur(r.first_response, 'p90_minutes'))}</td>
                    <td>{link(r, 'first_response', dur(r.first_response, 'mean_minutes'))}</td>
                    <td>{link(r, 'resolution', dur(r.resolution, 'mean_minutes'))}</td>
                  </>}
                  <td>{link(r, 'sla_met', r.sla.met)}</td>
                  <td>{link(r, 'sla_breached', r.sla.breached)}</td>
                  <td>{pct(r.sla.compliance_pct)}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        </div>
      )}
    </Panel>
  );
}

function HeatmapSection({ query, zone, t }: { query: Record<string, string>; zone: string; t: T }) {
  const [what, setWhat] = useState<'arrivals' | 'breaches'>('arrivals');
  const loaded = useLoad(['reports', 'heatmap', query, zone], () => reportsApi.heatmap(query, zone));
  const grid = loaded.data?.[what] ?? [];
  const max = Math.max(0, ...grid.flat());
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <Panel id="rp-heatmap" title={t('kpi.heatmap.title')} intro={t('kpi.heatmap.intro', { zone })} loaded={loaded} csv={csvHref('heatmap', { ...query, zone })}
      controls={<SelectField label={t('kpi.heatmap.show')} value={what} onChange={(v) => setWhat(v === 'breaches' ? 'breaches' : 'arrivals')} data-testid="rp-heatmap-what">
        <option value="arrivals">{t('kpi.heatmap.arrivals')}</option><option value="breaches">{t('kpi.heatmap.breaches')}</option>
      </SelectField>}>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="rp-heatmap-cap"><table className="table heatmap" data-testid="rp-heatmap-table">
        <caption id="rp-heatmap-cap">{t('kpi.heatmap.caption', { what: t(`kpi.heatmap.${what}`), zone })}</caption>
        <thead><tr><th scope="col">{t('kpi.heatmap.day')}</th>{hours.map((h) => <th key={h} scope="col">{String(h).padStart(2, '0')}</th>)}</tr></thead>
        <tbody>
          {DAYS.map((d, i) => (
            <tr key={d}>
              <th scope="row">{t(`kpi.heatmap.days.${d}`)}</th>
              {hours.map((h) => {
                const n = grid[i]?.[h] ?? 0;
                // Each cell drills into its tickets: arrivals by creation, breaches by the breach's time.
                const cell = { zone, weekday: String(i + 1), hour: String(h) };
                return <td key={h} className={`heat-${heatLevel(n, max)}`}>{n ? <Link to={drillHref(query, what === 'arrivals' ? 'volume' : 'breached_in_period', cell)}>{n}</Link> : n}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table></div>
    </Panel>
  );
}
