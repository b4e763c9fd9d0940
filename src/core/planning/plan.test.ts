import { describe, expect, it } from 'vitest';
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
