// Engine clocks (epoch ms) → the contract's JSON output (UTC ISO strings, whole minutes).

import type { ClockState, CycleClock, CycleResult, MetricClock, MetricResult, SimulationResult } from './types.ts';
import { formatInstant } from './instant.ts';

function formatOptional(ms: number | null): string | null {
  return ms === null ? null : formatInstant(ms);
}

/** Whole business minutes, rounded down. */
export function elapsedMinutes(cycle: CycleClock): number {
  return Math.floor(cycle.usedMs / 60_000);
}

function formatCycle(cycle: CycleClock): CycleResult {
  return {
    started_at: formatInstant(cycle.startedAt),
    completed_at: formatOptional(cycle.completedAt),
    elapsed_business_minutes: elapsedMinutes(cycle),
    breached: cycle.breached,
  };
}

export function formatMetric(metric: MetricClock): MetricResult {
  const current = metric.current;
  const elapsed = current === null ? null : elapsedMinutes(current);
  return {
    status: metric.status,
    started_at: current === null ? null : formatInstant(current.startedAt),
    completed_at: current === null ? null : formatOptional(current.completedAt),
    due_at: formatOptional(metric.dueAt),
    breached: current?.breached ?? false,
    breached_at: formatOptional(metric.breachedAt),
    elapsed_business_minutes: elapsed,
    remaining_business_minutes: elapsed === null ? null : metric.targetMinutes - elapsed,
    cycles: metric.cycles.map(formatCycle),
    ...(metric.clock === 'calendar' ? { clock: 'calendar' as const } : {}),
  };
}

export function formatClockState(state: ClockState): SimulationResult {
  return {
    at: formatInstant(state.at),
    next_due_at: formatOptional(state.nextDueAt),
    // fromEntries defines own properties, so even a metric named "__proto__" is output as such.
    metrics: Object.fromEntries(state.metrics.map((m) => [m.name, formatMetric(m)])),
  };
}
