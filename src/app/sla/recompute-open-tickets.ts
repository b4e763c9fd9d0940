import type { AppContext } from '../context.ts';
import { markKpiRollupStale } from '../reports/kpi-rollup-dirty.ts';
import { refreshTicketSla } from './refresh-ticket-sla.ts';

export const RECOMPUTE_BATCH = 200;

/**
 * Re-selects the policy and recomputes the clocks of every unsolved ticket, in batches of short
 * transactions (keyset over id) so a large backlog never holds locks for long. Idempotent.
 */
export async function recomputeOpenTickets(ctx: AppContext, batchSize = RECOMPUTE_BATCH): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const now = ctx.now();
    // Chosen and locked in one statement, in id order: a reply landing meanwhile waits, then its own
    // refresh sees the batch's result; a ticket closed in between is not picked.
    const ids = await ctx.db.transaction(async (tx) => {
      const batch = await tx.query<{ id: string }>(
        "SELECT id FROM tickets WHERE status <> 'closed' AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE", [after, batchSize]);
      for (const { id } of batch) await refreshTicketSla(tx, id, now);
      await markKpiRollupStale(tx, batch.map((b) => b.id));
      return batch;
    });
    if (ids.length === 0) {
      // LIMIT with FOR UPDATE may come back short (or empty) when rows it waited for were closed meanwhile.
      const more = await ctx.db.query("SELECT 1 FROM tickets WHERE status <> 'closed' AND id > $1 LIMIT 1", [after]);
      if (more.length === 0) return total;
      continue;
    }
    total += ids.length;
    after = ids[ids.length - 1]?.id ?? after;
  }
}
