import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, TICKET_PRIORITIES, TICKET_STATUSES, type SimulationEvent, type SimulationResult, type SlaPolicy } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, useFocusFirstInvalid } from './forms.ts';
import { ApiError } from '../../lib/api.ts';

const EVENT_TYPES = ['created', 'customer_message', 'agent_message', 'agent_note', 'auto_message', 'status'] as const;

/** The simulator input for a stored policy: each metric's target for the chosen priority (docs/sla-simulator.md). */
export function simulationFor(policy: SlaPolicy, calendar: Record<string, unknown> | null, priority: string, events: SimulationEvent[], at: string) {
  return {
    calendar,
    pause_statuses: policy.pause_statuses,
    metrics: policy.metrics.map(({ targets_by_priority, ...m }) => ({ ...m, target_minutes: targets_by_priority?.[priority] ?? m.target_minutes })),
    events,
    ...(at.trim() ? { at: at.trim() } : {}),
  };
}

/**
 * Admin → SLA simulator: pick a policy and a calendar, enter a ticket's events, see every clock. The
 * server's simulator is the same engine that computes live tickets, so what it shows is what would happen.
 */
export function SlaSimulator() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'sla'], async () => {
    const [policies, calendars] = await Promise.all([api.slaPolicies(), api.slaCalendars()]);
    return { policies, calendars };
  });
  const [policyId, setPolicyId] = useState('');
  const [calendarId, setCalendarId] = useState('policy');
  const [priority, setPriority] = useState('normal');
  const [at, setAt] = useState('');
  const [events, setEvents] = useState<SimulationEvent[]>([{ at: '2025-03-07T15:50:00Z', type: 'created' }, { at: '2025-03-10T08:15:00Z', type: 'agent_message' }]);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { policies, calendars } = data.data;
  const policy = policies.find((p) => p.id === policyId) ?? policies[0];
  const errAt = (path: string) => (error instanceof ApiError ? error.errors.find((e) => e.path === path)?.message : undefined);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!policy) return;
    const calId = calendarId === 'policy' ? policy.calendar_id : calendarId === '24/7' ? null : calendarId;
    const spec = calendars.find((c) => c.id === calId)?.spec ?? null;
    void run(async () => setResult(await api.simulate(simulationFor(policy, spec, priority, events, at))));
  }
  const setEvent = (i: number, patch: Partial<SimulationEvent>) => setEvents((list) => list.map((ev, j) => (j === i ? { ...ev, ...patch } : ev)));

  return (
    <section className="panel" data-testid="sla-simulator">
      <h2>{t('sim.title')}</h2>
      <p className="muted">{t('sim.intro')}</p>
      {!policy ? <p>{t('sim.noPolicies')}</p> : (
        <form ref={formRef} onSubmit={submit} noValidate>
          <SelectField label={t('sim.policy')} value={policy.id} onChange={setPolicyId}>
            {policies.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </SelectField>
          <SelectField label={t('sim.calendar')} value={calendarId} onChange={setCalendarId}>
            <option value="policy">{t('sim.policyCalendar')}</option>
            <option value="24/7">{t('sim.always')}</option>
            {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </SelectField>
          <SelectField label={t('sim.priority')} value={priority} onChange={setPriority}>
            {TICKET_PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </SelectField>
          <fieldset className="field">
            <legend>{t('sim.events')}</legend>
            {events.map((ev, i) => (
              <div key={i} className="inline-form" data-testid={`sim-event-${i}`}>
                <TextField label={t('sim.eventAt', { n: i + 1 })} hint={t('sim.instantHint')} error={errAt(`events[${i}].at`)} value={ev.at} onChange={(v) => setEvent(i, { at: v })} />
                <SelectField label={t('sim.eventType', { n: i + 1 })} error={errAt(`events[${i}].type`)} value={ev.type}
                  onChange={(v) => setEvent(i, v === 'status' ? { type: v, status: ev.status ?? 'pending' } : { type: v, status: undefined })}>
                  {EVENT_TYPES.map((x) => <option key={x} value={x}>{t(`sim.type.${x}`)}</option>)}
                </SelectField>
                {ev.type === 'status' ? (
                  <SelectField label={t('sim.eventStatus', { n: i + 1 })} error={errAt(`events[${i}].status`)} value={ev.status ?? 'pending'} onChange={(v) => setEvent(i, { status: v })}>
                    {TICKET_STATUSES.map((x) => <option key={x} value={x}>{x}</option>)}
                  </SelectField>
                ) : null}
                <button type="button" className="button small" aria-label={t('sim.remove', { n: i + 1 })} onClick={() => setEvents((list) => list.filter((_, j) => j !== i))}>×</button>
              </div>
            ))}
            <button type="button" className="button small" onClick={() => setEvents((list) => [...list, { at: list.at(-1)?.at ?? new Date().toISOString(), type: 'customer_message' }])}>
              {t('sim.addEvent')}
            </button>
          </fieldset>
          <TextField label={t('sim.at')} hint={t('sim.atHint')} error={errAt('at')} value={at} onChange={setAt} />
          <ErrorBanner error={bannerError(error, [])} />
          <div className="actions"><button type="submit" className="button primary" disabled={busy} data-testid="sim-run">{t('sim.run')}</button></div>
        </form>
      )}
      {result ? <SimulationView result={result} /> : null}
    </section>
  );
}

/** Every clock as a row, and each cycle as a bar on one shared time axis (first start → evaluation instant). */
function SimulationView({ result }: { result: SimulationResult }) {
  const { t } = useTranslation('admin');
  const entries = Object.entries(result.metrics);
  const starts = entries.flatMap(([, m]) => m.cycles.map((c) => Date.parse(c.started_at)));
  const from = starts.length ? Math.min(...starts) : Date.parse(result.at);
  const to = Math.max(Date.parse(result.at), ...entries.map(([, m]) => (m.due_at ? Date.parse(m.due_at) : 0)));
  const pct = (iso: string) => (to > from ? ((Date.parse(iso) - from) / (to - from)) * 100 : 0);
  return (
    <div data-testid="sim-result">
      <h3>{t('sim.result', { at: result.at })}</h3>
      <table className="table">
        <thead><tr><th scope="col">{t('sim.metric')}</th><th scope="col">{t('users.status')}</th><th scope="col">{t('sim.due')}</th><th scope="col">{t('sim.elapsed')}</th><th scope="col">{t('sim.remaining')}</th><th scope="col">{t('sim.timeline')}</th></tr></thead>
        <tbody>
          {entries.map(([name, m]) => (
            <tr key={name} data-testid={`sim-metric-${name}`}>
              <th scope="row">{name}</th>
              <td>{m.status}{m.breached ? ` · ${t('sim.breached')}` : ''}</td>
              <td>{m.due_at ?? '—'}</td>
              <td>{m.elapsed_business_minutes ?? '—'}</td>
              <td>{m.remaining_business_minutes ?? '—'}</td>
              <td>
                <div className="sim-track" role="img" aria-label={t('sim.cycles', { count: m.cycles.length })} style={{ position: 'relative', height: '0.8rem', background: 'var(--line, #ddd)', minWidth: '12rem' }}>
                  {m.cycles.map((c, i) => (
                    <span key={i} style={{ position: 'absolute', top: 0, bottom: 0, left: `${pct(c.started_at)}%`, width: `${Math.max(1, pct(c.completed_at ?? result.at) - pct(c.started_at))}%`, background: c.breached ? '#b42318' : '#1f6f43' }} />
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
