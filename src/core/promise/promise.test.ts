import { describe, expect, it } from 'vitest';
import { compileCalendar, ALWAYS_OPEN } from '../calendar/index.ts';
import { computePromise, predictReply, promiseKept } from './compute-promise.ts';
import { suggestUrgency } from './urgency.ts';

const H = 3_600_000;
const OFFICE = compileCalendar({
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
});
const TUE_2146 = Date.parse('2025-03-11T21:46:00Z');

describe('suggestUrgency', () => {
  it.each([
    ['Please help, this is urgent!', 'high'],
    ['Срочно нужна помощь', 'high'],
    ['Моля, спешно', 'high'],
    ['系统紧急故障', 'critical'],
    ['Production is down — outage since 9:00', 'critical'],
  ])('%s → %s', (text, expected) => {
    expect(suggestUrgency(text)).toBe(expected);
  });

  it('suggests nothing for ordinary words or parts of words', () => {
    expect(suggestUrgency('How do I export invoices?')).toBeNull();
    expect(suggestUrgency('Insurgentes avenue office')).toBeNull();
  });

  it('never suggests less than the customer stated', () => {
    expect(suggestUrgency('urgent', 'critical')).toBeNull();
    expect(suggestUrgency('urgent', 'high')).toBeNull();
    expect(suggestUrgency('紧急', 'high')).toBe('critical');
  });
});

describe('computePromise', () => {
  it('promises the SLA due when the queue is short', () => {
    const p = computePromise({ now: TUE_2146, firstResponseDue: TUE_2146 + 24 * H, clock: 'calendar', targetMinutes: 1440, calendar: OFFICE, queue: { ahead: 2, recentHandleMinutes: 30, agentsOnShift: 3 } });
    expect(p).toEqual({ promisedAt: TUE_2146 + 24 * H, basis: 'sla', clock: 'calendar', targetMinutes: 1440, backAt: null });
  });

  it('promises the queue prediction when it is later than the SLA due', () => {
    // 30 tickets × 120 min ÷ 2 agents = 30 h.
    const p = computePromise({ now: TUE_2146, firstResponseDue: TUE_2146 + 24 * H, clock: 'calendar', targetMinutes: 1440, calendar: ALWAYS_OPEN, queue: { ahead: 30, recentHandleMinutes: 120, agentsOnShift: 2 } });
    expect(p?.basis).toBe('queue');
    expect(p?.promisedAt).toBe(TUE_2146 + 30 * H);
  });

  it('says when a business-time team is back when promised outside hours', () => {
    const p = computePromise({ now: TUE_2146, firstResponseDue: Date.parse('2025-03-12T11:00:00Z'), clock: 'business', targetMinutes: 240, calendar: OFFICE, queue: null });
    expect(p?.backAt).toBe(Date.parse('2025-03-12T08:00:00Z'));
    expect(p?.basis).toBe('sla');
  });

  it('no policy and no history: no promise', () => {
    expect(computePromise({ now: TUE_2146, firstResponseDue: null, clock: 'business', targetMinutes: null, calendar: OFFICE, queue: { ahead: 5, recentHandleMinutes: null, agentsOnShift: 1 } })).toBeNull();
  });

  it('predictReply counts at least one agent', () => {
    expect(predictReply(0, { ahead: 3, recentHandleMinutes: 10, agentsOnShift: 0 })).toBe(30 * 60_000);
    expect(predictReply(0, { ahead: 0, recentHandleMinutes: 10, agentsOnShift: 1 })).toBeNull();
  });
});

describe('promiseKept', () => {
  it('kept when answered by the original promise, broken after it, open before it', () => {
    expect(promiseKept(100, 100, 200)).toBe(true);
    expect(promiseKept(100, 101, 200)).toBe(false);
    expect(promiseKept(100, null, 200)).toBe(false);
    expect(promiseKept(100, null, 50)).toBeNull();
  });
});
