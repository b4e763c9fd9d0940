// What-if (planning spec §6): replay the tickets of a past period through a discrete-event simulation under
// other settings — policies, calendars, head count per group, queue order — and predict first-response
// compliance, promises kept, breaches and waits per group, beside what happened.
//
// The model (docs/planning.md, "What-if"): each group is a pool of interchangeable agents whose number
// follows a head count per interval; a ticket waits in its group's queue until an agent is free, the agent
// works `handleMs ÷ efficiency` on it and the first reply goes out at the end. Agents finish the ticket in
// hand when a shift ends. Due instants, pauses and breaches come from the SLA engine (computeClocks over the
// ticket's own status changes), the promise from THE promise rule (computePromise) with the simulated queue.
// `efficiency` is the one calibrated parameter: the share of rostered time that goes into first replies
// (>1 when agents work several tickets at once or booked time overstates the work), fitted per group so
// that replaying under the settings in force reproduces the observed compliance.
//
// Pure: history, settings and the period are parameters; events leave a min-heap in time order.

import { ALWAYS_OPEN, CalendarHorizonError, type BusinessCalendar } from '../calendar/index.ts';
import { selectPolicy } from '../policies/select-policy.ts';
import type { PolicySubject, SlaPolicy } from '../policies/policy-model.ts';
import { policyMetricDefinitions } from '../policies/ticket-sla-input.ts';
import { computePromise } from '../promise/compute-promise.ts';
import { computeClocks, isPaused, metricCalendar, TICKET_STATUSES, type MetricClockKind, type MetricDefinition, type SlaEvent, type TicketStatus } from '../sla/index.ts';
import { MinHeap } from './min-heap.ts';

export const ROUTING_ORDERS = ['earliest_due', 'fifo'] as const;
export type RoutingOrder = (typeof ROUTING_ORDERS)[number];

export type HistoryTicket = {
  arrivalMs: number;
  /** The group that answers it ('' for none). */
  group: string;
  /** What policies match on. */
  subject: PolicySubject;
  createdStatus: TicketStatus;
  /** Status changes before the observed first reply: the customer waits the policy's pause statuses pause. */
  statusChanges: readonly { at: number; status: TicketStatus }[];
  /** Agent time the first reply took (booked time, or the group's typical time). */
  handleMs: number;
  observed: {
    firstReplyAt: number | null;
    /** The first-response clock as recorded: true breached, false met, null when no first-response target applied. */
    breached: boolean | null;
    /** The original promise made to the customer, if one was. */
    promisedAt: number | null;
  };
};

/** Head count of a group during the interval starting at `intervalStartMs` (a roster, or the observed one). */
export type Staffing = { intervalMs: number; agentsAt: (group: string, intervalStartMs: number) => number };

export type WhatIfSettings = {
  /** Policies in force (or proposed); first active match by position, as live. */
  policies: readonly SlaPolicy[];
  /** Compiled calendars by id; a policy without a calendar (or an unknown one) counts 24/7. */
  calendars: ReadonlyMap<string, BusinessCalendar>;
  staffing: Staffing;
  routing: RoutingOrder;
};

export type WhatIfPeriod = {
  /** Tickets arriving in [fromMs, toMs) are counted; earlier ones in the history only warm the queue up. */
  fromMs: number;
  toMs: number;
  /** How long after `toMs` the queue may drain before the still-unanswered are counted as such (default 14 days). */
  drainMs?: number;
};

/** Per group: the share of rostered time that turns into first replies (default 1). */
export type Efficiency = ReadonlyMap<string, number>;

export type Outcome = {
  tickets: number;
  first_response: { met: number; breached: number; compliance_pct: number | null };
  promises: { made: number; kept: number; kept_pct: number | null };
  breaches: number;
  /** Arrival → first reply, wall-clock, over the answered. */
  average_wait_minutes: number | null;
  unanswered: number;
};

export type SimulatedOutcome = Outcome & {
  /** Arrival → an agent starts (the queue's own wait). */
  average_queue_minutes: number | null;
  /** Share of tickets that waited for an agent at all. */
  waited_pct: number | null;
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const pct = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : null);

// ---------------------------------------------------------------- the first-response clock

