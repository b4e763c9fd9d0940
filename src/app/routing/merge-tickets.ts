import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, invalidInput } from '../../core/errors.ts';
import { appendEvents, lockTicket } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { applyTicketChanges } from '../tickets/update-ticket.ts';

export const mergeTicketsInput = z.strictObject({ into: z.union([z.string().trim().min(1).max(64), z.number().int().positive()]).transform(String) });

/**
 * Merges ticket `ref` into the survivor `into`: its messages and time entries move to the survivor,
 * it is closed and points to the survivor, and the survivor's clocks are recomputed with the earlier of
 * the two starts (the merged ticket's events stay in its own append-only log and join the survivor's
 * clock input, see store/repos/sla-repo.ts). Staff who can see both tickets may merge.
 */
export async function mergeTickets(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<{ survivorId: string; mergedId: string }> {
  if (actor.kind !== 'user') throw forbidden('customers cannot merge tickets');
  const input = parseInput(mergeTicketsInput, raw);
  return ctx.db.transaction(async (tx) => {
    const source = await loadVisibleTicket(tx, actor, ref);
    const target = await loadVisibleTicket(tx, actor, input.into).catch(() => {
      throw invalidInput('into', 'no such ticket');
    });
    if (source.id === target.id) throw invalidInput('into', 'a ticket cannot be merged into itself');
    // Both rows locked in one global order, so two opposite merges cannot deadlock.
    const [first, second] = source.id < target.id ? [source.id, target.id] : [target.id, source.id];
    const locked = new Map([[first, await lockTicket(tx, first)], [second, await lockTicket(tx, second)]]);
    const src = locked.get(source.id);
    const dst = locked.get(target.id);
    if (!src || !dst) throw new DomainError('not_found', 'ticket not found');
    if (src.merged_into_id || src.status === 'closed') throw new DomainError('unprocessable', 'this ticket is closed or already merged', 'ref');
    if (dst.merged_into_id || dst.status === 'closed') throw new DomainError('unprocessable', 'the survivor is closed or merged; merge into an open ticket', 'into');
    const now = ctx.now();
    const moved = await tx.query<{ id: string }>('UPDATE messages SET ticket_id = $2 WHERE ticket_id = $1 RETURNING id', [src.id, dst.id]);
    await tx.query('UPDATE time_entries SET ticket_id = $2 WHERE ticket_id = $1', [src.id, dst.id]);
    await tx.query('UPDATE tickets SET merged_into_id = $2 WHERE id = $1', [src.id, dst.id]);
    const who = { kind: actor.kind, id: actor.id };
    await appendEvents(tx, [
      { ticketId: src.id, actor: who, kind: 'merged_into', before: null, after: { ticket_id: dst.id, number: dst.number }, at: now },
      { ticketId: dst.id, actor: who, kind: 'merged', before: null, after: { ticket_id: src.id, number: src.number, messages: moved.length }, at: now },
    ]);
    // Closing frees the merged ticket's assignee like any other close, and stops its clocks.
    await applyTicketChanges(ctx, tx, actor, src.id, { status: 'closed' });
    await refreshTicketSla(tx, dst.id, now);
    await publishTicketChange(tx, { ticket_id: dst.id, number: dst.number, kind: 'updated', actor_id: actor.id });
    return { survivorId: dst.id, mergedId: src.id };
  });
}
