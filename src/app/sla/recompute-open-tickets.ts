import { lockTickets } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
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
    const ids = await ctx.db.query<{ id: string }>(
      "SELECT id FROM tickets WHERE status NOT IN ('closed') AND id > $1 ORDER BY id LIMIT $2", [after, batchSize]);
    if (ids.length === 0) return total;
    const now = ctx.now();
    await ctx.db.transaction(async (tx) => {
      // Locked first: a reply landing meanwhile waits, then recomputes from the events as they are.
      for (const id of await lockTickets(tx, ids.map((r) => r.id))) await refreshTicketSla(tx, id, now);
    });
    total += ids.length;
    after = ids[ids.length - 1]?.id ?? after;
  }
}
