// Ownership clocks (`group:<id>` in a custom metric's start_on/stop_on): the clock runs while the ticket is
// in that group. Properties on random assignment histories, and the guarantee that group events change no
// other metric.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, type CalendarSpec } from '../calendar/index.ts';
import { computeClocks } from './compute-clocks.ts';
import { TICKET_STATUSES, type MetricDefinition, type SimulationInput, type SlaEvent } from './types.ts';

const BILLING = '00000000-0000-4000-8000-00000000b111';
const SUPPORT = '00000000-0000-4000-8000-00000000a222';
const GROUPS = [BILLING, SUPPORT, null] as const;
const T0 = Date.parse('2025-03-10T08:00:00Z');
const ALWAYS = compileCalendar(null);
const SOFIA: CalendarSpec = { timezone: 'Europe/Sofia', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } };

const held = (repeat: boolean): MetricDefinition => ({
  name: 'held_by_billing', target_minutes: 600, pause_statuses: [], start_on: [`group:${BILLING}`], stop_on: [`group:${BILLING}`], repeat,
});

// Assignment histories: a start group, then moves at random gaps (0 to 3 days, minutes).
const historyArb = fc.record({
  first: fc.constantFrom(...GROUPS),
  moves: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 * 24 * 60 }), group: fc.constantFrom(...GROUPS) }), { maxLength: 12 }),
  tail: fc.integer({ min: 0, max: 3 * 24 * 60 }),
});

function eventsOf(h: { first: string | null; moves: { gap: number; group: string | null }[] }): { events: SlaEvent[]; end: number } {
  const events: SlaEvent[] = [{ at: T0, type: 'created', status: 'open', group: h.first }];
  let at = T0;
  for (const m of h.moves) {
    at += m.gap * 60_000;
    events.push({ at, type: 'group', group: m.group });
  }
  return { events, end: at };
}

/** Minutes the history spends in Billing up to `until`, summed by hand (24/7). */
function billingMinutes(events: readonly SlaEvent[], until: number): { minutes: number; spans: number } {
  let minutes = 0;
  let spans = 0;
  let current: string | null = null;
  let since = 0;
  for (const e of [...events, { at: until, type: 'group' as const, group: '__end__' }]) {
    const next: string | null = e.type === 'created' || e.type === 'group' ? e.group ?? null : current;
    if (next === current) continue;
    if (current === BILLING) minutes += (e.at - since) / 60_000;
    if (next === BILLING) { spans += 1; since = e.at; }
    current = next;
  }
  return { minutes, spans };
}

const input = (metrics: MetricDefinition[], events: SlaEvent[], at: number, calendar: CalendarSpec | null = null): SimulationInput =>
  ({ calendar, metrics, pause_statuses: ['pending'], events, at });

describe('ownership clock (group:<id>)', () => {
  it('without repeat: one cycle whose time is the sum of every span in the group (24/7)', () => {
    fc.assert(fc.property(historyArb, (h) => {
      const { events, end } = eventsOf(h);
      const at = end + h.tail * 60_000;
      const [m] = computeClocks(input([held(false)], events, at), ALWAYS).metrics;
      const want = billingMinutes(events, at);
      if (want.spans === 0) {
        expect(m?.status).toBe('not_started');
      } else {
        expect(m?.cycles).toHaveLength(1);
        expect((m?.current?.usedMs ?? 0) / 60_000).toBe(want.minutes);
      }
    }), { numRuns: 300 });
  });

  it('with repeat: one cycle per span, adding up to the same time', () => {
    fc.assert(fc.property(historyArb, (h) => {
      const { events, end } = eventsOf(h);
      const at = end + h.tail * 60_000;
      const [m] = computeClocks(input([held(true)], events, at), ALWAYS).metrics;
      const want = billingMinutes(events, at);
      expect(m?.cycles.length ?? 0).toBe(want.spans);
      expect((m?.cycles ?? []).reduce((s, c) => s + c.usedMs, 0) / 60_000).toBe(want.minutes);
    }), { numRuns: 300 });
  });

  it('group events change no built-in metric and no metric without group kinds', () => {
    const others: MetricDefinition[] = [
      { name: 'first_response', target_minutes: 60, pause_statuses: null },
      { name: 'next_response', target_minutes: 60, pause_statuses: null },
      { name: 'periodic_update', target_minutes: 120, pause_statuses: null },
      { name: 'resolution', target_minutes: 600, pause_statuses: null },
      { name: 'customer_wait', target_minutes: 90, pause_statuses: null, start_on: ['created', 'customer_message'], stop_on: ['agent_message'], repeat: true },
    ];
    const stepArb = fc.record({
      gap: fc.integer({ min: 0, max: 2 * 24 * 60 }),
      body: fc.oneof(
        fc.constantFrom('customer_message', 'agent_message', 'agent_note').map((type) => ({ type }) as const),
        fc.constantFrom(...TICKET_STATUSES).map((status) => ({ type: 'status', status }) as const),
        fc.constantFrom(...GROUPS).map((group) => ({ type: 'group', group }) as const),
      ),
    });
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 15 }), fc.boolean(), (steps, business) => {
      const calendar = business ? SOFIA : null;
      const compiled = compileCalendar(calendar);
      const withGroups: SlaEvent[] = [{ at: T0, type: 'created', status: 'new', group: BILLING }];
      let at = T0;
      for (const s of steps) { at += s.gap * 60_000; withGroups.push({ at, ...s.body } as SlaEvent); }
      const without = withGroups.filter((e) => e.type !== 'group').map((e) => (e.type === 'created' ? { at: e.at, type: e.type, status: e.status } : e));
      const a = computeClocks(input(others, withGroups, at + 3_600_000, calendar), compiled);
      const b = computeClocks(input(others, without, at + 3_600_000, calendar), compiled);
      expect(a).toEqual(b);
    }), { numRuns: 300 });
  });

  it('counts business hours only, across two assignments and a night', () => {
    // Mon 10 Mar 2025, Sofia (UTC+2): Billing 15:00–17:00 local (2 h), Support overnight, Billing Tue 09:30–10:00 (30 min).
    const events: SlaEvent[] = [
      { at: Date.parse('2025-03-10T13:00:00Z'), type: 'created', status: 'open', group: BILLING },
      { at: Date.parse('2025-03-10T16:00:00Z'), type: 'group', group: SUPPORT },
      { at: Date.parse('2025-03-11T07:30:00Z'), type: 'group', group: BILLING },
      { at: Date.parse('2025-03-11T08:00:00Z'), type: 'group', group: SUPPORT },
    ];
    const [m] = computeClocks(input([held(false)], events, Date.parse('2025-03-12T12:00:00Z'), SOFIA), compileCalendar(SOFIA)).metrics;
    expect(m?.status).toBe('completed');
    expect((m?.current?.usedMs ?? 0) / 60_000).toBe(150);
  });
});
