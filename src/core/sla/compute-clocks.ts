// The SLA clock engine: replays a ticket's events up to `at` and reports every metric's clocks.
// Pure: no I/O and no current time; the calendar is compiled by the caller (and may be cached).

import type { BusinessCalendar } from '../calendar/index.ts';
import type { CycleClock, ClockState, MetricClock, MetricDefinition, SimulationInput, SlaEvent, TicketStatus } from './types.ts';
import { accrue, dueAt, isBreached, newCycle, type WorkingCycle } from './cycle-accrual.ts';
import { cycleSteps, isPaused, type CycleStep } from './metric-rules.ts';

type Tracker = {
  metric: MetricDefinition;
  targetMs: number;
  pauseStatuses: readonly TicketStatus[];
  cycles: WorkingCycle[];
};

function openCycleIndex(tracker: Tracker): number {
  const last = tracker.cycles.length - 1;
  const cycle = tracker.cycles[last];
  return cycle !== undefined && cycle.completedAt === null ? last : -1;
}

function accrueTracker(tracker: Tracker, until: number, calendar: BusinessCalendar): Tracker {
  const i = openCycleIndex(tracker);
  const cycle = tracker.cycles[i];
  if (cycle === undefined) return tracker;
  const cycles = tracker.cycles.slice();
  cycles[i] = accrue(cycle, until, tracker.targetMs, calendar);
  return { ...tracker, cycles };
}

function applyStep(cycles: WorkingCycle[], step: CycleStep, t: number): WorkingCycle[] {
  const last = cycles[cycles.length - 1];
  const rest = cycles.slice(0, -1);
  switch (step) {
    case 'start':
      return [...cycles, newCycle(t)];
    case 'stop':
      return last === undefined ? cycles : [...rest, { ...last, completedAt: t, runningSince: null }];
    case 'reopen':
      return last === undefined ? cycles : [...rest, { ...last, completedAt: null }];
  }
}

/** After an event: the open cycle runs from `t` unless the current status pauses it. */
function setRunning(tracker: Tracker, status: TicketStatus, t: number): Tracker {
  const i = openCycleIndex(tracker);
  const cycle = tracker.cycles[i];
  if (cycle === undefined) return tracker;
  const runningSince = isPaused(tracker.metric, tracker.pauseStatuses, status) ? null : t;
  const cycles = tracker.cycles.slice();
  cycles[i] = { ...cycle, runningSince };
  return { ...tracker, cycles };
}

function statusAfter(previous: TicketStatus | null, event: SlaEvent): TicketStatus | null {
  return event.type === 'created' || event.type === 'status' ? event.status : previous;
}

type Replay = { trackers: Tracker[]; status: TicketStatus | null };

function replay(input: SimulationInput, at: number, calendar: BusinessCalendar): Replay {
  let trackers: Tracker[] = input.metrics.map((metric) => ({
    metric,
    targetMs: metric.target_minutes * 60_000,
    pauseStatuses: metric.pause_statuses ?? input.pause_statuses,
    cycles: [],
  }));
  let status: TicketStatus | null = null;
  let agentHasReplied = false;
  for (const event of input.events) {
    // Events after the evaluation instant have not happened yet.
    if (event.at > at) break;
    const previousStatus = status;
    status = statusAfter(status, event);
    const current = status;
    trackers = trackers.map((tracker) => {
      const accrued = accrueTracker(tracker, event.at, calendar);
      const open = openCycleIndex(accrued) >= 0;
      const steps = cycleSteps(accrued.metric, event, {
        open,
        hasCycle: accrued.cycles.length > 0,
        previousStatus,
        agentHasReplied,
      });
      const cycles = steps.reduce((acc, step) => applyStep(acc, step, event.at), accrued.cycles);
      const stepped = { ...accrued, cycles };
      return current === null ? stepped : setRunning(stepped, current, event.at);
    });
    if (event.type === 'agent_message') agentHasReplied = true;
  }
  return { trackers: trackers.map((t) => accrueTracker(t, at, calendar)), status };
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

function summarize(tracker: Tracker, status: TicketStatus | null, at: number, calendar: BusinessCalendar): MetricClock {
  const cycles = tracker.cycles.map((c) => toCycleClock(c, at));
  const working = tracker.cycles[tracker.cycles.length - 1];
  const current = cycles[cycles.length - 1] ?? null;
  const base = { name: tracker.metric.name, targetMinutes: tracker.metric.target_minutes, cycles };
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
  return { ...base, status: 'running', current, dueAt: dueAt(working, at, tracker.targetMs, calendar), breachedAt };
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
  const metrics = trackers.map((t) => summarize(t, status, at, calendar));
  return { at, nextDueAt: earliest(metrics.map((m) => m.dueAt)), metrics };
}
