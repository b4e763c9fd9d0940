// Property tests on random event sequences, on 24/7 and on the contract's business calendar.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, type BusinessCalendar, type CalendarSpec } from '../calendar/index.ts';
import { formatInstant, parseInstant } from './instant.ts';
import { parseSimulationInput } from './simulation-schema.ts';
import { simulateSla } from './simulate.ts';
import { TICKET_STATUSES, type MetricResult, type SimulationResult } from './types.ts';

const CONTRACT_CALENDAR: CalendarSpec = {
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '24:00']], thu: [['22:00', '06:00']], fri: [['09:00', '17:00']] },
  holidays: ['2025-12-25', { date: '2025-12-24', yearly: true }, { country: 'DE', region: 'BY' }],
};
const CALENDARS: readonly { spec: CalendarSpec | null; compiled: BusinessCalendar }[] = [
  { spec: null, compiled: compileCalendar(null) },
  { spec: CONTRACT_CALENDAR, compiled: compileCalendar(CONTRACT_CALENDAR) },
];

type RawEvent = { at: string; type: string; status?: string };
type Scenario = { calendar: number; metrics: Record<string, unknown>[]; events: RawEvent[]; atMs: number };

const MESSAGE_TYPES = ['customer_message', 'agent_message', 'agent_note', 'auto_message'] as const;
const statusArb = fc.constantFrom(...TICKET_STATUSES);
const eventBodyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MESSAGE_TYPES).map((type) => ({ type })) },
  { weight: 2, arbitrary: statusArb.map((status) => ({ type: 'status', status })) },
);
// Many equal instants (gap 0), short gaps, and gaps across nights and weekends; seconds included.
const gapArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 3600 }), fc.integer({ min: 0, max: 4 * 86_400 }));
const targetArb = fc.integer({ min: 1, max: 600 });
const KINDS = ['created', 'customer_message', 'agent_message', ...TICKET_STATUSES.map((s) => `status:${s}`)];
const MESSAGE_KINDS = ['created', 'customer_message', 'agent_message'];

function metricsArb(customKinds: readonly string[], withOverrides: boolean) {
  const pause = withOverrides ? fc.option(fc.subarray([...TICKET_STATUSES]), { nil: undefined }) : fc.constant(undefined);
  const builtIn = (name: string) =>
    fc.record({ target: targetArb, pause }).map(({ target, pause: p }) => ({ name, target_minutes: target, ...(p === undefined ? {} : { pause_statuses: p }) }));
  const custom = fc
    .record({ target: targetArb, start: fc.subarray([...customKinds], { minLength: 1 }), stop: fc.subarray([...customKinds]), repeat: fc.boolean(), pause })
    .map(({ target, start, stop, repeat, pause: p }) => ({ name: 'custom', target_minutes: target, start_on: start, stop_on: stop, repeat, ...(p === undefined ? {} : { pause_statuses: p }) }));
  return fc.tuple(builtIn('first_response'), builtIn('next_response'), builtIn('periodic_update'), builtIn('resolution'), custom);
}

function scenarioArb(options: { customKinds?: readonly string[]; withOverrides?: boolean } = {}): fc.Arbitrary<Scenario> {
  return fc
    .record({
      calendar: fc.integer({ min: 0, max: CALENDARS.length - 1 }),
      metrics: metricsArb(options.customKinds ?? KINDS, options.withOverrides ?? true),
      // Anywhere in 2025, so DST changes and holidays get crossed.
      createdMs: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 11, 31) }).map((ms) => ms - (ms % 1000)),
      createdStatus: fc.option(statusArb, { nil: undefined }),
      steps: fc.array(fc.record({ gap: gapArb, body: eventBodyArb }), { maxLength: 20 }),
      atShift: fc.integer({ min: -3600, max: 3 * 86_400 }),
    })
    .map(({ calendar, metrics, createdMs, createdStatus, steps, atShift }) => {
      let t = createdMs;
      const events: RawEvent[] = [{ at: formatInstant(t), type: 'created', ...(createdStatus === undefined ? {} : { status: createdStatus }) }];
      for (const { gap, body } of steps) {
        t += gap * 1000;
        events.push({ at: formatInstant(t), ...body });
      }
      return { calendar, metrics: [...metrics], events, atMs: t + atShift * 1000 };
    });
}

