// The `clock` extension: a metric may count wall-clock time ("24 hours" = 24 hours) instead of the
// calendar's business hours. Absent or "business" keeps the contract's behaviour exactly.

import { describe, expect, it } from 'vitest';
import { runSimulation } from './simulate.ts';
import { metricOf, simulateMetric, simulateOk, type RawEvent } from './test-helpers.ts';

const OFFICE = {
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
};
const e = (at: string, type: string, status?: string): RawEvent => (status === undefined ? { at, type } : { at, type, status });
// Tuesday 2025-03-11 21:46 UTC (22:46 Berlin, outside hours).
const TUE_2146 = '2025-03-11T21:46:00Z';

describe('metric clock: calendar vs business', () => {
  it('a calendar-clock 24 h target is due 24 wall-clock hours later, whatever the office hours', () => {
    const m = simulateMetric({ name: 'first_response', target_minutes: 1440, clock: 'calendar' }, [e(TUE_2146, 'created')], undefined, { calendar: OFFICE });
    expect(m.due_at).toBe('2025-03-12T21:46:00Z');
    expect(m.clock).toBe('calendar');
  });

  it('the same target on the business clock takes three working days (the review\'s Friday)', () => {
    const m = simulateMetric({ name: 'first_response', target_minutes: 1440 }, [e(TUE_2146, 'created')], undefined, { calendar: OFFICE });
    // 8 business hours a day from Wednesday 09:00 local: Wed, Thu, Fri → Friday 17:00 local = 16:00Z.
    expect(m.due_at).toBe('2025-03-14T16:00:00Z');
    expect(m).not.toHaveProperty('clock');
  });

  it('"business" written out is identical to absent, byte for byte', () => {
    const events = [e(TUE_2146, 'created'), e('2025-03-12T10:00:00Z', 'status', 'pending')];
    const a = simulateOk({ calendar: OFFICE, metrics: [{ name: 'resolution', target_minutes: 600 }], events, at: '2025-03-13T12:00:00Z' });
    const b = simulateOk({ calendar: OFFICE, metrics: [{ name: 'resolution', target_minutes: 600, clock: 'business' }], events, at: '2025-03-13T12:00:00Z' });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('calendar-clock metrics still pause on pause statuses and count elapsed wall minutes', () => {
    const m = simulateMetric(
      { name: 'resolution', target_minutes: 120, clock: 'calendar' },
      [e('2025-03-08T10:00:00Z', 'created'), e('2025-03-08T10:30:00Z', 'status', 'pending'), e('2025-03-08T11:30:00Z', 'status', 'open')],
      '2025-03-08T12:00:00Z',
      { calendar: OFFICE },
    );
    // Saturday: closed on the business calendar, yet 30 + 30 wall minutes have run.
    expect(m).toMatchObject({ status: 'running', elapsed_business_minutes: 60, remaining_business_minutes: 60, due_at: '2025-03-08T13:00:00Z' });
  });

  it('mixes clocks in one policy: next_due_at is the earliest across both', () => {
    const r = simulateOk({
      calendar: OFFICE,
      metrics: [{ name: 'first_response', target_minutes: 120, clock: 'calendar' }, { name: 'resolution', target_minutes: 60 }],
      events: [e(TUE_2146, 'created')],
    });
    expect(metricOf(r, 'first_response').due_at).toBe('2025-03-11T23:46:00Z');
    expect(metricOf(r, 'resolution').due_at).toBe('2025-03-12T09:00:00Z');
    expect(r.next_due_at).toBe('2025-03-11T23:46:00Z');
  });

  it('custom (stage) metrics take the clock too', () => {
    const m = simulateMetric(
      { name: 'stage_triaged', target_minutes: 30, clock: 'calendar', start_on: ['created'], stop_on: ['status:open'] },
      [e(TUE_2146, 'created'), e('2025-03-11T22:30:00Z', 'status', 'open')],
      undefined,
      { calendar: OFFICE },
    );
    expect(m).toMatchObject({ status: 'completed', breached: true, elapsed_business_minutes: 44, breached_at: '2025-03-11T22:16:00Z' });
  });

  it('an unknown clock is a 400-style error naming the field', () => {
    const r = runSimulation({ metrics: [{ name: 'first_response', target_minutes: 5, clock: 'wall' }], events: [e(TUE_2146, 'created')] });
    expect(r).toMatchObject({ ok: false, path: 'metrics[0].clock' });
    if (!r.ok) expect(r.message).toContain('expected business or calendar');
  });
});