type ResponseClock = { def: MetricDefinition; pause: readonly TicketStatus[]; calendar: BusinessCalendar; clock: MetricClockKind; target: number };

const isStatus = (s: string): s is TicketStatus => (TICKET_STATUSES as readonly string[]).includes(s);

/** The first-response metric of the policy a ticket falls under, or null when none promises a first reply. */
function responseClockFor(settings: WhatIfSettings, subject: PolicySubject): ResponseClock | null {
  const policy = selectPolicy(settings.policies, subject);
  if (!policy) return null;
  const def = policyMetricDefinitions(policy, subject.priority).find((m) => m.name === 'first_response');
  if (!def) return null;
  const calendar = policy.calendar_id ? settings.calendars.get(policy.calendar_id) ?? ALWAYS_OPEN : ALWAYS_OPEN;
  return { def, pause: policy.pause_statuses.filter(isStatus), calendar, clock: def.clock ?? 'business', target: def.target_minutes };
}

/** Memoised per subject: thousands of tickets share a handful of type × priority × tier × group combinations. */
function responseClocks(settings: WhatIfSettings): (subject: PolicySubject) => ResponseClock | null {
  const memo = new Map<string, ResponseClock | null>();
  return (s) => {
    const key = `${s.type}\u0001${s.priority}\u0001${s.tier ?? ''}\u0001${s.organization_id ?? ''}\u0001${s.channel}\u0001${s.group_id ?? ''}\u0001${s.urgency ?? ''}\u0001${s.tags.join('\u0002')}`;
    let c = memo.get(key);
    if (c === undefined) {
      c = responseClockFor(settings, s);
      memo.set(key, c);
    }
    return c;
  };
}

/**
 * The due instant at arrival (null while the created status pauses the clock, or when the calendar never opens
 * again): the engine's own rule for a fresh cycle — its calendar (metricCalendar: business or wall-clock), its
 * pause test — without replaying a one-event log per ticket (a tenth of the simulation's time). A test holds it
 * equal to computeClocks.
 */
export function dueAtArrival(rc: Pick<ResponseClock, 'def' | 'pause' | 'calendar'>, t: Pick<HistoryTicket, 'arrivalMs' | 'createdStatus'>): number | null {
  if (isPaused(rc.def, rc.pause, t.createdStatus)) return null;
  try {
    return metricCalendar(rc.def, rc.calendar).addBusinessMs(t.arrivalMs, rc.def.target_minutes * MINUTE);
  } catch (error) {
    if (error instanceof CalendarHorizonError) return null;
    throw error;
  }
}

/**
 * Whether the first response breached when the reply went out at `replyAt` (null: never, evaluated at
 * `until`): the ticket's own status changes before the reply pause the clock as the policy says.
 */
export function firstResponseBreached(rc: { def: MetricDefinition; pause: readonly TicketStatus[]; calendar: BusinessCalendar }, t: Pick<HistoryTicket, 'arrivalMs' | 'createdStatus' | 'statusChanges'>, replyAt: number | null, until: number): boolean {
  const end = replyAt ?? until;
  const events: SlaEvent[] = [{ at: t.arrivalMs, type: 'created', status: t.createdStatus }];
  for (const c of t.statusChanges) if (c.at < end && c.at >= t.arrivalMs) events.push({ at: c.at, type: 'status', status: c.status });
  if (replyAt !== null) events.push({ at: replyAt, type: 'agent_message' });
  const metric = computeClocks({ calendar: null, metrics: [rc.def], pause_statuses: rc.pause, events, at: end }, rc.calendar).metrics[0];
  return metric?.current?.breached ?? false;
}

// ---------------------------------------------------------------- observed

function emptyTally() {
  return { tickets: 0, met: 0, breached: 0, made: 0, kept: 0, answered: 0, waitMs: 0, started: 0, queueMs: 0, waited: 0, unanswered: 0 };
}
type Tally = ReturnType<typeof emptyTally>;

function outcomeOf(t: Tally): Outcome {
  return {
    tickets: t.tickets,
    first_response: { met: t.met, breached: t.breached, compliance_pct: pct(t.met, t.met + t.breached) },
    promises: { made: t.made, kept: t.kept, kept_pct: pct(t.kept, t.made) },
    breaches: t.breached,
    average_wait_minutes: t.answered > 0 ? t.waitMs / t.answered / MINUTE : null,
    unanswered: t.unanswered,
  };
}

