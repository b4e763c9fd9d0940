import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import { appendEvent } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { createTicketInTx, type CreatedTicket } from './create-ticket.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';

export const createFollowUpInput = z
  .object({
    subject: z.string().trim().min(1).max(250).optional(),
    message: z.string().trim().min(1, 'is required').max(100_000),
  })
  .strict();

/** A new ticket for the same requester, group and type, linked to a (closed or solved) one, which stays as it was. */
export async function createFollowUp(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<CreatedTicket> {
  if (actor.kind !== 'user') throw forbidden('customers open follow-ups by writing a new request');
  const input = parseInput(createFollowUpInput, raw);
  return ctx.db.transaction(async (tx) => {
    const original = await loadVisibleTicket(tx, actor, ref);
    const created = await createTicketInTx(ctx, tx, actor, {
      subject: input.subject ?? original.subject,
      message: input.message,
      type: original.type,
      priority: original.priority,
      requester_id: original.requester_id,
      group_id: original.group_id,
      tags: ['follow-up'],
    }, 'api');
    await tx.query('UPDATE tickets SET follow_up_of = $2 WHERE id = $1', [created.ticket.id, original.id]);
    const now = ctx.now();
    await appendEvent(tx, { ticketId: original.id, actor: { kind: 'user', id: actor.id }, kind: 'follow_up_created', before: null, after: { follow_up_number: created.ticket.number }, at: now });
    await appendEvent(tx, { ticketId: created.ticket.id, actor: { kind: 'user', id: actor.id }, kind: 'follow_up_of', before: null, after: { ticket_number: original.number }, at: now });
    return created;
  });
}
