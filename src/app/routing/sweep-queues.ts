import { agentsWithRoom } from '../../store/repos/routing-repo.ts';
import type { AppContext } from '../context.ts';
import { fillAgentCapacity } from './assign.ts';
import { wakeSnoozedTickets } from './snooze-ticket.ts';

/**
 * The periodic catch-up of routing: wakes snoozes that are due, then offers waiting tickets to every
 * online agent with room. Events cover almost everything (intake, solve, reassign, log-in); this covers
 * what no request causes — a snooze ending, working hours beginning, a ticket that lost every lock race.
 * Each agent in its own short transaction with SKIP LOCKED, so sweeps on several processes share the work.
 */
export async function sweepQueues(ctx: AppContext): Promise<{ woke: number; assigned: number }> {
  const woke = await wakeSnoozedTickets(ctx);
  let assigned = 0;
  for (const agentId of await agentsWithRoom(ctx.db)) {
    assigned += (await ctx.db.transaction((tx) => fillAgentCapacity(tx, agentId, ctx.now()))).length;
  }
  return { woke, assigned };
}
