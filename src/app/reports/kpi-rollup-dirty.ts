import type { Queryable } from '../../store/db.ts';

/**
 * For the few writers that change what the KPIs read without a ticket event (an SLA policy edit or a tier change
 * re-selecting the policy of open tickets): their tickets are recomputed in the KPI rollup at its next refresh
 * (app/reports/kpi-rollup.ts), in the writer's transaction so the mark commits with the change.
 */
export async function markKpiRollupStale(tx: Queryable, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await tx.query('INSERT INTO kpi_rollup_dirty (ticket_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [ticketIds]);
}
