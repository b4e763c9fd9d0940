// The SLA clock engine: replays a ticket's events up to `at` and reports every metric's clocks.
// Pure: no I/O and no current time; the calendar is compiled by the caller (and may be cached).

import { ALWAYS_OPEN, type BusinessCalendar } from '../calendar/index.ts';
import type { CycleClock, ClockState, MetricClock, MetricDefinition, SimulationInput, SlaEvent, TicketStatus } from './types.ts';
import { accrue, dueAt, isBreached, newCycle, type WorkingCycle } from './cycle-accrual.ts';
import { cycleSteps, isPaused, type CycleStep } from './metric-rules.ts';

// The replay owns its trackers: `cycles` arrays are updated in place (replacing only the last
// element), so a ticket with thousands of cycles costs O(events × metrics), not quadratic time.
// Nothing mutable escapes computeClocks, which stays pure for its callers.
type Tracker = {
  readonly metric: MetricDefinition;
  readonly targetMs: number;
  readonly pauseStatuses: readonly TicketStatus[];
  readonly cycles: WorkingCycle[];
  /** The ticket's calendar, or 24/7 for a metric that counts calendar time. */
  readonly calendar: BusinessCalendar;
};

function openCycle(tracker: Tracker): WorkingCycle | null {
  const cycle = tracker.cycles[tracker.cycles.length - 1];
  return cycle !== undefined && cycle.completedAt === null ? cycle : null;
}

function replaceLast(tracker: Tracker, cycle: WorkingCycle): void {
  tracker.cycles[tracker.cycles.length - 1] = cycle;
}

function accrueTracker(tracker: Tracker, until: number): void {
  const cycle = openCycle(tracker);
  if (cycle !== null) replaceLast(tracker, accrue(cycle, until, tracker.targetMs, tracker.calendar));
}

function applyStep(tracker: Tracker, step: CycleStep, t: number): void {
  const last = tracker.cycles[tracker.cycles.length - 1];
  switch (step) {
    case 'start':
      tracker.cycles.push(newCycle(t));
      return;
    case 'stop':
      if (last !== undefined) replaceLast(tracker, { ...last, completedAt: t, runningSince: null });
      return;
    case 'reopen':
      if (last !== undefined) replaceLast(tracker, { ...last, completedAt: null });
      return;
  }
}

/** After an event: the open cycle runs from `t` unless the current status pauses it. */
function setRunning(tracker: Tracker, status: TicketStatus, t: number): void {
  const cycle = openCycle(tracker);
  if (cycle === null) return;
  const runningSince = isPaused(tracker.metric, tracker.pauseStatuses, status) ? null : t;
  replaceLast(tracker, { ...cycle, runningSince });
}

function statusAfter(previous: TicketStatus | null, event: SlaEvent): TicketStatus | null {
  return event.type === 'created' || event.type === 'status' ? event.status : previous;
}

/** The time a metric counts: wall-clock minutes for `clock: 'calendar'`, else the business calendar. */
export function metricCalendar(metric: Pick<MetricDefinition, 'clock'>, calendar: BusinessCalendar): BusinessCalendar {
  return metric.clock === 'calendar' ? ALWAYS_OPEN : calendar;
}

type Replay = { trackers: readonly Tracker[]; status: TicketStatus | null };

function replay(input: SimulationInput, at: number, calendar: BusinessCalendar): Replay {
  const trackers: Tracker[] = input.metrics.map((metric) => ({
    metric,
    targetMs: metric.target_minutes * 60_000,
    pauseStatuses: metric.pause_statuses ?? input.pause_statuses,
    cycles: [],
    calendar: metricCalendar(metric, calendar),
  }));
  let status: TicketStatus | null = null;
  let agentHasReplied = false;
  let group: string | null = null;
  for (const event of input.events) {
    // Events after the evaluation instant have not happened yet.
    if (event.at > at) break;
    const previousStatus = status;
    status = statusAfter(status, event);
    for (const tracker of trackers) {
      // Time up to the event accrues under the state before it.
      accrueTracker(tracker, event.at);
      const steps = cycleSteps(tracker.metric, event, {
        open: openCycle(tracker) !== null,
        hasCycle: tracker.cycles.length > 0,
        previousStatus,
        agentHasReplied,
        previousGroup: group,
      });
      for (const step of steps) applyStep(tracker, step, event.at);
      if (status !== null) setRunning(tracker, status, event.at);
    }
    if (event.type === 'agent_message') agentHasReplied = true;
    if (event.type === 'group' || event.type === 'created') group = event.group ?? null;
  }
  for (const tracker of trackers) accrueTracker(tracker, at);
  return { trackers, status };
}

function toCycleClock(cycle: WorkingCycle, at: number): CycleClock {
  return {
    startedAt: cycle.startedAt,
    completedAt: cycle.completedAt,
    usedMs: cycle.usedMs,
    targetReachedAt: cycle.targetReachedAt,
    breached: isBreached(cycle, at),
  };
}

function summarize(tracker: Tracker, status: TicketStatus | null, at: number): MetricClock {
  const cycles = tracker.cycles.map((c) => toCycleClock(c, at));
  const working = tracker.cycles[tracker.cycles.length - 1];
  const current = cycles[cycles.length - 1] ?? null;
  const base = { name: tracker.metric.name, targetMinutes: tracker.metric.target_minutes, clock: tracker.metric.clock ?? 'business', cycles };
  if (working === undefined || current === null || status === null) {
    return { ...base, status: 'not_started', current: null, dueAt: null, breachedAt: null };
  }
  const breachedAt = current.breached ? current.targetReachedAt : null;
  if (working.completedAt !== null) {
    return { ...base, status: 'completed', current, dueAt: null, breachedAt };
  }
  if (isPaused(tracker.metric, tracker.pauseStatuses, status)) {
    return { ...base, status: 'paused', current, dueAt: null, breachedAt };
  }
  return { ...base, status: 'running', current, dueAt: dueAt(working, at, tracker.targetMs, tracker.calendar), breachedAt };
}

function earliest(instants: readonly (number | null)[]): number | null {
  return instants.reduce<number | null>((min, t) => (t !== null && (min === null || t < min) ? t : min), null);
}

/** The evaluation instant: `at`, or the last event's instant when absent. */
export function evaluationInstant(input: SimulationInput): number | null {
  return input.at ?? input.events[input.events.length - 1]?.at ?? null;
}

/**
 * Every metric's clocks at the evaluation instant. Expects validated input (see
 * parseSimulationInput): events in time order, `created` first and only once.
 */
export function computeClocks(input: SimulationInput, calendar: BusinessCalendar): ClockState {
  const at = evaluationInstant(input);
  if (at === null) throw new Error('computeClocks: no events and no evaluation instant');
  const { trackers, status } = replay(input, at, calendar);
  const metrics = trackers.map((t) => summarize(t, status, at));
  return { at, nextDueAt: earliest(metrics.map((m) => m.dueAt)), metrics };
}
