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
//
// Pure; the caller supplies the forecast, the handling time and the rostered staff per interval.

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

function workloadRows(p: ChannelPlanInput): ChannelPlanRow[] {
  const n = p.arrivals.length;
  const perPerson = p.intervalMinutes * 60 * (1 - p.shrinkage);
  const window = Math.max(1, Math.ceil(p.deadlineMinutes / p.intervalMinutes));
  const due = new Array<number>(n).fill(0);
  p.arrivals.forEach((a, j) => {
    const work = a * p.ahtSeconds;
    for (let i = j; i < Math.min(n, j + window); i++) due[i] = (due[i] ?? 0) + work / window;
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
      if (i < j + window) doneInTime[j] = (doneInTime[j] ?? 0) + take;
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