function tallyFor(map: Map<string, Tally>, group: string): Tally {
  let t = map.get(group);
  if (!t) map.set(group, (t = emptyTally()));
  return t;
}

const counted = (h: HistoryTicket, period?: WhatIfPeriod) => !period || (h.arrivalMs >= period.fromMs && h.arrivalMs < period.toMs);

/** What happened, per group, in the same terms as the prediction (tickets arriving in `period`, when given). */
export function observedOutcomes(history: readonly HistoryTicket[], period?: WhatIfPeriod): Map<string, Outcome> {
  const tallies = new Map<string, Tally>();
  for (const h of history) {
    if (!counted(h, period)) continue;
    const t = tallyFor(tallies, h.group);
    t.tickets += 1;
    if (h.observed.breached === true) t.breached += 1;
    else if (h.observed.breached === false) t.met += 1;
    const reply = h.observed.firstReplyAt;
    if (reply === null) t.unanswered += 1;
    else { t.answered += 1; t.waitMs += reply - h.arrivalMs; }
    if (h.observed.promisedAt !== null) {
      t.made += 1;
      if (reply !== null && reply <= h.observed.promisedAt) t.kept += 1;
    }
  }
  return new Map([...tallies].map(([g, t]) => [g, outcomeOf(t)]));
}

// ---------------------------------------------------------------- the simulation

type Pending = { index: number; due: number; seq: number };
type GroupState = {
  name: string;
  capacity: number;
  busy: number;
  efficiency: number;
  /** Mean handling minutes of the group's history: the promise's "recent handling time". */
  handleMinutes: number | null;
  fifo: Pending[];
  fifoHead: number;
  byDue: MinHeap<Pending>;
};
// Kinds in the order they are taken at one instant: a shift change first, then an agent coming free, then
// (outside the heap) an arrival — so an agent freed at 10:00 takes the ticket that arrives at 10:00.
const SHIFT = 0;
const FREE = 1;
type SimEvent = { t: number; kind: number; seq: number; group: number; ticket: number };

const eventBefore = (a: SimEvent, b: SimEvent) => a.t < b.t || (a.t === b.t && (a.kind < b.kind || (a.kind === b.kind && a.seq < b.seq)));
const dueBefore = (a: Pending, b: Pending) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/**
 * Replays `history` (sorted by arrival) under `settings`; per group the predicted outcome. Tickets still
 * unanswered `drainMs` after the period are counted unanswered (and breached once their due has passed).
 */