function run(s: Scenario, atMs: number = s.atMs, events: RawEvent[] = s.events): SimulationResult {
  const parsed = parseSimulationInput({ metrics: s.metrics, events, at: formatInstant(atMs) });
  if (!parsed.ok) throw new Error(parsed.message);
  const cal = CALENDARS[s.calendar];
  if (cal === undefined) throw new Error('no such calendar');
  return simulateSla({ ...parsed.value, calendar: cal.spec }, cal.compiled);
}

const ms = (iso: string | null): number => {
  const v = iso === null ? null : parseInstant(iso);
  if (v === null) throw new Error(`not an instant: ${iso}`);
  return v;
};
const RUNS = { numRuns: 150 };

function checkMetric(m: MetricResult, target: number, at: number): void {
  expect(m.status === 'not_started').toBe(m.cycles.length === 0);
  if (m.status === 'not_started') {
    expect(m).toMatchObject({ started_at: null, completed_at: null, due_at: null, breached: false, breached_at: null, elapsed_business_minutes: null, remaining_business_minutes: null });
    return;
  }
  const last = m.cycles[m.cycles.length - 1];
  expect(last).toBeDefined();
  if (last === undefined || m.elapsed_business_minutes === null) return;
  // The metric reports its open cycle, or else its last one.
  expect(m).toMatchObject({ started_at: last.started_at, completed_at: last.completed_at, elapsed_business_minutes: last.elapsed_business_minutes, breached: last.breached });
  expect(m.remaining_business_minutes).toBe(target - m.elapsed_business_minutes);
  expect(m.completed_at === null).toBe(m.status !== 'completed');
  m.cycles.slice(0, -1).forEach((c) => expect(c.completed_at).not.toBeNull());
  for (const [i, c] of m.cycles.entries()) {
    const end = c.completed_at === null ? at : ms(c.completed_at);
    expect(ms(c.started_at)).toBeLessThanOrEqual(end);
    // Business time never exceeds wall-clock time.
    expect(c.elapsed_business_minutes).toBeLessThanOrEqual(Math.floor((end - ms(c.started_at)) / 60_000));
    const next = m.cycles[i + 1];
    if (next !== undefined && c.completed_at !== null) expect(ms(c.completed_at)).toBeLessThanOrEqual(ms(next.started_at));
  }
  expect(m.breached_at === null).toBe(!m.breached);
  if (m.breached_at !== null) expect(ms(m.breached_at)).toBeLessThan(m.completed_at === null ? at : ms(m.completed_at) + 1);
  if (m.status !== 'running') {
    expect(m.due_at).toBeNull();
    return;
  }
  const due = ms(m.due_at);
  if (m.breached) {
    expect(due).toBeLessThan(at);
    expect(m.breached_at).toBe(m.due_at);
  } else {
    expect(due).toBeGreaterThanOrEqual(at);
  }
  if (m.remaining_business_minutes !== null && m.remaining_business_minutes > 0) expect(due).toBeGreaterThan(at);
}

