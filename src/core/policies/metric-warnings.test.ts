import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../calendar/index.ts';
import { computeClocks } from '../sla/index.ts';
import { metricWarnings, warningPoints } from './metric-warnings.ts';
import type { PolicyMetric } from './policy-model.ts';

const metric = (name: string, warn_at_percent: number[], warn_at_minutes_left: number[]): PolicyMetric => ({ name, target_minutes: 60, warn_at_percent, warn_at_minutes_left });
const berlin = compileCalendar({ timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
const ms = (iso: string) => Date.parse(iso);

describe('warningPoints', () => {
  it('turns percentages and minutes-left into business time used, dropping points outside (0, target)', () => {
    expect(warningPoints({ warn_at_percent: [75, 50], warn_at_minutes_left: [15, 90] }, 60)).toEqual([30 * 60_000, 45 * 60_000]);
  });
});

describe('metricWarnings', () => {
  const run = (events: { at: number; type: 'created' | 'agent_message' | 'status'; status?: 'pending' | 'open' }[], at: string) =>
    computeClocks({
      calendar: null, metrics: [{ name: 'first_response', target_minutes: 60, pause_statuses: null }], pause_statuses: ['pending'],
      events: events.map((e) => (e.type === 'status' ? { at: e.at, type: 'status', status: e.status ?? 'open' } : e.type === 'created' ? { at: e.at, type: 'created', status: 'new' } : { at: e.at, type: e.type })),
      at: ms(at),
    }, compileCalendar(null));

  it('schedules the next threshold along the calendar, and flags a passed one', () => {
    const created = ms('2025-03-07T15:30:00Z'); // Friday 16:30 Berlin
    const clocks = computeClocks({ calendar: null, metrics: [{ name: 'first_response', target_minutes: 60, pause_statuses: null }], pause_statuses: ['pending'], events: [{ at: created, type: 'created', status: 'new' }], at: created }, berlin);
    // 75 % of 60 min = 45 min: 30 min on Friday, 15 on Monday → Monday 09:15 Berlin.
    expect(metricWarnings(clocks, [metric('first_response', [75], [])], berlin)).toEqual({ first_response: { warning: false, next_warning_at: ms('2025-03-10T08:15:00Z'), next_point: 45 * 60_000, passed_point: null } });
    const later = computeClocks({ calendar: null, metrics: [{ name: 'first_response', target_minutes: 60, pause_statuses: null }], pause_statuses: ['pending'], events: [{ at: created, type: 'created', status: 'new' }], at: ms('2025-03-10T08:18:00Z') }, berlin);
    // Monday 09:18: 48 min used; 75 % (45) passed, 10 min left (50 used) comes at 09:20.
    expect(metricWarnings(later, [metric('first_response', [75], [10])], berlin)).toEqual({ first_response: { warning: true, next_warning_at: ms('2025-03-10T08:20:00Z'), next_point: 50 * 60_000, passed_point: 45 * 60_000 } });
  });

  it('has no next warning while paused or after completion, and no warning once breached', () => {
    const t0 = ms('2025-03-10T10:00:00Z');
    const paused = run([{ at: t0, type: 'created' }, { at: t0 + 50 * 60_000, type: 'status', status: 'pending' }], '2025-03-10T12:00:00Z');
    expect(metricWarnings(paused, [metric('first_response', [75, 90], [])], compileCalendar(null))).toEqual({ first_response: { warning: true, next_warning_at: null, next_point: null, passed_point: 45 * 60_000 } });
    const done = run([{ at: t0, type: 'created' }, { at: t0 + 10 * 60_000, type: 'agent_message' }], '2025-03-10T12:00:00Z');
    expect(metricWarnings(done, [metric('first_response', [75], [])], compileCalendar(null))).toEqual({ first_response: { warning: false, next_warning_at: null, next_point: null, passed_point: null } });
    const overdue = run([{ at: t0, type: 'created' }], '2025-03-10T12:00:00Z');
    expect(metricWarnings(overdue, [metric('first_response', [75], [])], compileCalendar(null))).toEqual({ first_response: { warning: false, next_warning_at: null, next_point: null, passed_point: null } });
  });
});
