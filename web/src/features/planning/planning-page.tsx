import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOnFirstUse } from '../../app/first-use.ts';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading, SelectField } from '../../app/ui.tsx';
import { api } from '../../lib/api.ts';
import { displayTimeZone } from '../../lib/format.ts';
import { keys, useLoad } from '../../lib/query.ts';
import { Chart, preloadCharts } from '../reports/chart.tsx';
import '../reports/reports.css';
import { WhatIfPanel } from './whatif-panel.tsx';
import { PLAN_CHANNELS, planningApi, WEEKDAYS, type Plan, type PlanChannelName, type PlanQuery, type PlanRow } from './planning-api.ts';
import './planning.css';

// The Planning screen (docs/planning.md, issue 19): a group's week per hour — required vs rostered staff as a
// chart beside a table with the same numbers, the gap as a heatmap weekday × hour (a table whose cells are
// shaded and carry their number), the forecast's backtest error, the predicted share of promises kept, CSV.

type T = (key: string, opts?: Record<string, unknown>) => string;
const COLORS = { required: '#b91c1c', rostered: '#2563eb' } as const;

/** The local date (yyyy-mm-dd) of next Monday in `zone`. */
export function nextMonday(now: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  const today = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')));
  return new Date(today + (7 - weekday) * 86_400_000).toISOString().slice(0, 10);
}

/** Weekday index (0 = Monday) and hour of an instant in `zone`. */
function localSlot(fmt: Intl.DateTimeFormat, iso: string): { day: number; hour: number } {
  const parts = fmt.formatToParts(new Date(iso));
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.find((p) => p.type === 'weekday')?.value ?? '');
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  return { day, hour };
}

const one = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