export function simulateWhatIf(history: readonly HistoryTicket[], settings: WhatIfSettings, period: WhatIfPeriod, efficiency: Efficiency = new Map()): Map<string, SimulatedOutcome> {
  const horizon = period.toMs + (period.drainMs ?? 14 * DAY);
  const clockOf = responseClocks(settings);
  const { intervalMs, agentsAt } = settings.staffing;

  const groupIndex = new Map<string, number>();
  const groups: GroupState[] = [];
  const handleSums = new Map<string, { ms: number; n: number }>();
  for (const h of history) {
    const s = handleSums.get(h.group) ?? { ms: 0, n: 0 };
    s.ms += h.handleMs; s.n += 1;
    handleSums.set(h.group, s);
  }
  const ticketGroup = new Int32Array(history.length);
  history.forEach((h, i) => {
    let g = groupIndex.get(h.group);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(h.group, g);
      const sums = handleSums.get(h.group);
      groups.push({ name: h.group, capacity: 0, busy: 0, efficiency: efficiency.get(h.group) ?? 1, handleMinutes: sums && sums.n > 0 ? sums.ms / sums.n / MINUTE : null, fifo: [], fifoHead: 0, byDue: new MinHeap(dueBefore) });
    }
    ticketGroup[i] = g;
  });

  const startedAt = new Float64Array(history.length).fill(Number.NaN);
  const repliedAt = new Float64Array(history.length).fill(Number.NaN);
  const promisedAt = new Float64Array(history.length).fill(Number.NaN);
  const clocks: (ResponseClock | null)[] = new Array(history.length);
  const dues = new Float64Array(history.length).fill(Number.NaN);

  const events = new MinHeap<SimEvent>(eventBefore);
  let seq = 0;
  const firstInterval = Math.floor(Math.min(period.fromMs, history[0]?.arrivalMs ?? period.fromMs) / intervalMs) * intervalMs;
  groups.forEach((_, g) => events.push({ t: firstInterval, kind: SHIFT, seq: seq++, group: g, ticket: -1 }));

  const waiting = (g: GroupState) => g.fifo.length - g.fifoHead + g.byDue.size;
  const next = (g: GroupState): Pending | undefined => {
    if (settings.routing === 'fifo') {
      const p = g.fifo[g.fifoHead];
      if (p) g.fifoHead += 1;
      // Drop the consumed prefix now and then, so a long replay does not keep every ticket.
      if (g.fifoHead > 4096 && g.fifoHead * 2 > g.fifo.length) { g.fifo = g.fifo.slice(g.fifoHead); g.fifoHead = 0; }
      return p;
    }
    return g.byDue.pop();
  };
  const dispatch = (gi: number, now: number) => {
    const g = groups[gi] as GroupState;
    while (g.busy < g.capacity) {
      const p = next(g);
      if (!p) return;
      const h = history[p.index] as HistoryTicket;
      startedAt[p.index] = now;
      g.busy += 1;
      events.push({ t: now + h.handleMs / g.efficiency, kind: FREE, seq: seq++, group: gi, ticket: p.index });
    }
  };
  const arrive = (i: number) => {
    const h = history[i] as HistoryTicket;
    const gi = ticketGroup[i] as number;
    const g = groups[gi] as GroupState;
    const rc = clockOf(h.subject);
    clocks[i] = rc;
    const due = rc ? dueAtArrival(rc, h) : null;
    if (due !== null) dues[i] = due;
    const promise = computePromise({
      now: h.arrivalMs,
      commitment: rc && due !== null ? { dueAt: due, clock: rc.clock, targetMinutes: rc.target } : null,
      calendar: rc?.calendar ?? ALWAYS_OPEN,
      queue: { ahead: waiting(g) + g.busy, recentHandleMinutes: g.handleMinutes, agentsOnShift: g.capacity },
    });
    if (promise) promisedAt[i] = promise.promisedAt;
    const p = { index: i, due: due ?? Number.POSITIVE_INFINITY, seq: seq++ };
    if (settings.routing === 'fifo') g.fifo.push(p);
    else g.byDue.push(p);
    dispatch(gi, h.arrivalMs);
  };

  let a = 0;
  for (;;) {
    const top = events.peek();
    const arrival = history[a];
    // An arrival goes before a heap event only when strictly earlier (shift changes and free agents first).
    if (arrival && (!top || arrival.arrivalMs < top.t)) {
      if (arrival.arrivalMs > horizon) break;
      arrive(a);
      a += 1;
      continue;
    }
    if (!top || top.t > horizon) break;
    events.pop();
    const g = groups[top.group] as GroupState;
    if (top.kind === SHIFT) {
      g.capacity = Math.max(0, Math.floor(agentsAt(g.name, top.t)));
      const nextT = top.t + intervalMs;
      // Past the period the roster only matters while someone still waits.
      if (nextT <= horizon && (nextT < period.toMs || waiting(g) > 0 || g.busy > 0 || a < history.length)) {
        events.push({ t: nextT, kind: SHIFT, seq: seq++, group: top.group, ticket: -1 });
      }
    } else {
      repliedAt[top.ticket] = top.t;
      g.busy -= 1;
    }
    dispatch(top.group, top.t);
  }

  const tallies = new Map<string, Tally>();
  history.forEach((h, i) => {
    if (!counted(h, period)) return;
    const t = tallyFor(tallies, h.group);
    t.tickets += 1;
    const reply = Number.isNaN(repliedAt[i] as number) ? null : (repliedAt[i] as number);
    const start = startedAt[i] as number;
    const rc = clocks[i] ?? null;
    if (rc) {
      // When no status change pauses the clock (new → open does not), it runs from arrival to the reply, so the
      // engine's due at arrival decides (breached: completed, or evaluated, strictly after it); otherwise the engine
      // replays the pauses.
      const due = dues[i] as number;
      const runsThrough = !Number.isNaN(due) && h.statusChanges.every((c) => !isPaused(rc.def, rc.pause, c.status));
      const breached = runsThrough ? (reply ?? horizon) > due : firstResponseBreached(rc, h, reply, horizon);
      if (breached) t.breached += 1;
      else if (reply !== null) t.met += 1;
    }
    if (reply === null) t.unanswered += 1;
    else { t.answered += 1; t.waitMs += reply - h.arrivalMs; }
    if (!Number.isNaN(start)) {
      t.started += 1;
      t.queueMs += start - h.arrivalMs;
      if (start > h.arrivalMs) t.waited += 1;
    }
    const promise = promisedAt[i] as number;
    if (!Number.isNaN(promise)) {
      t.made += 1;
      if (reply !== null && reply <= promise) t.kept += 1;
    }
  });
  return new Map([...tallies].map(([g, t]) => [g, { ...outcomeOf(t), average_queue_minutes: t.started > 0 ? t.queueMs / t.started / MINUTE : null, waited_pct: pct(t.waited, t.started) }]));
}

