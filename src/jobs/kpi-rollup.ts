import type { AppContext } from '../app/context.ts';
import { refreshKpiRollup } from '../app/reports/kpi-rollup.ts';
import { runEvery } from './periodic.ts';

/**
 * Keeps the KPI rollup close to the event log (app/reports/kpi-rollup.ts), so a report finds little left to apply;
 * a report applies the rest itself, so the interval is a matter of speed, never of correctness.
 */
export function startKpiRollup(ctx: AppContext, intervalMs = 10_000): { stop: () => Promise<void> } {
  return runEvery(intervalMs, () => refreshKpiRollup(ctx), (err) => ctx.log.error({ err: String(err) }, 'KPI rollup refresh failed'));
}
