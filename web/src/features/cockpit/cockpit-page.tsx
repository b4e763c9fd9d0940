import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading, SelectField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { drillHref } from '../reports/report-query.ts';
import { lastDays, type Period } from '../reports/reports-api.ts';
import { cockpitApi, type CostBy, type LowScore } from './cockpit-api.ts';

// Reports → Cockpit (docs/kpis.md): cost per resolution, CSAT with the low-score follow-up, business-time resolution
// and the weekly report's opt-in, over the last 30 days.

const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toLocaleString(undefined, { maximumFractionDigits: digits }));

export function CockpitPage() {
  const { t } = useTranslation('cockpit');
  usePageTitle(t('title'));
  const period = useMemo(() => lastDays(30, Date.now()), []);
  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
        <Link to="/reports">{t('back')}</Link>
      </div>
      <p className="muted">{t('period', { from: formatDateTime(period.from), to: formatDateTime(period.to) })}</p>
      <CsatSection period={period} />
      <LowScores period={period} />
      <CostSection period={period} />
      <ResolutionSection period={period} />
      <WeeklySection />
    </>
  );
}

function CostSection({ period }: { period: Period }) {
  const { t } = useTranslation('cockpit');
  const [by, setBy] = useState<CostBy>('group');
  const cost = useLoad(['cockpit', 'cost', period.from, by], () => cockpitApi.cost(period, by));
  const csv = `/api/v1/reports/cost?${new URLSearchParams({ ...period, by, format: 'csv' })}`;
  return (
    <section className="panel" aria-labelledby="cost-title" data-testid="cockpit-cost">
      <h2 id="cost-title">{t('cost.title')}</h2>
      <SelectField label={t('cost.by')} value={by} onChange={(v) => setBy(v as CostBy)}>
        <option value="group">{t('cost.byGroup')}</option>
        <option value="agent">{t('cost.byAgent')}</option>
        <option value="type">{t('cost.byType')}</option>
      </SelectField>
      {!cost.data ? (cost.error ? <ErrorBanner error={cost.error} /> : <Loading />) : (
        <>
          <p className="muted">{t('cost.method')}</p>
          <table>
            <caption>{t('cost.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cost.row')}</th><th scope="col">{t('cost.resolutions')}</th><th scope="col">{t('cost.booked')}</th>
                <th scope="col">{t('cost.estimated')}</th><th scope="col">{t('cost.unpriced')}</th><th scope="col">{t('cost.minutes')}</th>
                <th scope="col">{t('cost.cost')}</th><th scope="col">{t('cost.perResolution')}</th><th scope="col">{t('cost.tickets')}</th>
              </tr>
            </thead>
            <tbody>
              {cost.data.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.key === 'none' ? t('cost.none') : r.label || r.key}</th>
                  <td><Link to={drillHref({ ...period, ...r.drill }, 'resolution')}>{r.resolutions}</Link></td><td>{r.booked}</td><td>{r.estimated}</td><td>{r.unpriced}</td><td>{num(r.minutes, 0)}</td>
                  <td>{num(r.cost, 2)}</td><td>{num(r.cost_per_resolution, 2)}</td>
                  <td><a href={`/api/v1/reports/cost/tickets?${new URLSearchParams({ ...period, ...r.drill, format: 'csv' })}`} download>{t('cost.ticketsCsv')}</a></td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('cost.total')}</th>
                <td>{cost.data.total.resolutions}</td><td>{cost.data.total.booked}</td><td>{cost.data.total.estimated}</td><td>{cost.data.total.unpriced}</td>
                <td>{num(cost.data.total.minutes, 0)}</td><td>{num(cost.data.total.cost, 2)}</td><td data-testid="cost-per-resolution">{num(cost.data.total.cost_per_resolution, 2)}</td><td />
              </tr>
            </tfoot>
          </table>
          <a className="button small" href={csv} download>{t('csv')}</a>
        </>
      )}
    </section>
  );
}

function CsatSection({ period }: { period: Period }) {
  const { t } = useTranslation('cockpit');
  const csat = useLoad(['cockpit', 'csat', period.from], () => cockpitApi.csat(period));
  return (
    <section className="panel" aria-labelledby="csat-title" data-testid="cockpit-csat">
      <h2 id="csat-title">{t('csat.title')}</h2>
      {!csat.data ? (csat.error ? <ErrorBanner error={csat.error} /> : <Loading />) : (
        <dl className="kpi-cards">
          <div><dt>{t('csat.responses')}</dt><dd>{csat.data.responses}</dd></div>
          <div><dt>{t('csat.average')}</dt><dd>{num(csat.data.average, 2)}</dd></div>
          <div><dt>{t('csat.satisfied')}</dt><dd>{csat.data.satisfied_pct === null ? '—' : `${num(csat.data.satisfied_pct)} %`}</dd></div>
          <div><dt>{t('csat.low')}</dt><dd>{csat.data.low_scores}</dd></div>
          <div><dt>{t('csat.followUpRate')}</dt><dd data-testid="csat-follow-up-rate">{csat.data.follow_up_rate_pct === null ? '—' : `${num(csat.data.follow_up_rate_pct)} %`}</dd></div>
        </dl>
      )}
    </section>
  );
}

