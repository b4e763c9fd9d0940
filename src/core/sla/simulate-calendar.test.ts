// Rules that need a business calendar (compiled by the calendar module). Europe/Berlin is UTC+1
// until 2025-03-30 02:00 local, UTC+2 after; expected instants below are hand-converted to UTC.

import { describe, expect, it } from 'vitest';
import { metricOf, simulateMetric, simulateOk, type RawEvent } from './test-helpers.ts';

const OFFICE = {
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
};
const FR60 = { name: 'first_response', target_minutes: 60 };
const e = (at: string, type: string, status?: string): RawEvent => (status === undefined ? { at, type } : { at, type, status });
const office = (metric: Record<string, unknown>, events: RawEvent[], at?: string) => simulateMetric(metric, events, at, { calendar: OFFICE });

// Friday 2025-03-07 and the following days, local 09:00 = 08:00Z.
const FRI_1600 = '2025-03-07T15:00:00Z';
const FRI_1630 = '2025-03-07T15:30:00Z';
const FRI_1700 = '2025-03-07T16:00:00Z';
const SAT_1000 = '2025-03-08T09:00:00Z';
const MON_0900 = '2025-03-10T08:00:00Z';

describe('contract examples with a calendar', () => {
  it('2: Mon–Fri 09–17 Berlin, created Friday 16:30 local, 60 min → due Monday 09:30 local', () => {
    const m = office(FR60, [e(FRI_1630, 'created')]);
    expect(m).toMatchObject({ status: 'running', due_at: '2025-03-10T08:30:00Z', elapsed_business_minutes: 0 });
  });

  it('3: created Friday 16:00 local, 60 min → due Friday 17:00 local, not Monday 09:00', () => {
    expect(office(FR60, [e(FRI_1600, 'created')])).toMatchObject({ due_at: FRI_1700 });
  });

  it('4: created Monday 10:00, pending 10:15–11:15 → due 12:00 local', () => {
    const m = office(FR60, [e('2025-03-10T09:00:00Z', 'created'), e('2025-03-10T09:15:00Z', 'status', 'pending'), e('2025-03-10T10:15:00Z', 'status', 'open')]);
    expect(m).toMatchObject({ status: 'running', due_at: '2025-03-10T11:00:00Z', elapsed_business_minutes: 15 });
  });

  it('5: every day 00:00–24:00 on the spring-forward Sunday: 120 min from 01:30 → 04:30 local', () => {
    const calendar = {
      timezone: 'Europe/Berlin',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])),
    };
    const m = simulateMetric({ name: 'first_response', target_minutes: 120 }, [e('2025-03-30T00:30:00Z', 'created')], undefined, { calendar });
    // 01:30 CET = 00:30Z; 04:30 CEST = 02:30Z: two real hours.
    expect(m.due_at).toBe('2025-03-30T02:30:00Z');
  });

  it('7: resolution 480 solved after 3 business hours, reopened next day 09:00 → resumes with 180 used', () => {
    const metric = { name: 'resolution', target_minutes: 480 };
    const events = [e(MON_0900, 'created'), e('2025-03-10T11:00:00Z', 'status', 'solved'), e('2025-03-11T08:00:00Z', 'status', 'open')];
    expect(office(metric, events, '2025-03-10T16:00:00Z')).toMatchObject({ status: 'completed', elapsed_business_minutes: 180, remaining_business_minutes: 300 });
    expect(office(metric, events)).toMatchObject({ status: 'running', completed_at: null, elapsed_business_minutes: 180, due_at: '2025-03-11T13:00:00Z' });
    expect(office(metric, events, '2025-03-11T09:00:00Z')).toMatchObject({ elapsed_business_minutes: 240, remaining_business_minutes: 240 });
  });
});

