import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, invalidInput } from '../../core/errors.ts';
import { TICKET_STATUSES } from '../../core/tickets/ticket-model.ts';
import { lockTicket } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';
import { applyTicketChanges, type UpdateTicketInput } from './update-ticket.ts';

const tag = z.string().trim().min(1).max(40);

export const bulkUpdateInput = z
  .object({
    numbers: z.array(z.number().int().positive()).min(1).max(200),
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.string().max(40).optional(),
    assignee_id: z.string().uuid().nullable().optional(),
    group_id: z.string().uuid().nullable().optional(),
    add_tags: z.array(tag).max(20).optional(),
    remove_tags: z.array(tag).max(20).optional(),
  })
  .strict();

/**
 * One change applied to many tickets in one transaction: all of them or none (a closed ticket or a refused
 * transition names the ticket in the error). Each ticket gets its own events and live update.
 */
export async function bulkUpdateTickets(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ updated: number[] }> {
  if (actor.kind !== 'user') throw forbidden('customers cannot change ticket fields');
  const input = parseInput(bulkUpdateInput, raw);
  const numbers = [...new Set(input.numbers)].sort((a, b) => a - b);
  return ctx.db.transaction(async (tx) => {
    for (const [i, n] of numbers.entries()) {
      const visible = await loadVisibleTicket(tx, actor, String(n)).catch(() => {
        throw invalidInput(`numbers.${i}`, `ticket ${n} not found`);
      });
      const current = await lockTicket(tx, visible.id);
      if (!current) throw invalidInput(`numbers.${i}`, `ticket ${n} not found`);
      const patch: UpdateTicketInput = {};
      if (input.status) patch.status = input.status;
      if (input.priority) patch.priority = input.priority;
      if (input.assignee_id !== undefined) patch.assignee_id = input.assignee_id;
      if (input.group_id !== undefined) patch.group_id = input.group_id;
      if (input.add_tags || input.remove_tags) {
        const remove = new Set(input.remove_tags ?? []);
        patch.tags = [...new Set([...current.tags, ...(input.add_tags ?? [])])].filter((t) => !remove.has(t));
      }
      try {
        await applyTicketChanges(ctx, tx, actor, visible.id, patch);
      } catch (err) {
        if (err instanceof Error) err.message = `ticket ${n}: ${err.message}`;
        throw err;
      }
    }
    return { updated: numbers };
  });
}
