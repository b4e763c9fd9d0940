import type { AppContext } from '../app/context.ts';
import { refreshKpiRollup } from '../app/reports/kpi-rollup.ts';
import { runEvery } from './periodic.ts';

/**
 * Keeps the KPI rollup close to the event log (app/reports/kpi-rollup.ts), so a report finds little left to apply;
 * a report applies the rest itself, so the interval is a matter of speed, never of correctness. Only this job
 * rebuilds the rollup (first use, or far behind after a bulk load); reports read the base tables meanwhile.
 */
export function startKpiRollup(ctx: AppContext, intervalMs = 10_000): { stop: () => Promise<void> } {
  return runEvery(intervalMs, async () => {
    if (await refreshKpiRollup(ctx) !== -1) return;
    // After a rebuild, mark the freshly written pages all-visible, so the day level's bin counts are read from the
    // index alone (VACUUM cannot run inside the rebuild's transaction).
    await ctx.db.query('VACUUM (ANALYZE) kpi_lite, kpi_lite_bins');
  }, (err) => ctx.log.error({ err: String(err) }, 'KPI rollup refresh failed'));
}