describe('SLA engine properties', () => {
  it('every metric is internally consistent', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const r = run(s);
        expect(ms(r.at)).toBe(s.atMs);
        const dues = Object.values(r.metrics).flatMap((m) => (m.due_at === null ? [] : [ms(m.due_at)]));
        expect(r.next_due_at).toBe(dues.length === 0 ? null : formatInstant(Math.min(...dues)));
        for (const def of s.metrics) {
          const m = r.metrics[String(def.name)];
          expect(m).toBeDefined();
          if (m !== undefined) checkMetric(m, Number(def.target_minutes), s.atMs);
        }
      }),
      RUNS,
    );
  });

  it('24/7: a running cycle is due exactly after its remaining time', () => {
    fc.assert(
      fc.property(scenarioArb(), (raw) => {
        const s = { ...raw, calendar: 0 };
        const r = run(s);
        for (const def of s.metrics) {
          const m = r.metrics[String(def.name)];
          if (m === undefined || m.status !== 'running' || m.breached || m.remaining_business_minutes === null) continue;
          const left = ms(m.due_at) - s.atMs;
          expect(left).toBeLessThanOrEqual(m.remaining_business_minutes * 60_000);
          expect(left).toBeGreaterThan((m.remaining_business_minutes - 1) * 60_000);
        }
      }),
      RUNS,
    );
  });

  it('elapsed time is monotone in `at`, cycles only accumulate and a breach never heals', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.integer({ min: 0, max: 2 * 86_400 }), (s, later) => {
        const early = run(s);
        const late = run(s, s.atMs + later * 1000);
        for (const name of Object.keys(early.metrics)) {
          const a = early.metrics[name]?.cycles ?? [];
          const b = late.metrics[name]?.cycles ?? [];
          expect(b.length).toBeGreaterThanOrEqual(a.length);
          a.forEach((c, i) => {
            const d = b[i];
            expect(d?.started_at).toBe(c.started_at);
            expect(d?.elapsed_business_minutes).toBeGreaterThanOrEqual(c.elapsed_business_minutes);
            if (c.breached) expect(d?.breached).toBe(true);
          });
        }
      }),
      RUNS,
    );
  });

  it('events after `at` are ignored', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const prefix = s.events.filter((e) => ms(e.at) <= s.atMs);
        if (prefix.length === 0) return;
        expect(run(s, s.atMs, prefix)).toEqual(run(s));
      }),
      RUNS,
    );
  });

  it('inserting a pending/resume pair never increases elapsed time', () => {
    fc.assert(
      fc.property(
        // Default pause list and no status kinds in the custom metric, so the pair changes pausing only.
        scenarioArb({ customKinds: MESSAGE_KINDS, withOverrides: false }),
        fc.nat(),
        fc.integer({ min: 0, max: 2 * 86_400 }),
        (s, pick, durationSeconds) => {
          const k = pick % s.events.length;
          const t1 = ms(s.events[k]?.at ?? null);
          const t2 = t1 + durationSeconds * 1000;
          const statusEvents = s.events.filter((e, i) => e.type === 'created' || e.type === 'status' ? i <= k : false);
          const resume = statusEvents[statusEvents.length - 1]?.status ?? 'new';
          // The pair must not change the status flow: resume to the status in force, and no status change inside.
          if (resume === 'pending' || resume === 'solved' || resume === 'closed') return;
          if (s.events.some((e, i) => i > k && e.type === 'status' && ms(e.at) <= t2)) return;
          const before = s.events.slice(0, k + 1);
          const rest = s.events.slice(k + 1);
          const split = rest.findIndex((e) => ms(e.at) > t2);
          const middle = split < 0 ? rest : rest.slice(0, split);
          const after = split < 0 ? [] : rest.slice(split);
          const withPause = [
            ...before,
            { at: formatInstant(t1), type: 'status', status: 'pending' },
            ...middle,
            { at: formatInstant(t2), type: 'status', status: resume },
            ...after,
          ];
          const atMs = Math.max(s.atMs, t1);
          const plain = run(s, atMs);
          const paused = run(s, atMs, withPause);
          for (const name of Object.keys(plain.metrics)) {
            const a = plain.metrics[name]?.cycles ?? [];
            const b = paused.metrics[name]?.cycles ?? [];
            expect(b.length).toBe(a.length);
            a.forEach((c, i) => {
              expect(b[i]?.started_at).toBe(c.started_at);
              expect(b[i]?.elapsed_business_minutes).toBeLessThanOrEqual(c.elapsed_business_minutes);
            });
          }
        },
      ),
      RUNS,
    );
  });
});
