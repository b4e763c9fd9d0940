// The plan (planning spec §4): per interval, the staff one channel's forecast arrivals need and the share of
// promises the rostered staff would keep. Two models (spec §1):
//
// - `erlang` (widget chat and phone: answered in seconds): required = Erlang C's staff for the interval's
//   arrivals; kept = the service level the rostered agents (after shrinkage) reach.
// - `workload` (e-mail, forms, API, portal: promised in hours): each interval's work (arrivals × handling time)
//   must be done within the promise's deadline, so it is spread evenly over the intervals of that window:
//   required = the work due in the interval ÷ one person's productive time in it. Kept comes from a FIFO
//   backlog: what the rostered staff cannot finish in an interval is carried into the next; an interval's
//   arrivals are kept in the share of their work finished by their deadline.
//   With `business` (the SLA policy's first-response target and its calendar), an interval's deadline is
//   the calendar's own `addBusinessMs` from the interval's start — a night or a holiday in between moves it on
//   — and the work is spread over the window in proportion to the business time of each interval in it (a
//   closed hour carries none). Without it, the deadline is `deadlineMinutes` of wall clock.
//
// Pure; the caller supplies the forecast, the handling time and the rostered staff per interval.

import { CalendarHorizonError, type BusinessCalendar } from '../calendar/index.ts';
import { erlangC, planErlang, serviceLevel } from './erlang-c.ts';

export const PLAN_MODELS = ['erlang', 'workload'] as const;
export type PlanModel = (typeof PLAN_MODELS)[number];

/** Live channels are staffed by Erlang C; the rest by workload against the deadline. */
export const modelForChannel = (channel: string): PlanModel => (channel === 'widget' || channel === 'phone' ? 'erlang' : 'workload');

export type ChannelPlanInput = {
  model: PlanModel;
  intervalMinutes: number;
  /** Forecast arrivals per interval. */
  arrivals: readonly number[];
  ahtSeconds: number;
  shrinkage: number;
  /** erlang: the answer time and share the promise asks for. */
  answerSeconds: number;
  targetSl: number;
  /** workload: minutes from arrival to the promise's deadline. */
  deadlineMinutes: number;
  /** People rostered per interval for this channel. */
  rostered: readonly number[];
  /**
   * workload: the deadline in the business time of `calendar` (the metric's calendar: the policy's, or wall
   * clock for a `calendar` metric) from the interval's start; `startMs` is the first interval's start (UTC).
   */
  business?: { calendar: BusinessCalendar; startMs: number };
};

export type ChannelPlanRow = { required: number; kept: number | null };

function erlangRows(p: ChannelPlanInput): ChannelPlanRow[] {
  return p.arrivals.map((calls, i) => {
    if (calls <= 0) return { required: 0, kept: null };
    const r = planErlang({ calls, interval_minutes: p.intervalMinutes, aht_seconds: p.ahtSeconds, answer_seconds: p.answerSeconds, target_sl: p.targetSl, shrinkage: p.shrinkage });
    const agents = Math.floor((p.rostered[i] ?? 0) * (1 - p.shrinkage) + 1e-9);
    const a = r.traffic_erlangs;
    const kept = agents > a ? serviceLevel(erlangC(agents, a), agents, a, p.answerSeconds, p.ahtSeconds) : 0;
    return { required: r.staff, kept };
  });
}

type Window = { end: number; weights: { i: number; w: number }[] };

/** Wall clock: each cohort's work due evenly over the `ceil(deadline / interval)` intervals from its own. */
function wallClockWindows(p: ChannelPlanInput): Window[] {
  const size = Math.max(1, Math.ceil(p.deadlineMinutes / p.intervalMinutes));
  return p.arrivals.map((_, j) => ({ end: j + size, weights: Array.from({ length: size }, (_x, k) => ({ i: j + k, w: 1 / size })) }));
}

/**
 * Business time: a cohort's deadline is the calendar's addBusinessMs from its interval's start; its window is
 * every interval that starts before the deadline, each weighted by its business time inside [start, deadline).
 */
function businessWindows(p: ChannelPlanInput, b: NonNullable<ChannelPlanInput['business']>): Window[] {
  const step = p.intervalMinutes * 60_000;
  const n = p.arrivals.length;
  const startOf = (i: number) => b.startMs + i * step;
  return p.arrivals.map((_, j) => {
    let due: number;
    try {
      due = b.calendar.addBusinessMs(startOf(j), p.deadlineMinutes * 60_000);
    } catch (error) {
      if (!(error instanceof CalendarHorizonError)) throw error;
      due = Number.POSITIVE_INFINITY; // the calendar never opens again: nothing is due inside the plan
    }
    // Intervals past the plan's end carry their share too (it is simply not shown), as the wall-clock window does.
    const last = Number.isFinite(due) ? Math.max(j + 1, Math.ceil((due - b.startMs) / step)) : n;
    const raw: { i: number; w: number }[] = [];
    for (let i = j; i < last; i++) raw.push({ i, w: b.calendar.businessMsBetween(startOf(i), Math.min(startOf(i) + step, due)) });
    const total = raw.reduce((s, r) => s + r.w, 0);
    const weights = total > 0 ? raw.map((r) => ({ i: r.i, w: r.w / total })) : raw.map((r) => ({ i: r.i, w: 1 / raw.length }));
    return { end: last, weights };
  });
}

function workloadRows(p: ChannelPlanInput): ChannelPlanRow[] {
  const n = p.arrivals.length;
  const perPerson = p.intervalMinutes * 60 * (1 - p.shrinkage);
  const windows = p.business ? businessWindows(p, p.business) : wallClockWindows(p);
  const due = new Array<number>(n).fill(0);
  p.arrivals.forEach((a, j) => {
    const work = a * p.ahtSeconds;
    for (const { i, w } of windows[j]?.weights ?? []) if (i < n) due[i] = (due[i] ?? 0) + work * w;
  });
  // FIFO: each cohort's remaining work; capacity eats the oldest first. A cohort is kept in the share of its
  // work finished within its window of intervals.
  const remaining = p.arrivals.map((a) => a * p.ahtSeconds);
  const doneInTime = new Array<number>(n).fill(0);
  let oldest = 0;
  for (let i = 0; i < n; i++) {
    let capacity = (p.rostered[i] ?? 0) * perPerson;
    for (let j = oldest; j <= i && capacity > 0; j++) {
      const take = Math.min(capacity, remaining[j] ?? 0);
      if (take <= 0) continue;
      remaining[j] = (remaining[j] ?? 0) - take;
      capacity -= take;
      if (i < (windows[j]?.end ?? j + 1)) doneInTime[j] = (doneInTime[j] ?? 0) + take;
    }
    while (oldest <= i && (remaining[oldest] ?? 0) <= 1e-9) oldest++;
  }
  return p.arrivals.map((a, i) => ({
    required: (due[i] ?? 0) / perPerson,
    kept: a > 0 ? Math.min(1, (doneInTime[i] ?? 0) / (a * p.ahtSeconds)) : null,
  }));
}

export function planChannel(p: ChannelPlanInput): ChannelPlanRow[] {
  if (!(p.shrinkage >= 0 && p.shrinkage < 1)) throw new RangeError('shrinkage must be in [0, 1)');
  return p.model === 'erlang' ? erlangRows(p) : workloadRows(p);
}