function LowScores({ period }: { period: Period }) {
  const { t } = useTranslation('cockpit');
  const list = useLoad(['cockpit', 'low-scores', period.from], () => cockpitApi.lowScores(period));
  return (
    <section className="panel" aria-labelledby="low-title" data-testid="cockpit-low-scores">
      <h2 id="low-title">{t('low.title')}</h2>
      {!list.data ? (list.error ? <ErrorBanner error={list.error} /> : <Loading />) : list.data.data.length === 0 ? <p className="muted">{t('low.none')}</p> : (
        <ul className="plain-list">
          {list.data.data.map((s) => <LowScoreItem key={s.id} score={s} reload={list.reload} />)}
        </ul>
      )}
    </section>
  );
}

function LowScoreItem({ score, reload }: { score: LowScore; reload: () => Promise<void> }) {
  const { t } = useTranslation('cockpit');
  const [note, setNote] = useState(score.note);
  const [done, setDone] = useState(score.done_at !== null);
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await cockpitApi.followUp(score.id, { ...(note.trim() ? { note: note.trim() } : {}), done });
      setSaved(true);
      await reload();
    });
  };
  const id = `low-${score.id}`;
  return (
    <li data-testid={`low-score-${score.number}`}>
      <form onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>
          <Link to={`/tickets/${score.number}`}>#{score.number}</Link> {score.subject} — {t('low.rating', { rating: score.rating })}
        </h3>
        {score.comment ? <blockquote>{score.comment}</blockquote> : null}
        <p className="muted">{formatDateTime(score.rated_at)}{score.done_at ? ` · ${t('low.doneAt', { at: formatDateTime(score.done_at) })}` : ''}</p>
        <label htmlFor={`${id}-note`}>{t('low.note')}</label>
        <textarea id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
        <label><input type="checkbox" checked={done} onChange={(e) => setDone(e.target.checked)} /> {t('low.done')}</label>
        {error ? <ErrorBanner error={error} /> : null}
        {saved && !busy ? <p role="status">{t('low.saved')}</p> : null}
        <button type="submit" className="button small" disabled={busy}>{t('low.save')}</button>
      </form>
    </li>
  );
}

function ResolutionSection({ period }: { period: Period }) {
  const { t } = useTranslation('cockpit');
  const r = useLoad(['cockpit', 'resolution', period.from], () => cockpitApi.resolution(period));
  const csv = `/api/v1/reports/resolution-time?${new URLSearchParams({ ...period, format: 'csv' })}`;
  return (
    <section className="panel" aria-labelledby="resolution-title" data-testid="cockpit-resolution">
      <h2 id="resolution-title">{t('resolution.title')}</h2>
      {!r.data ? (r.error ? <ErrorBanner error={r.error} /> : <Loading />) : (
        <>
          <table>
            <caption>{t('resolution.caption', { n: r.data.calendar.n })}</caption>
            <thead><tr><th scope="col">{t('resolution.clock')}</th><th scope="col">{t('resolution.mean')}</th><th scope="col">{t('resolution.p50')}</th><th scope="col">{t('resolution.p90')}</th></tr></thead>
            <tbody>
              {(['calendar', 'business'] as const).map((k) => (
                <tr key={k}><th scope="row">{t(`resolution.${k}`)}</th><td>{num(r.data?.[k].mean_minutes)}</td><td>{num(r.data?.[k].p50_minutes)}</td><td>{num(r.data?.[k].p90_minutes)}</td></tr>
              ))}
            </tbody>
          </table>
          <a className="button small" href={csv} download>{t('csv')}</a>
        </>
      )}
    </section>
  );
}

function WeeklySection() {
  const { t } = useTranslation('cockpit');
  const w = useLoad(['cockpit', 'weekly'], () => cockpitApi.weekly());
  const { busy, error, run } = useSubmit();
  return (
    <section className="panel" aria-labelledby="weekly-title" data-testid="cockpit-weekly">
      <h2 id="weekly-title">{t('weekly.title')}</h2>
      <p className="muted">{t('weekly.intro')}</p>
      {!w.data ? (w.error ? <ErrorBanner error={w.error} /> : <Loading />) : (
        <label>
          <input type="checkbox" checked={w.data.enabled} disabled={busy}
            onChange={(e) => { const enabled = e.target.checked; void run(async () => { w.setData(await cockpitApi.setWeekly(enabled)); }); }} />
          {' '}{t('weekly.optIn')}
        </label>
      )}
      {error ? <ErrorBanner error={error} /> : null}
    </section>
  );
}
