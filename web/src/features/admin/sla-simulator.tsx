import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, TICKET_PRIORITIES, TICKET_STATUSES, type SimulationEvent, type SimulationResult, type SlaPolicy, type SlaPolicyMetric } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { displayTimeZone, formatBusinessMinutes, formatDateTime, formatDuration } from '../../lib/format.ts';
import { utcToWall, wallToUtc } from './sim-time.ts';
import { ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, useFocusFirstInvalid } from './forms.ts';
import { ApiError } from '../../lib/api.ts';
import { slaApi } from './sla-api.ts';

const EVENT_TYPES = ['created', 'customer_message', 'agent_message', 'agent_note', 'auto_message', 'status'] as const;

/** What the simulator needs of a policy: a stored one, or the one being edited. */
export type SimPolicy = Pick<SlaPolicy, 'name' | 'calendar_id' | 'pause_statuses'> & { metrics: (SlaPolicyMetric & { clock?: 'business' | 'calendar' })[] };
export type SimCalendar = { name: string; spec: Record<string, unknown> };

/**
 * The simulator input for a policy: each metric's target for the chosen priority (docs/sla-simulator.md).
 * A metric with no target for that priority does not apply (as on live tickets, core/policies/ticket-sla-input.ts).
 */
export function simulationFor(policy: SimPolicy, calendar: Record<string, unknown> | null, priority: string, events: SimulationEvent[], at: string) {
  const metrics = policy.metrics.flatMap((m) => {
    const target = m.targets_by_priority?.[priority] ?? m.target_minutes;
    if (target === undefined) return [];
    return [{
      name: m.name,
      target_minutes: target,
      ...(m.pause_statuses ? { pause_statuses: m.pause_statuses } : {}),
      ...(m.start_on ? { start_on: m.start_on } : {}),
      ...(m.stop_on ? { stop_on: m.stop_on } : {}),
      ...(m.repeat !== undefined ? { repeat: m.repeat } : {}),
      ...(m.clock === 'calendar' ? { clock: 'calendar' } : {}),
    }];
  });
  return { calendar, pause_statuses: policy.pause_statuses, metrics, events, ...(at.trim() ? { at: at.trim() } : {}) };
}

const DRAFT = '__draft__';

/** An event as the form holds it: its instant as wall time in the viewer's zone (converted to UTC on submit). */
type SimRow = { local: string; type: string; status?: string | undefined };
type Replayed = { ticket: string; count: number; merged: number[]; policy: { id: string; name: string } | null };

const DEFAULT_EVENTS: SimulationEvent[] = [{ at: '2025-03-07T15:50:00Z', type: 'created' }, { at: '2025-03-10T08:15:00Z', type: 'agent_message' }];

/**
 * Admin → SLA simulator: pick a policy and a calendar (or the one being edited), enter a ticket's events or
 * replay a real ticket's, and see every clock. The server's simulator is the same engine that computes live
 * tickets, so what it shows is what would happen. A replay takes the ticket's own policy and its whole event
 * log from the server (GET /sla/replay/:ref); choosing another policy afterwards is shown as an override.
 * Instants are entered in the viewer's zone and sent as UTC.
 */
