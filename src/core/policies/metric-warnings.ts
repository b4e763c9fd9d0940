import type { BusinessCalendar } from '../calendar/index.ts';
import { metricCalendar, type ClockState } from '../sla/index.ts';
import type { PolicyMetric } from './policy-model.ts';

export type MetricWarning = {
  /** A warning threshold has been passed in the current cycle (and its target is not yet used up). */
  warning: boolean;
  /** When the next threshold will be passed if nothing else happens; null when paused, done or none left. */
  next_warning_at: number | null;
  /** Business time used at that next threshold: a stable name for it across recomputations. */
  next_point: number | null;
  /** The highest threshold passed in the current cycle (while the target is not used up). */
  passed_point: number | null;
};

const MINUTE = 60_000;

/** Business time used at which each threshold of a metric fires: a share of the target, or minutes before it. */
export function warningPoints(metric: Pick<PolicyMetric, 'warn_at_percent' | 'warn_at_minutes_left'>, targetMinutes: number): number[] {
  const target = targetMinutes * MINUTE;
  const points = [
    ...metric.warn_at_percent.map((p) => Math.round((target * p) / 100)),
    ...metric.warn_at_minutes_left.map((m) => target - m * MINUTE),
  ].filter((used) => used > 0 && used < target);
  return [...new Set(points)].sort((a, b) => a - b);
}

/**
 * Warning state per metric at the clocks' evaluation instant. A running cycle accrues business time
 * from `at` along the calendar, so a threshold `d` away is passed at calendar.addBusinessMs(at, d) —
 * the same arithmetic as the due instant, so a warning can never land after its breach.
 */
export function metricWarnings(
  clocks: ClockState,
  metrics: readonly PolicyMetric[],
  calendar: BusinessCalendar,
): Record<string, MetricWarning> {
  const out: Record<string, MetricWarning> = {};
  for (const clock of clocks.metrics) {
    const metric = metrics.find((m) => m.name === clock.name);
    const cycle = clock.current;
    if (!metric || !cycle || clock.status === 'completed' || clock.status === 'not_started') {
      out[clock.name] = { warning: false, next_warning_at: null, next_point: null, passed_point: null };
      continue;
    }
    const target = clock.targetMinutes * MINUTE;
    const points = warningPoints(metric, clock.targetMinutes);
    const used = cycle.usedMs;
    const warning = used < target && points.some((p) => used >= p);
    const next = points.find((p) => p > used);
    const nextAt = clock.status === 'running' && next !== undefined ? metricCalendar(clock, calendar).addBusinessMs(clocks.at, next - used) : null;
    const passed = warning ? points.filter((p) => used >= p).at(-1) ?? null : null;
    out[clock.name] = { warning, next_warning_at: nextAt, next_point: nextAt === null ? null : next ?? null, passed_point: passed };
  }
  return out;
}
