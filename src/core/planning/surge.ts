// Surge detection (planning spec §5), pure: the signals are measured by app/planning/check-surge.ts, the clock
// is a parameter. A surge STARTS on a hot signal — arrivals in a window above the forecast's upper band, or a
// backlog the on-duty staff cannot answer before its promises fall due — and ENDS only when every signal has
// been calm for `calmMinutes` without a break. Hot and calm are separated by a gap (hysteresis), so a signal
// hovering at the threshold neither starts and ends a surge on alternate checks nor ends one at once.

export const SURGE_CAUSES = ['arrivals', 'backlog', 'manual'] as const;
export type SurgeCause = (typeof SURGE_CAUSES)[number];

/** Arrivals in [start, end) against the forecast of that window (expected and the band's upper edge). */
export type ArrivalWindow = { start: number; end: number; arrived: number; expected: number; high: number };

/**
 * The backlog against capacity: `ratio` is the largest, over the unanswered tickets in the order they fall
 * due, of the work needed to answer every ticket up to this one ÷ the agent-minutes left before its due.
 * Above 1 the team cannot answer that ticket in time even working only on the queue. Only positions beyond
 * the number of agents count: with no more tickets than staff everyone starts at once, so a late one is
 * about its handling time, not a backlog — not a surge.
 */
export type BacklogLoad = { tickets: number; agents: number; handleMinutes: number; ratio: number };

export type SurgeSignals = { arrivals: readonly ArrivalWindow[]; backlog: BacklogLoad | null };

export type SurgeThresholds = {
  /** The backlog ratio above which a surge starts (1: the team cannot make a promise). */
  backlogStart: number;
  /** The backlog ratio at or below which the backlog counts as back (below backlogStart: the hysteresis gap). */
  backlogCalm: number;
  /** Minutes every signal must stay calm before an automatic surge ends. */
  calmMinutes: number;
  /**
   * Arrivals above the band must also exceed the expected count by this many requests: in a quiet slot
   * (expected ≈ 0) the band's edge is about 2, and two requests in a half hour are not a surge.
   */
  minExtraArrivals: number;
};

export const DEFAULT_SURGE_THRESHOLDS: SurgeThresholds = { backlogStart: 1, backlogCalm: 0.8, calmMinutes: 30, minExtraArrivals: 5 };

const MINUTE = 60_000;

/**
 * The backlog's load. `dueAts`: the promised instants of the unanswered tickets (in no particular order); those already
 * past still take work before the others, but are breaches for the SLA monitor, not a capacity signal of their
 * own. Null when there is nothing to measure with (no handling-time history, or no tickets).
 */
export function backlogLoad(now: number, dueAts: readonly number[], handleMinutes: number | null, agents: number): BacklogLoad | null {
  if (handleMinutes === null || handleMinutes <= 0 || dueAts.length === 0) return null;
  const staff = Math.max(1, agents);
  const sorted = [...dueAts].sort((a, b) => a - b);
  let ratio = 0;
  sorted.forEach((due, i) => {
    if (due <= now || i + 1 <= staff) return;
    const work = (i + 1) * handleMinutes;
    const available = ((due - now) / MINUTE) * staff;
    ratio = Math.max(ratio, work / available);
  });
  return { tickets: sorted.length, agents: staff, handleMinutes, ratio };
}

/** What is hot now, if anything: the cause a surge would start with. */
export function hotCause(s: SurgeSignals, t: SurgeThresholds = DEFAULT_SURGE_THRESHOLDS): 'arrivals' | 'backlog' | null {
  if (s.arrivals.some((w) => w.arrived > w.high && w.arrived - w.expected >= t.minExtraArrivals)) return 'arrivals';
  if (s.backlog !== null && s.backlog.ratio > t.backlogStart) return 'backlog';
  return null;
}

/** Every signal back: arrivals at or below what was expected (not merely under the band), the backlog under the calm ratio. */
export function isCalm(s: SurgeSignals, t: SurgeThresholds = DEFAULT_SURGE_THRESHOLDS): boolean {
  return s.arrivals.every((w) => w.arrived <= w.expected) && (s.backlog === null || s.backlog.ratio <= t.backlogCalm);
}

export type ActiveSurge = { cause: SurgeCause; startedAt: number; calmSince: number | null };

export type SurgeStep =
  | { action: 'start'; cause: 'arrivals' | 'backlog' }
  | { action: 'end' }
  /** Calm began (calmSince set) or was broken (calmSince null): the surge's row remembers it between checks. */
  | { action: 'calm'; calmSince: number | null }
  | { action: 'none' };

/**
 * One check of the worker's sweep. A surge a supervisor declared is ended by a supervisor only (they may know
 * what the numbers do not yet show, e.g. an outage announced on the news).
 */
export function surgeStep(active: ActiveSurge | null, signals: SurgeSignals, now: number, t: SurgeThresholds = DEFAULT_SURGE_THRESHOLDS): SurgeStep {
  if (active === null) {
    const cause = hotCause(signals, t);
    return cause ? { action: 'start', cause } : { action: 'none' };
  }
  if (active.cause === 'manual') return { action: 'none' };
  if (!isCalm(signals, t)) return active.calmSince === null ? { action: 'none' } : { action: 'calm', calmSince: null };
  if (active.calmSince === null) return t.calmMinutes <= 0 ? { action: 'end' } : { action: 'calm', calmSince: now };
  return now - active.calmSince >= t.calmMinutes * MINUTE ? { action: 'end' } : { action: 'none' };
}

/**
 * A surge's effect on a new promise: during a surge every unanswered ticket of the group competes for the
 * same agents (arrivals above the forecast take turns ahead by urgency), so the live prediction counts the
 * whole backlog, not only the tickets due before this one. core/promise's computePromise applies it.
 */
export function surgeAhead(aheadInQueueOrder: number, backlog: number): number {
  return Math.max(aheadInQueueOrder, backlog);
}
