import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, compileCalendar } from '../calendar/index.ts';
import { planErlang } from './erlang-c.ts';
import { modelForChannel, planChannel } from './plan.ts';

const base = { intervalMinutes: 60, shrinkage: 0, answerSeconds: 20, targetSl: 0.8, deadlineMinutes: 120 };

describe('planChannel, workload model', () => {
  it('spreads each hour of work over the deadline window and carries what the roster cannot do', () => {
    // 6 e-mails × 10 min = 60 person-minutes arrive at 09:00, nothing after; the deadline is 2 hours, so
    // 30 person-minutes are due in each of 09:00 and 10:00: 0.5 people each.
    const rows = planChannel({ ...base, model: 'workload', arrivals: [6, 0, 0], ahtSeconds: 600, rostered: [0.25, 0.25, 1] });
    expect(rows.map((r) => r.required)).toEqual([0.5, 0.5, 0]);
    // Rostered 0.25 + 0.25 people do 30 of the 60 minutes inside the window; the rest is done at 11:00, late.
    expect(rows[0]?.kept).toBe(0.5);
    expect(rows[1]?.kept).toBeNull();
  });

  it('serves older backlog first and keeps every promise when the roster covers the work', () => {
    const rows = planChannel({ ...base, model: 'workload', shrinkage: 0.5, arrivals: [3, 3], ahtSeconds: 1200, deadlineMinutes: 60, rostered: [2, 2] });
    // 3 × 20 min = 60 min of work per hour; one person gives 30 productive minutes: 2 people required.
    expect(rows).toEqual([{ required: 2, kept: 1 }, { required: 2, kept: 1 }]);
    const short = planChannel({ ...base, model: 'workload', arrivals: [3, 3], ahtSeconds: 1200, deadlineMinutes: 60, rostered: [0.5, 1.5] });
    // Hour 1: 30 of 60 minutes done (kept 0.5); hour 2: the old 30 first, then 60 of the new (kept 1).
    expect(short.map((r) => r.kept)).toEqual([0.5, 1]);
  });
});

describe('planChannel, workload model in business time', () => {
  // Office hours Monday to Friday 09:00–17:00 UTC; Tuesday 8 December 2026 is a holiday.
  const office = compileCalendar({ timezone: 'UTC', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }, holidays: ['2026-12-08'] });
  const monday16 = Date.parse('2026-12-07T16:00:00Z');
  const hours = 48;
  const at = (i: number, v: number) => Array.from({ length: hours }, (_, k) => (k === i ? v : 0));
  const wednesday9 = 41; // Monday 16:00 + 41 hours

  it('moves the deadline over the closed night and the holiday, and spreads the work over open hours only', () => {
    // One hour of work arriving at Monday 16:00 with a two-business-hour promise: one hour is left on Monday,
    // the night is closed, Tuesday is a holiday, so the deadline is Wednesday 10:00; half the work in each open hour.
    const rows = planChannel({ ...base, model: 'workload', deadlineMinutes: 120, arrivals: at(0, 1), ahtSeconds: 3600, rostered: at(wednesday9, 1), business: { calendar: office, startMs: monday16 } });
    const required = rows.map((r) => r.required);
    expect(required[0]).toBeCloseTo(0.5, 12);
    expect(required[wednesday9]).toBeCloseTo(0.5, 12);
    expect(required.reduce((s, r) => s + r, 0)).toBeCloseTo(1, 12);
    expect(required.filter((r, i) => i !== 0 && i !== wednesday9).every((r) => r === 0)).toBe(true);
    // The one person rostered at Wednesday 09:00 does the whole hour before the deadline: every promise kept.
    expect(rows[0]?.kept).toBe(1);
    // Wall clock, the same two hours end at Monday 18:00: the same person is too late.
    const wall = planChannel({ ...base, model: 'workload', deadlineMinutes: 120, arrivals: at(0, 1), ahtSeconds: 3600, rostered: at(wednesday9, 1) });
    expect(wall.map((r) => r.required).slice(0, 2)).toEqual([0.5, 0.5]);
    expect(wall[0]?.kept).toBe(0);
  });

  it('work that arrives while closed is due from the next opening', () => {
    // Arrival at Monday 20:00 (index 4), one business hour: due Wednesday 10:00, all of it in Wednesday 09:00.
    const rows = planChannel({ ...base, model: 'workload', deadlineMinutes: 60, arrivals: at(4, 2), ahtSeconds: 1800, rostered: at(wednesday9, 0.5), business: { calendar: office, startMs: monday16 } });
    expect(rows[wednesday9]?.required).toBeCloseTo(1, 12);
    expect(rows[4]?.required).toBe(0);
    expect(rows[4]?.kept).toBeCloseTo(0.5, 12);
  });

  it('an always-open calendar gives the wall-clock plan', () => {
    const arrivals = [3, 0, 5, 1, 0, 2, 4, 0];
    const rostered = [1, 0.5, 2, 0, 1, 1, 0.25, 3];
    const input = { ...base, model: 'workload' as const, deadlineMinutes: 180, arrivals, ahtSeconds: 900, rostered };
    const wall = planChannel(input);
    const open = planChannel({ ...input, business: { calendar: ALWAYS_OPEN, startMs: monday16 } });
    open.forEach((r, i) => {
      expect(r.required).toBeCloseTo(wall[i]?.required ?? Number.NaN, 12);
      expect(r.kept).toBe(wall[i]?.kept);
    });
  });
});

describe('planChannel, Erlang model', () => {
  it("requires Erlang C's staff and predicts the service level of the rostered agents", () => {
    const rows = planChannel({ ...base, model: 'erlang', intervalMinutes: 30, shrinkage: 0.3, answerSeconds: 20, ahtSeconds: 180, arrivals: [100, 0], rostered: [20, 3] });
    const erlang = planErlang({ calls: 100, interval_minutes: 30, aht_seconds: 180, answer_seconds: 20, target_sl: 0.8, shrinkage: 0.3 });
    expect(rows[0]?.required).toBe(20);
    expect(rows[0]?.required).toBe(erlang.staff);
    // 20 rostered × 0.7 = 14 agents: the service level of 14 agents at 10 Erlangs (docs/planning.md: 0.8884…).
    expect(rows[0]?.kept).toBeCloseTo(erlang.service_level, 12);
    expect(rows[1]).toEqual({ required: 0, kept: null });
    const under = planChannel({ ...base, model: 'erlang', intervalMinutes: 30, answerSeconds: 20, ahtSeconds: 180, arrivals: [100], rostered: [10] });
    expect(under[0]?.kept).toBe(0); // 10 agents at 10 Erlangs: the queue never clears
  });

  it('uses Erlang C for chat and phone, workload for the rest', () => {
    expect(['widget', 'phone', 'email', 'web_form', 'api', 'portal'].map(modelForChannel)).toEqual(['erlang', 'erlang', 'workload', 'workload', 'workload', 'workload']);
  });
});