describe('breach on a calendar is wall-clock', () => {
  const created = e(FRI_1600, 'created');
  it.each([
    ['answered Saturday: breached at Friday 17:00', [e(SAT_1000, 'agent_message')], undefined, { status: 'completed', breached: true, breached_at: FRI_1700, elapsed_business_minutes: 60, remaining_business_minutes: 0, due_at: null }],
    ['answered Friday 17:30 (closed, still 60 used): breached', [e('2025-03-07T16:30:00Z', 'agent_message')], undefined, { breached: true, breached_at: FRI_1700 }],
    ['answered exactly at Friday 17:00: not breached', [e(FRI_1700, 'agent_message')], undefined, { status: 'completed', breached: false, breached_at: null }],
    ['open on Saturday: running, due stays Friday 17:00, breached', [], SAT_1000, { status: 'running', due_at: FRI_1700, breached: true, breached_at: FRI_1700, elapsed_business_minutes: 60 }],
    ['open exactly at Friday 17:00: due now, not yet breached', [], FRI_1700, { status: 'running', due_at: FRI_1700, breached: false, remaining_business_minutes: 0 }],
    ['pending from 16:30: paused before the target ran out, not breached', [e(FRI_1630, 'status', 'pending')], SAT_1000, { status: 'paused', breached: false, elapsed_business_minutes: 30 }],
    ['pending Saturday after running out Friday: still breached', [e(SAT_1000, 'status', 'pending')], '2025-03-08T10:00:00Z', { status: 'paused', breached: true, breached_at: FRI_1700 }],
  ])('%s', (_label, later, at, expected) => {
    expect(office(FR60, [created, ...later], at)).toMatchObject(expected);
  });
});

describe('calendar boundaries', () => {
  const FR120 = { name: 'first_response', target_minutes: 120 };
  it('created while closed: running, waiting for the calendar, due from the next opening', () => {
    const m = office(FR60, [e(SAT_1000, 'created')], '2025-03-08T11:00:00Z');
    expect(m).toMatchObject({ status: 'running', elapsed_business_minutes: 0, due_at: '2025-03-10T09:00:00Z' });
  });

  it('a pause from exactly the closing time to exactly the opening time changes nothing', () => {
    const paused = office(FR120, [e(FRI_1600, 'created'), e(FRI_1700, 'status', 'pending'), e(MON_0900, 'status', 'open')], '2025-03-10T08:30:00Z');
    const plain = office(FR120, [e(FRI_1600, 'created')], '2025-03-10T08:30:00Z');
    expect(paused).toMatchObject({ status: 'running', elapsed_business_minutes: 90, due_at: '2025-03-10T09:00:00Z' });
    expect(plain).toMatchObject({ elapsed_business_minutes: 90, due_at: '2025-03-10T09:00:00Z' });
  });

  it('a pause starting exactly at the opening time excludes that hour', () => {
    const m = office(FR120, [e(FRI_1600, 'created'), e(MON_0900, 'status', 'pending'), e('2025-03-10T09:00:00Z', 'status', 'open')], '2025-03-10T09:30:00Z');
    expect(m).toMatchObject({ status: 'running', elapsed_business_minutes: 90, due_at: '2025-03-10T10:00:00Z' });
  });

  it('paused over the weekend while overdue is not resumed by the calendar', () => {
    const m = office(FR60, [e(FRI_1600, 'created'), e(FRI_1700, 'status', 'pending')], '2025-03-10T12:00:00Z');
    // Used up exactly as the pause started: breached once time passes, no accrual while pending.
    expect(m).toMatchObject({ status: 'paused', elapsed_business_minutes: 60, breached: true, breached_at: FRI_1700 });
  });

  it('a holiday closes the whole day; an overnight tail from the evening before stays', () => {
    const calendar = { timezone: 'Europe/Berlin', hours: { thu: [['22:00', '06:00']] }, holidays: ['2025-03-14'] };
    // Thu 2025-03-13 23:00 local = 22:00Z; 360 min: Thu 23:00 → Fri 05:00 local (the Friday is a holiday).
    const m = simulateMetric({ name: 'first_response', target_minutes: 360 }, [e('2025-03-13T22:00:00Z', 'created')], undefined, { calendar });
    expect(m.due_at).toBe('2025-03-14T04:00:00Z');
  });
});

