// Business-time bookkeeping of one cycle. A cycle accrues only over its active segments (open and
// not paused); the engine splits segments at every event, so each call sees one segment [from, to).

import { CalendarHorizonError, type BusinessCalendar } from '../calendar/index.ts';

export type WorkingCycle = {
  startedAt: number;
  completedAt: number | null;
  usedMs: number;
  /** Earliest instant the used business time reached the target; kept forever once set. */
  targetReachedAt: number | null;
  /** Start of the current active segment, null while paused or completed. */
  runningSince: number | null;
};

export function newCycle(t: number): WorkingCycle {
  return { startedAt: t, completedAt: null, usedMs: 0, targetReachedAt: null, runningSince: null };
}

/** Accrue the active segment up to `until` and start the next segment there. */
export function accrue(cycle: WorkingCycle, until: number, targetMs: number, calendar: BusinessCalendar): WorkingCycle {
  const from = cycle.runningSince;
  if (from === null || until <= from) return cycle;
  const added = calendar.businessMsBetween(from, until);
  const reachedNow = cycle.targetReachedAt === null && cycle.usedMs + added >= targetMs;
  return {
    ...cycle,
    usedMs: cycle.usedMs + added,
    // The earliest instant, not `until`: a target used up at Friday 17:00 is not "reached" at the
    // Saturday event that closes the segment.
    targetReachedAt: reachedNow ? calendar.addBusinessMs(from, targetMs - cycle.usedMs) : cycle.targetReachedAt,
    runningSince: until,
  };
}

/** Wall-clock breach: completed (or evaluated while open) strictly after the target ran out. */
export function isBreached(cycle: WorkingCycle, at: number): boolean {
  if (cycle.targetReachedAt === null) return false;
  return (cycle.completedAt ?? at) > cycle.targetReachedAt;
}

/** Due instant of a running cycle already accrued up to `at`; null when the calendar never opens again. */
export function dueAt(cycle: WorkingCycle, at: number, targetMs: number, calendar: BusinessCalendar): number | null {
  if (cycle.targetReachedAt !== null) return cycle.targetReachedAt;
  try {
    return calendar.addBusinessMs(at, targetMs - cycle.usedMs);
  } catch (error) {
    // Holidays can close a calendar for good (e.g. an ICS rule on every open day): no due instant.
    if (error instanceof CalendarHorizonError) return null;
    throw error;
  }
}