export function SlaSimulator({ draftPolicy, draftCalendar }: { draftPolicy?: SimPolicy; draftCalendar?: SimCalendar } = {}) {
  const { t } = useTranslation('admin');
  const { t: t2 } = useTranslation('admin2');
  const zone = displayTimeZone();
  const data = useLoad(['admin', 'sla'], async () => {
    const [policies, calendars] = await Promise.all([api.slaPolicies(), api.slaCalendars()]);
    return { policies, calendars };
  });
  const [policyId, setPolicyId] = useState(draftPolicy ? DRAFT : '');
  const [calendarId, setCalendarId] = useState(draftCalendar ? DRAFT : 'policy');
  const [priority, setPriority] = useState('normal');
  const [at, setAt] = useState('');
  const [events, setEvents] = useState<SimRow[]>(() => DEFAULT_EVENTS.map((e) => ({ ...e, local: utcToWall(e.at, zone) })));
  const [ticketRef, setTicketRef] = useState('');
  const [replayed, setReplayed] = useState<Replayed | null>(null);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const { busy, error, run } = useSubmit();
  const replay = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { policies, calendars } = data.data;
  const policy: SimPolicy | undefined = policyId === DRAFT && draftPolicy ? draftPolicy : policies.find((p) => p.id === policyId) ?? draftPolicy ?? policies[0];
  const selectedPolicyId = policyId === DRAFT && draftPolicy ? DRAFT : policies.find((p) => p.id === policyId)?.id ?? (draftPolicy ? DRAFT : policies[0]?.id ?? '');
  const errAt = (path: string) => (error instanceof ApiError ? error.errors.find((e) => e.path === path)?.message : undefined);
  const ticketPolicy = replayed?.policy ?? null;
  const overriding = replayed !== null && ticketPolicy !== null && selectedPolicyId !== ticketPolicy.id;

  function chosenCalendar(p: SimPolicy): { name: string; spec: Record<string, unknown> | null } {
    if (calendarId === DRAFT && draftCalendar) return draftCalendar;
    if (calendarId === '24/7') return { name: t('sim.always'), spec: null };
    const id = calendarId === 'policy' ? p.calendar_id : calendarId;
    const cal = calendars.find((c) => c.id === id);
    return cal ? { name: cal.name, spec: cal.spec } : { name: t('sim.always'), spec: null };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!policy) return;
    const cal = chosenCalendar(policy);
    // A time the browser could not complete goes as typed, so the API names that event's field.
    const utc: SimulationEvent[] = events.map((ev) => ({ at: wallToUtc(ev.local, zone) ?? ev.local, type: ev.type, ...(ev.status ? { status: ev.status } : {}) }));
    const atUtc = at.trim() ? wallToUtc(at, zone) ?? at : '';
    void run(async () => setResult(await api.simulate(simulationFor(policy, cal.spec, priority, utc, atUtc))));
  }
  function loadTicket() {
    void replay.run(async () => {
      const r = await slaApi.replay(ticketRef.trim().replace(/^#/, ''));
      setEvents(r.events.map((ev) => ({ local: utcToWall(ev.at, zone), type: ev.type, status: ev.status })));
      if ((TICKET_PRIORITIES as readonly string[]).includes(r.ticket.priority)) setPriority(r.ticket.priority);
      // The ticket's own policy by default: the replay shows what its live clocks did.
      if (r.policy) setPolicyId(r.policy.id);
      setCalendarId('policy');
      setAt(utcToWall(r.at, zone));
      setReplayed({ ticket: r.ticket.display_number, count: r.events.length, merged: r.merged_ticket_numbers, policy: r.policy });
      setResult(null);
    });
  }
  const setEvent = (i: number, patch: Partial<SimRow>) => setEvents((list) => list.map((ev, j) => (j === i ? { ...ev, ...patch } : ev)));
  const calendarName = policy ? chosenCalendar(policy).name : '';
  const policyHint = replayed === null ? undefined
    : ticketPolicy === null ? t2('replay.noPolicy')
      : overriding ? t2('replay.overriding', { name: ticketPolicy.name })
        : t2('replay.ticketPolicy', { name: ticketPolicy.name });

  return (
    <section className="panel" data-testid="sla-simulator" aria-labelledby="sim-title">
      <h2 id="sim-title">{t('sim.title')}</h2>
      <p className="muted">{t('sim.intro')}</p>
      {!policy ? <p>{t('sim.noPolicies')}</p> : (
        <>
          <div className="inline-form" data-testid="sim-replay">
            <TextField label={t('sim.replayTicket')} hint={t2('replay.hint')} value={ticketRef} onChange={setTicketRef} size={10} />
            <button type="button" className="button small" disabled={!ticketRef.trim() || replay.busy} onClick={loadTicket} data-testid="sim-replay-load">{t('sim.replayLoad')}</button>
          </div>
          <ErrorBanner error={replay.error} />
          {replayed ? (
            <p className="banner banner-ok" role="status" data-testid="sim-replayed">
              {t('sim.replayed', { ticket: replayed.ticket, n: replayed.count })}
              {replayed.merged.length ? ` ${t2('replay.merged', { count: replayed.merged.length, tickets: replayed.merged.map((n) => `#${n}`).join(', ') })}` : ''}
            </p>
          ) : null}
          <form ref={formRef} onSubmit={submit} noValidate aria-label={t('sim.title')}>
            <div data-testid="sim-policy" data-overriding={overriding ? 'true' : 'false'}>
              <SelectField label={t('sim.policy')} hint={policyHint} value={selectedPolicyId} onChange={setPolicyId}>
                {draftPolicy ? <option value={DRAFT}>{t('sim.thisPolicy', { name: draftPolicy.name || t('pol.unsaved') })}</option> : null}
                {policies.map((p) => <option key={p.id} value={p.id}>{p.id === ticketPolicy?.id ? t2('replay.ticketPolicyOption', { name: p.name }) : p.name}</option>)}
              </SelectField>
              {overriding && ticketPolicy ? (
                <p className="banner" role="status" data-testid="sim-policy-override">
                  {t2('replay.overrideBanner', { name: ticketPolicy.name })}{' '}
                  <button type="button" className="button small" onClick={() => setPolicyId(ticketPolicy.id)} data-testid="sim-policy-reset">{t2('replay.useTicketPolicy')}</button>
                </p>
              ) : null}
            </div>
            <SelectField label={t('sim.calendar')} value={calendarId} onChange={setCalendarId}>
              {draftCalendar ? <option value={DRAFT}>{t('sim.thisCalendar', { name: draftCalendar.name })}</option> : null}
              <option value="policy">{t('sim.policyCalendar')}</option>
              <option value="24/7">{t('sim.always')}</option>
              {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </SelectField>
            <SelectField label={t('sim.priority')} value={priority} onChange={setPriority}>
              {TICKET_PRIORITIES.map((p) => <option key={p} value={p}>{t(`pol.priority.${p}`)}</option>)}
            </SelectField>
            <fieldset className="field" data-zone={zone}>
              <legend>{t('sim.events')}</legend>
              <p className="muted small" data-testid="sim-zone-input">{t2('replay.zone', { zone })}</p>
              {events.map((ev, i) => (
                <div key={i} className="inline-form" data-testid={`sim-event-${i}`}>
                  <TextField type="datetime-local" step={1} label={t('sim.eventAt', { n: i + 1 })} error={errAt(`events[${i}].at`)} value={ev.local} onChange={(v) => setEvent(i, { local: v })} />
                  <SelectField label={t('sim.eventType', { n: i + 1 })} error={errAt(`events[${i}].type`)} value={ev.type}
                    onChange={(v) => setEvent(i, v === 'status' ? { type: v, status: ev.status ?? 'pending' } : { type: v, status: undefined })}>
                    {EVENT_TYPES.map((x) => <option key={x} value={x}>{t(`sim.type.${x}`)}</option>)}
                  </SelectField>
                  {ev.type === 'status' ? (
                    <SelectField label={t('sim.eventStatus', { n: i + 1 })} error={errAt(`events[${i}].status`)} value={ev.status ?? 'pending'} onChange={(v) => setEvent(i, { status: v })}>
                      {TICKET_STATUSES.map((x) => <option key={x} value={x}>{t(`pol.status.${x}`)}</option>)}
                    </SelectField>
                  ) : null}
                  <button type="button" className="button small" aria-label={t('sim.remove', { n: i + 1 })} onClick={() => setEvents((list) => list.filter((_, j) => j !== i))}>×</button>
                </div>
              ))}
              <button type="button" className="button small" onClick={() => setEvents((list) => [...list, { local: list.at(-1)?.local ?? utcToWall(new Date().toISOString(), zone), type: 'customer_message' }])}>
                {t('sim.addEvent')}
              </button>
            </fieldset>
            <TextField type="datetime-local" step={1} label={t('sim.at')} hint={t('sim.atHint')} error={errAt('at')} value={at} onChange={setAt} />
            <ErrorBanner error={bannerError(error, [])} />
            <div className="actions"><button type="submit" className="button primary" disabled={busy} data-testid="sim-run">{t('sim.run')}</button></div>
          </form>
        </>
      )}
      {result && policy ? <SimulationView result={result} policy={policy} priority={priority} calendarName={calendarName} /> : null}
    </section>
  );
}

/** A target as people say it: "24 hours" around the clock, or "24 business hours" only while the calendar is open. */
export function TargetText({ minutes, clock }: { minutes: number; clock: 'business' | 'calendar' | undefined }) {
  const { t } = useTranslation('admin');
  return clock === 'calendar'
    ? <span data-clock="calendar">{t('pol.targetCalendar', { time: formatDuration(minutes * 60_000) })}</span>
    : <span data-clock="business">{t('pol.targetBusiness', { time: formatBusinessMinutes(minutes) })}</span>;
}

/** Every clock as a row, and each cycle as a bar on one shared time axis (first start → evaluation instant), due times as marks. */
function SimulationView({ result, policy, priority, calendarName }: { result: SimulationResult; policy: SimPolicy; priority: string; calendarName: string }) {
  const { t } = useTranslation('admin');
  const entries = Object.entries(result.metrics);
  const starts = entries.flatMap(([, m]) => m.cycles.map((c) => Date.parse(c.started_at)));
  const from = starts.length ? Math.min(...starts) : Date.parse(result.at);
  const to = Math.max(Date.parse(result.at), ...entries.map(([, m]) => (m.due_at ? Date.parse(m.due_at) : 0)));
  const pct = (iso: string) => (to > from ? ((Date.parse(iso) - from) / (to - from)) * 100 : 0);
  return (
    <div data-testid="sim-result">
      <h3>{t('sim.result', { at: formatDateTime(result.at) })}</h3>
      <p className="muted small" data-testid="sim-zone">{t('sim.zoneNote', { zone: displayTimeZone(), calendar: calendarName })}</p>
      {result.next_due_at ? <p data-testid="sim-next-due">{t('sim.nextDue')}: <time dateTime={result.next_due_at}>{formatDateTime(result.next_due_at)}</time></p> : null}
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th scope="col">{t('sim.metric')}</th><th scope="col">{t('pol.target')}</th><th scope="col">{t('users.status')}</th><th scope="col">{t('sim.due')}</th><th scope="col">{t('sim.elapsed')}</th><th scope="col">{t('sim.remaining')}</th><th scope="col">{t('sim.timeline')}</th></tr></thead>
          <tbody>
            {entries.map(([name, m]) => {
              const def = policy.metrics.find((x) => x.name === name);
              const target = def ? def.targets_by_priority?.[priority] ?? def.target_minutes : undefined;
              return (
                <tr key={name} data-testid={`sim-metric-${name}`}>
                  <th scope="row">{t(`pol.metric.${name}`, { defaultValue: name })}</th>
                  <td>{target !== undefined ? <TargetText minutes={target} clock={def?.clock} /> : '—'}</td>
                  <td>{t(`sim.status.${m.status}`, { defaultValue: m.status })}{m.breached ? ` · ${t('sim.breached')}` : ''}{m.warning ? ` · ${t('sim.warning')}` : ''}</td>
                  <td data-testid="sim-due">{m.due_at ? <time dateTime={m.due_at}>{formatDateTime(m.due_at)}</time> : '—'}</td>
                  <td>{formatBusinessMinutes(m.elapsed_business_minutes)}</td>
                  <td>{m.remaining_business_minutes !== null && m.remaining_business_minutes < 0 ? `−${formatBusinessMinutes(-m.remaining_business_minutes)}` : formatBusinessMinutes(m.remaining_business_minutes)}</td>
                  <td>
                    <div className="sim-track" role="img" style={{ position: 'relative', height: '0.8rem', background: 'var(--line, #ddd)', minWidth: '12rem' }}
                      aria-label={[
                        ...m.cycles.map((c, i) => t('sim.cycleText', { n: i + 1, from: formatDateTime(c.started_at), to: c.completed_at ? formatDateTime(c.completed_at) : t('sim.open') })),
                        ...(m.due_at ? [`${t('sim.due')}: ${formatDateTime(m.due_at)}`] : []),
                      ].join('; ') || t('sim.noCycles')}>
                      {m.cycles.map((c, i) => (
                        <span key={i} style={{ position: 'absolute', top: 0, bottom: 0, left: `${pct(c.started_at)}%`, width: `${Math.max(1, pct(c.completed_at ?? result.at) - pct(c.started_at))}%`, background: c.breached ? '#b42318' : '#1f6f43' }} />
                      ))}
                      {m.due_at ? <span style={{ position: 'absolute', top: '-0.2rem', bottom: '-0.2rem', left: `${pct(m.due_at)}%`, width: '2px', background: '#1d1d1f' }} /> : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t('sim.axis', { from: formatDateTime(new Date(from).toISOString()), to: formatDateTime(new Date(to).toISOString()) })}</p>
    </div>
  );
}