describe('the contract input example', () => {
  const INPUT = {
    calendar: {
      timezone: 'Europe/Berlin',
      hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '24:00']], thu: [['22:00', '06:00']], fri: [['09:00', '17:00']] },
      holidays: ['2025-12-25', { date: '2025-12-24', yearly: true }, { country: 'DE', region: 'BY' }],
    },
    metrics: [
      { name: 'first_response', target_minutes: 60 },
      { name: 'next_response', target_minutes: 120 },
      { name: 'periodic_update', target_minutes: 480 },
      { name: 'resolution', target_minutes: 960, pause_statuses: ['pending', 'on_hold'] },
      { name: 'customer_update', target_minutes: 60, start_on: ['created', 'customer_message'], stop_on: ['agent_message'], repeat: true },
    ],
    pause_statuses: ['pending'],
    events: [
      { at: '2025-03-07T15:50:00Z', type: 'created', status: 'new' },
      { at: '2025-03-10T08:15:00Z', type: 'agent_message' },
      { at: '2025-03-10T08:16:00Z', type: 'status', status: 'pending' },
    ],
    at: '2025-03-11T12:00:00Z',
  };

  it('evaluates to the documented output', () => {
    const r = simulateOk(INPUT);
    expect(r.at).toBe('2025-03-11T12:00:00Z');
    expect(r.next_due_at).toBeNull();
    // Fri 16:50–17:00 (10) + Mon 09:00–09:15 (15).
    expect(metricOf(r, 'first_response')).toEqual({
      status: 'completed',
      started_at: '2025-03-07T15:50:00Z',
      completed_at: '2025-03-10T08:15:00Z',
      due_at: null,
      breached: false,
      breached_at: null,
      elapsed_business_minutes: 25,
      remaining_business_minutes: 35,
      cycles: [{ started_at: '2025-03-07T15:50:00Z', completed_at: '2025-03-10T08:15:00Z', elapsed_business_minutes: 25, breached: false }],
    });
    expect(metricOf(r, 'next_response')).toMatchObject({ status: 'not_started', cycles: [] });
    expect(metricOf(r, 'periodic_update')).toEqual({
      status: 'paused',
      started_at: '2025-03-10T08:15:00Z',
      completed_at: null,
      due_at: null,
      breached: false,
      breached_at: null,
      elapsed_business_minutes: 1,
      remaining_business_minutes: 479,
      cycles: [
        { started_at: '2025-03-07T15:50:00Z', completed_at: '2025-03-10T08:15:00Z', elapsed_business_minutes: 25, breached: false },
        { started_at: '2025-03-10T08:15:00Z', completed_at: null, elapsed_business_minutes: 1, breached: false },
      ],
    });
    expect(metricOf(r, 'resolution')).toMatchObject({ status: 'paused', elapsed_business_minutes: 26, remaining_business_minutes: 934, due_at: null });
    expect(metricOf(r, 'customer_update')).toMatchObject({ status: 'completed', elapsed_business_minutes: 25, remaining_business_minutes: 35, cycles: [{ started_at: '2025-03-07T15:50:00Z', completed_at: '2025-03-10T08:15:00Z', elapsed_business_minutes: 25, breached: false }] });
  });

  it('the lunch break and the overnight Thursday shift are business hours as written', () => {
    // Mon 12:00 local + 60 min: 12:00–12:30, lunch, 13:30–14:00 → 13:00Z.
    const lunch = simulateMetric(FR60, [e('2025-03-10T11:00:00Z', 'created')], undefined, { calendar: INPUT.calendar });
    expect(lunch.due_at).toBe('2025-03-10T13:00:00Z');
    // Thu 2025-03-13 21:00 local (20:00Z) + 60 → Thu 23:00 local = 22:00Z.
    const night = simulateMetric(FR60, [e('2025-03-13T20:00:00Z', 'created')], undefined, { calendar: INPUT.calendar });
    expect(night.due_at).toBe('2025-03-13T22:00:00Z');
  });

  it('Christmas week: created Tue 23 Dec 16:30 local → due Mon 29 Dec 09:30 local', () => {
    // 24th yearly, 25th listed, 26th Bavarian public holiday; the Thursday night shift starts on the 25th.
    const m = simulateMetric(FR60, [e('2025-12-23T15:30:00Z', 'created')], undefined, { calendar: INPUT.calendar });
    expect(m.due_at).toBe('2025-12-29T08:30:00Z');
  });
});
