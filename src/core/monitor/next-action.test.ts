import { describe, expect, it } from 'vitest';
import { describeKey, nextMetricAction, nextPendingAction, type ClockSnapshot } from './next-action.ts';

const MIN = 60_000;
const running: ClockSnapshot = { status: 'running', due_at: 60 * MIN, breached: false, breached_at: null, next_warning_at: 45 * MIN, next_warning_point: 45 * MIN, passed_warning_point: null };
const ladder = [{ after_minutes: 10, action: 'notify_assignee' as const }, { after_minutes: 20, action: 'notify_admin' as const }];

describe('nextMetricAction', () => {
  it('walks warning → breach → levels as each is fired', () => {
    expect(nextMetricAction(running, ladder, [])).toEqual({ key: 'warning:2700000', at: 45 * MIN });
    expect(nextMetricAction({ ...running, next_warning_at: null, next_warning_point: null, passed_warning_point: 45 * MIN }, ladder, ['warning:2700000'])).toEqual({ key: 'breach', at: 60 * MIN });
    const breached = { ...running, breached: true, breached_at: 60 * MIN, next_warning_at: null, next_warning_point: null };
    expect(nextMetricAction(breached, ladder, ['warning:2700000', 'breach'])).toEqual({ key: 'escalation:1', at: 70 * MIN });
    expect(nextMetricAction(breached, ladder, ['breach', 'escalation:1'])).toEqual({ key: 'escalation:2', at: 80 * MIN });
    expect(nextMetricAction(breached, ladder, ['breach', 'escalation:1', 'escalation:2'])).toBeNull();
  });

  it('never acts on a paused, completed or unstarted clock', () => {
    for (const status of ['paused', 'completed', 'not_started'] as const) expect(nextMetricAction({ ...running, status }, ladder, [])).toBeNull();
  });

  it('fires a passed, unfired threshold at once, but not once breached', () => {
    const passed = { ...running, next_warning_at: null, next_warning_point: null, passed_warning_point: 45 * MIN };
    expect(nextMetricAction(passed, [], [])).toEqual({ key: 'warning:2700000', at: Number.NEGATIVE_INFINITY });
    expect(nextMetricAction({ ...passed, breached: true, breached_at: 60 * MIN }, [], [])).toEqual({ key: 'breach', at: 60 * MIN });
  });
});

describe('nextPendingAction', () => {
  const add = (t: number, ms: number) => t + ms;
  const rule = { remind_after_business_hours: 8, solve_after_days: 1 };
  it('reminds every N hours until the solve instant, then solves once', () => {
    expect(nextPendingAction(0, rule, [], add)).toEqual({ key: 'reminder:1', at: 8 * 60 * MIN });
    expect(nextPendingAction(0, rule, ['reminder:1'], add)).toEqual({ key: 'reminder:2', at: 16 * 60 * MIN });
    expect(nextPendingAction(0, rule, ['reminder:1', 'reminder:2'], add)).toEqual({ key: 'auto_solve', at: 24 * 60 * MIN });
    expect(nextPendingAction(0, rule, ['reminder:1', 'reminder:2', 'auto_solve'], add)).toBeNull();
  });
});

describe('describeKey', () => {
  it('reads kinds and levels, and refuses unknown keys', () => {
    expect(describeKey('escalation:3')).toEqual({ kind: 'escalation', level: 3 });
    expect(describeKey('warning:2700000')).toEqual({ kind: 'warning', level: null });
    expect(() => describeKey('nonsense')).toThrow(/unknown/);
  });
});