export function PlanningPage() {
  const { t } = useTranslation('planning');
  usePageTitle(t('title'));
  const zone = displayTimeZone();
  const [now] = useState(() => Date.now());
  const groups = useLoad(keys.groups, () => api.groups());
  const [groupId, setGroupId] = useState('');
  const [channel, setChannel] = useState<PlanChannelName | ''>('');
  const [week, setWeek] = useState<'next' | 'coming'>('next');
  const group = groupId || groups.data?.[0]?.id || '';
  const query: PlanQuery | null = group ? { group, zone, ...(week === 'next' ? { week_start: nextMonday(now, zone) } : {}), ...(channel ? { channel } : {}) } : null;
  const plan = useLoad(['planning', 'plan', query], () => planningApi.plan(query as PlanQuery), { enabled: query !== null });
  useOnFirstUse(preloadCharts);

  return (
    <div data-testid="planning">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro', { zone })}</p>
      <p><Link to="/planning/rosters" data-testid="planning-rosters-link">{t('rostersLink')}</Link></p>
      <div className="report-filters">
        <SelectField label={t('group')} value={group} onChange={setGroupId} data-testid="planning-group">
          {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </SelectField>
        <SelectField label={t('channel')} value={channel} onChange={(v) => setChannel(PLAN_CHANNELS.find((c) => c === v) ?? '')} data-testid="planning-channel">
          <option value="">{t('allChannels')}</option>
          {PLAN_CHANNELS.map((c) => <option key={c} value={c}>{t(`channels.${c}`)}</option>)}
        </SelectField>
        <SelectField label={t('week')} value={week} onChange={(v) => setWeek(v === 'coming' ? 'coming' : 'next')} data-testid="planning-week">
          <option value="next">{t('nextWeek', { date: nextMonday(now, zone) })}</option>
          <option value="coming">{t('comingDays')}</option>
        </SelectField>
        {query ? <a className="button secondary" href={planningApi.csvHref(query)} download="plan.csv" data-testid="planning-csv">{t('csv')}</a> : null}
      </div>
      <ErrorBanner error={groups.error ?? plan.error} testId="planning-error" />
      {groups.data && groups.data.length === 0 ? <p>{t('noGroups')}</p> : null}
      {plan.data ? <PlanView plan={plan.data} t={t} /> : plan.error || (groups.data && groups.data.length === 0) ? null : <Loading />}
      <WhatIfPanel now={now} />
    </div>
  );
}

function PlanView({ plan, t }: { plan: Plan; t: T }) {
  const fmt = useMemo(() => new Intl.DateTimeFormat('en-GB', { timeZone: plan.zone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }), [plan.zone]);
  const slots = useMemo(() => plan.intervals.map((r) => localSlot(fmt, r.start)), [plan, fmt]);
  const label = (i: number) => {
    const s = slots[i];
    return s ? `${t(`days.${WEEKDAYS[s.day] ?? 'mon'}`)} ${String(s.hour).padStart(2, '0')}:00` : '';
  };
  // Every sixth hour is written on the chart's axis; the table has them all.
  const labels = useMemo(() => plan.intervals.map((_, i) => (slots[i]?.hour ?? 1) % 6 === 0 ? label(i) : ''), [plan, slots, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const series = useMemo(() => [
    { label: t('required'), color: COLORS.required, values: plan.intervals.map((r) => r.required) },
    { label: t('rostered'), color: COLORS.rostered, values: plan.intervals.map((r) => r.rostered) },
  ], [plan, t]);
  const arrivals = plan.intervals.reduce((s, r) => s + r.arrivals, 0);
  const keptShare = arrivals > 0 ? plan.intervals.reduce((s, r) => s + r.arrivals * (r.kept ?? 0), 0) / arrivals : null;
  const hours = plan.interval_minutes / 60;
  const requiredHours = plan.intervals.reduce((s, r) => s + r.required, 0) * hours;
  const rosteredHours = plan.intervals.reduce((s, r) => s + r.rostered, 0) * hours;
  const short = plan.intervals.filter((r) => r.gap < -1e-6).length;
  const worst = plan.intervals.reduce<{ i: number; gap: number } | null>((w, r, i) => (r.gap < (w?.gap ?? 0) ? { i, gap: r.gap } : w), null);
  const pct = (v: number | null) => (v === null ? t('none') : t('percent', { value: Math.round(v * 1000) / 10 }));

  return (
    <>
      <section className="panel" aria-labelledby="pl-summary-h">
        <h2 id="pl-summary-h">{t('summary.title')}</h2>
        <dl className="kpi-cards" data-testid="planning-summary">
          <div className="kpi-card"><dt>{t('summary.kept')}</dt><dd data-testid="planning-kept">{pct(keptShare)}</dd></div>
          <div className="kpi-card"><dt>{t('summary.arrivals')}</dt><dd>{Math.round(arrivals)}</dd></div>
          <div className="kpi-card"><dt>{t('summary.requiredHours')}</dt><dd data-testid="planning-required-hours">{one(requiredHours)}</dd></div>
          <div className="kpi-card"><dt>{t('summary.rosteredHours')}</dt><dd data-testid="planning-rostered-hours">{one(rosteredHours)}</dd></div>
          <div className="kpi-card"><dt>{t('summary.short')}</dt><dd data-testid="planning-short">{short}</dd></div>
          <div className="kpi-card"><dt>{t('summary.worst')}</dt><dd>{worst ? t('summary.worstValue', { when: label(worst.i), gap: one(worst.gap) }) : t('none')}</dd></div>
          <div className="kpi-card"><dt>{t('summary.agents')}</dt><dd data-testid="planning-agents">{t('summary.agentsValue', { rostered: plan.rostered_agents, unrostered: plan.unrostered_agents })}</dd></div>
          <div className="kpi-card"><dt>{t('summary.handling')}</dt><dd>{t('summary.handlingValue', { minutes: one(plan.handling.seconds / 60), source: t(`handling.${plan.handling.source}`) })}</dd></div>
        </dl>
        {plan.channels.length === 0 ? <p>{t('noHistory')}</p> : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="pl-channels-cap"><table className="table" data-testid="planning-channels">
            <caption id="pl-channels-cap">{t('forecast.caption')}</caption>
            <thead><tr><th scope="col">{t('channel')}</th><th scope="col">{t('forecast.model')}</th><th scope="col">{t('forecast.error')}</th><th scope="col">{t('forecast.staffing')}</th><th scope="col">{t('forecast.deadline')}</th></tr></thead>
            <tbody>
              {plan.channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{t(`channels.${c.channel}`, { defaultValue: c.channel })}</th>
                  <td>{t(`models.${c.forecast_model}`, { defaultValue: c.forecast_model })}</td>
                  <td data-testid={`planning-backtest-${c.channel}`}>{c.backtest_error_pct === null ? t('forecast.tooShort') : t('percent', { value: one(c.backtest_error_pct) })}</td>
                  <td>{t(`staffing.${c.model}`)}</td>
                  <td>{c.deadline ? t(`deadline.${c.deadline.source}`, { hours: one(c.deadline.minutes / 60), clock: t(`clock.${c.deadline.clock}`) }) : t('deadline.answer')}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </section>
      <section className="panel" aria-labelledby="pl-chart-h">
        <h2 id="pl-chart-h">{t('chart.title')}</h2>
        <p className="muted">{t('chart.intro')}</p>
        <div className="chart-pair stacked">
          <Chart kind="lines" labels={labels} series={series} height={260} testId="planning-chart" />
          <div className="table-wrap planning-hours" tabIndex={0} role="region" aria-labelledby="pl-hours-cap"><table className="table" data-testid="planning-table">
            <caption id="pl-hours-cap">{t('chart.caption', { zone: plan.zone })}</caption>
            <thead><tr><th scope="col">{t('hour')}</th><th scope="col">{t('arrivals')}</th><th scope="col">{t('required')}</th><th scope="col">{t('rostered')}</th><th scope="col">{t('gap')}</th><th scope="col">{t('kept')}</th></tr></thead>
            <tbody>
              {plan.intervals.map((r: PlanRow, i) => (
                <tr key={r.start} data-start={r.start}>
                  <th scope="row">{label(i)}</th>
                  <td>{one(r.arrivals)}</td><td>{one(r.required)}</td><td>{one(r.rostered)}</td><td>{one(r.gap)}</td><td>{pct(r.kept)}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        </div>
      </section>
      <GapHeatmap plan={plan} slots={slots} t={t} />
    </>
  );
}

/** The gap per weekday × hour (summed when a daylight-saving change puts two intervals in one cell). */
function GapHeatmap({ plan, slots, t }: { plan: Plan; slots: readonly { day: number; hour: number }[]; t: T }) {
  const grid = useMemo(() => {
    const g = WEEKDAYS.map(() => new Array<number | null>(24).fill(null));
    plan.intervals.forEach((r, i) => {
      const s = slots[i];
      const row = s ? g[s.day] : undefined;
      if (!s || !row) return;
      row[s.hour] = (row[s.hour] ?? 0) + r.gap;
    });
    return g;
  }, [plan, slots]);
  const worst = Math.max(0, ...grid.flat().map((v) => Math.abs(v ?? 0)));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <section className="panel" aria-labelledby="pl-heat-h">
      <h2 id="pl-heat-h">{t('heatmap.title')}</h2>
      <p className="muted">{t('heatmap.intro')}</p>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="pl-heat-cap"><table className="table heatmap" data-testid="planning-heatmap">
        <caption id="pl-heat-cap">{t('heatmap.caption', { zone: plan.zone })}</caption>
        <thead><tr><th scope="col">{t('day')}</th>{hours.map((h) => <th key={h} scope="col">{String(h).padStart(2, '0')}</th>)}</tr></thead>
        <tbody>
          {WEEKDAYS.map((d, i) => (
            <tr key={d}>
              <th scope="row">{t(`days.${d}`)}</th>
              {hours.map((h) => {
                const v = grid[i]?.[h] ?? null;
                return <td key={h} className={gapClass(v, worst)} title={v === null ? undefined : t(v < -1e-6 ? 'heatmap.short' : v > 1e-6 ? 'heatmap.spare' : 'heatmap.even', { value: one(Math.abs(v)) })}>{v === null ? '' : one(v)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table></div>
      <p className="planning-legend" aria-hidden="true">
        <span className="gap-short-3">{t('heatmap.legendShort')}</span> <span className="gap-even">{t('heatmap.legendEven')}</span> <span className="gap-spare-3">{t('heatmap.legendSpare')}</span>
      </p>
    </section>
  );
}

/** A shade by the gap's sign and size relative to the largest gap of the week (0 or less than 0.05: even). */
export function gapClass(v: number | null, worst: number): string {
  if (v === null || Math.abs(v) < 0.05 || worst <= 0) return 'gap-even';
  const level = Math.max(1, Math.min(3, Math.ceil((Math.abs(v) / worst) * 3)));
  return v < 0 ? `gap-short-${level}` : `gap-spare-${level}`;
}