// ---------------------------------------------------------------- calibration

export const EFFICIENCY_RANGE = [0.05, 4] as const;

/**
 * Per group, the efficiency whose replay under the settings in force gives the observed first-response
 * compliance (bisection in log space: compliance rises with efficiency). A group without observed
 * compliance keeps 1. Groups share no agents, so each is replayed alone.
 */
export function calibrateEfficiency(history: readonly HistoryTicket[], inForce: WhatIfSettings, period: WhatIfPeriod, iterations = 14): Map<string, number> {
  const byGroup = new Map<string, HistoryTicket[]>();
  for (const h of history) {
    const list = byGroup.get(h.group);
    if (list) list.push(h);
    else byGroup.set(h.group, [h]);
  }
  const observed = observedOutcomes(history, period);
  const out = new Map<string, number>();
  for (const [group, tickets] of byGroup) {
    const target = observed.get(group)?.first_response.compliance_pct ?? null;
    if (target === null) { out.set(group, 1); continue; }
    const compliance = (e: number) => simulateWhatIf(tickets, inForce, period, new Map([[group, e]])).get(group)?.first_response.compliance_pct ?? 0;
    let lo = Math.log(EFFICIENCY_RANGE[0]);
    let hi = Math.log(EFFICIENCY_RANGE[1]);
    if (compliance(Math.exp(hi)) <= target) { out.set(group, Math.exp(hi)); continue; }
    if (compliance(Math.exp(lo)) >= target) { out.set(group, Math.exp(lo)); continue; }
    for (let k = 0; k < iterations; k += 1) {
      const mid = (lo + hi) / 2;
      if (compliance(Math.exp(mid)) < target) lo = mid;
      else hi = mid;
    }
    // `hi` reaches the target: with few tickets compliance moves in steps, and the replay lands on the step
    // at or just above what happened rather than below it.
    out.set(group, Math.exp(hi));
  }
  return out;
}

export type WhatIfGroupResult = {
  group: string;
  observed: Outcome;
  /** Replay under the settings in force, calibrated: how well the model reproduces what happened. */
  replay: SimulatedOutcome;
  predicted: SimulatedOutcome;
  efficiency: number;
};

/** Calibrate under the settings in force, then replay under them and under the proposal. */
export function runWhatIf(history: readonly HistoryTicket[], inForce: WhatIfSettings, proposed: WhatIfSettings, period: WhatIfPeriod): WhatIfGroupResult[] {
  const efficiency = calibrateEfficiency(history, inForce, period);
  const observed = observedOutcomes(history, period);
  const replay = simulateWhatIf(history, inForce, period, efficiency);
  const predicted = simulateWhatIf(history, proposed, period, efficiency);
  return [...observed.keys()].sort().map((group) => ({
    group,
    observed: observed.get(group) as Outcome,
    replay: replay.get(group) as SimulatedOutcome,
    predicted: predicted.get(group) as SimulatedOutcome,
    efficiency: efficiency.get(group) ?? 1,
  }));
}
