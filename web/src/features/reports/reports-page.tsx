import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading, SelectField } from '../../app/ui.tsx';
import { humanize } from '../../lib/api.ts';
import { formatBusinessMinutes, formatDuration } from '../../lib/format.ts';
import { useLoad, type Loaded } from '../../lib/query.ts';
import { WhatIfPanel } from '../planning/whatif-panel.tsx';
import { KpiOverview } from './kpi-overview.tsx';
import { lastDays, reportsApi } from './reports-api.ts';
import { SurgePanel } from '../status/surge-panel.tsx';

const PERIODS = [7, 30, 90] as const;

/** Supervisors' reports over a chosen window: promises kept, closure and CSAT, stage deadlines, stages, time booked. */
export function ReportsPage() {
  const { t } = useTranslation('reports');
  usePageTitle(t('title'));
  const [days, setDays] = useState<number>(30);
  const [now] = useState(() => Date.now());
  const period = lastDays(days, now);
  const promises = useLoad(['reports', 'promises', period], () => reportsApi.promises(period));
  const closures = useLoad(['reports', 'closures', period], () => reportsApi.closures(period));
  const deadlines = useLoad(['reports', 'stage-deadlines', period], () => reportsApi.stageDeadlines(period));
  const stages = useLoad(['reports', 'stages'], () => reportsApi.stages());
  const time = useLoad(['reports', 'time', period], () => reportsApi.time(period));
  const percent = (v: number | null) => (v === null ? t('none') : t('percent', { value: v }));

  return (
    <div data-testid="reports">
      <h1>{t('title')}</h1>
      <p><Link to="/reports/cockpit" data-testid="reports-cockpit-link">{t('cockpit:nav')}</Link></p>
      <KpiOverview />
      <h2>{t('more')}</h2>
      <div className="report-period">
        <SelectField label={t('period')} value={String(days)} onChange={(v) => setDays(Number(v))} data-testid="reports-period">
          {PERIODS.map((d) => <option key={d} value={d}>{t('lastDays', { count: d })}</option>)}
        </SelectField>
      </div>
      <div className="board-grid report-grid">
        <Section id="rp-promises" title={t('promises.title')} intro={t('promises.intro')} loaded={promises}>
          {(p) => (
            <Figures testId="report-promises" rows={[
              [t('promises.kept'), percent(p.kept_percent)],
              [t('promises.due'), p.due],
              [t('promises.keptCount'), p.kept],
              [t('promises.broken'), p.broken],
              [t('promises.extended'), p.extended],
            ]} />
          )}
        </Section>
        <Section id="rp-closures" title={t('closures.title')} intro={t('closures.intro')} loaded={closures}>
          {(c) => (
            <Figures testId="report-closures" rows={[
              [t('closures.csat'), percent(c.csat_percent)],
              [t('closures.rated'), c.rated],
              [t('closures.average'), c.average_rating === null ? t('none') : c.average_rating.toFixed(2)],
              [t('closures.confirmed'), c.confirmed],
              [t('closures.reopened'), c.reopened],
              [t('closures.silent'), c.closed_after_silence],
              [t('closures.archived'), c.archived],
            ]} />
          )}
        </Section>
        {/* The server lists the stages in lifecycle order (TICKET_STAGES). */}
        <Section id="rp-stages" title={t('stages.title')} intro={t('stages.intro')} loaded={stages}>
          {(s) => (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('stages.title')}><table className="table" data-testid="report-stages">
              <thead><tr><th scope="col">{t('stages.stage')}</th><th scope="col">{t('stages.current')}</th><th scope="col">{t('stages.exits')}</th><th scope="col">{t('stages.average')}</th><th scope="col">{t('stages.longest')}</th></tr></thead>
              <tbody>
                {s.stages.map((r) => (
                  <tr key={r.stage}>
                    <th scope="row">{stageLabel(t, r.stage)}</th>
                    <td>{r.current}</td>
                    <td>{r.exits}</td>
                    <td>{wall(r.avg_minutes, t('none'))}</td>
                    <td>{wall(r.max_minutes, t('none'))}</td>
                  </tr>
                ))}
              </tbody>
            </table></div>
          )}
        </Section>
        <Section id="rp-deadlines" title={t('deadlines.title')} intro={t('deadlines.intro')} loaded={deadlines}>
          {(d) => d.metrics.length === 0 ? <p>{t('deadlines.empty')}</p> : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('deadlines.title')}><table className="table" data-testid="report-deadlines">
              <thead><tr><th scope="col">{t('stages.stage')}</th><th scope="col">{t('deadlines.started')}</th><th scope="col">{t('deadlines.met')}</th><th scope="col">{t('deadlines.breached')}</th><th scope="col">{t('deadlines.running')}</th><th scope="col">{t('deadlines.metPercent')}</th><th scope="col">{t('deadlines.average')}</th></tr></thead>
              <tbody>
                {d.metrics.map((r) => (
                  <tr key={r.metric}>
                    <th scope="row">{stageLabel(t, r.metric.replace(/^stage_/, ''))}</th>
                    <td>{r.started}</td><td>{r.met}</td><td>{r.breached}</td><td>{r.running}</td>
                    <td>{percent(r.met_percent)}</td>
                    <td>{r.avg_minutes === null ? t('none') : formatBusinessMinutes(r.avg_minutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table></div>
          )}
        </Section>
        <Section id="rp-time" title={t('time.title')} intro={t('time.intro')} loaded={time}>
          {(r) => r.data.length === 0 ? <p>{t('time.empty')}</p> : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('time.title')}><table className="table" data-testid="report-time">
              <thead><tr><th scope="col">{t('time.agent')}</th><th scope="col">{t('time.minutes')}</th><th scope="col">{t('time.tickets')}</th></tr></thead>
              <tbody>
                {r.data.map((row) => <tr key={row.user_id}><th scope="row">{row.user_name}</th><td>{wall(row.minutes, t('none'))}</td><td>{row.tickets}</td></tr>)}
              </tbody>
              <tfoot><tr><th scope="row">{t('time.total')}</th><td>{wall(r.total_minutes, t('none'))}</td><td /></tr></tfoot>
            </table></div>
          )}
        </Section>
      </div>
      <SurgePanel />
      <WhatIfPanel now={now} />
    </div>
  );
}

function Section<T>({ id, title, intro, loaded, children }: { id: string; title: string; intro: string; loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p className="muted">{intro}</p>
      <ErrorBanner error={loaded.error} testId={`${id}-error`} />
      {loaded.data === undefined ? (loaded.error ? null : <Loading />) : children(loaded.data)}
    </section>
  );
}

function Figures({ rows, testId }: { rows: readonly (readonly [string, ReactNode])[]; testId: string }) {
  return (
    <dl className="figures" data-testid={testId}>
      {rows.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value}</dd></div>)}
    </dl>
  );
}

// Lifecycle stages by their label; a policy's own stage-deadline name (stage_triage → "triage") humanized.
const stageLabel = (t: (key: string, opts?: Record<string, unknown>) => string, stage: string) =>
  t(`common:stage.${stage}`, { defaultValue: humanize(stage) });
const wall = (minutes: number | null, none: string) => (minutes === null ? none : formatDuration(minutes * 60_000));
