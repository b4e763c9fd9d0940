import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, invalidInput } from '../../core/errors.ts';
import { lockTicket, appendEvent } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { enqueue } from '../shared/outbox.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { assertNotArchived } from './archive.ts';
import { promiseView, restatedPromise, type PromiseView } from './promise-view.ts';

export const changePromiseInput = z.object({
  promised_at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with an offset' }),
  reason: z.string().trim().min(1, 'is required').max(500),
  message: z.string().trim().max(5000).optional(),
}).strict();

/**
 * An agent sets or extends the promise on one ticket. The original promise is kept (it is what
 * "promises kept" measures), the change is an event, and the customer is told at once.
 */
export async function changePromise(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<PromiseView> {
  if (actor.kind !== 'user') throw forbidden('only staff can change the promise');
  const input = parseInput(changePromiseInput, raw);
  const now = ctx.now();
  const promisedAt = new Date(input.promised_at);
  if (promisedAt.getTime() <= now.getTime()) throw invalidInput('promised_at', 'must be in the future');
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, actor, ref);
    const ticket = await lockTicket(tx, visible.id);
    if (!ticket) throw new DomainError('not_found', 'ticket not found');
    assertNotArchived(ticket);
    if (ticket.status === 'closed') throw new DomainError('unprocessable', 'the ticket is closed; its promise can no longer change', 'ref');
    const description = restatedPromise(ticket.promise, { basis: 'agent', reason: input.reason, message: input.message ?? null }, now);
    const original = ticket.original_promised_reply_at ?? promisedAt;
    await tx.query('UPDATE tickets SET promised_reply_at = $2, original_promised_reply_at = $3, promise = $4, updated_at = $5 WHERE id = $1',
      [ticket.id, promisedAt, original, JSON.stringify(description), now]);
    await appendEvent(tx, {
      ticketId: ticket.id, actor: { kind: 'user', id: actor.id }, kind: 'promise_changed',
      before: { promised_reply_at: ticket.promised_reply_at?.toISOString() ?? null },
      after: { promised_reply_at: promisedAt.toISOString(), reason: input.reason, message: input.message ?? null }, at: now,
    });
    await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: actor.id });
    await enqueue(tx, 'mail.promise_changed', { ticket_id: ticket.id, promised_at: promisedAt.toISOString() }, now);
    const view = promiseView({ promised_reply_at: promisedAt, original_promised_reply_at: original, promise: description, first_responded_at: ticket.first_responded_at });
    if (!view) throw new Error('promise view missing after change');
    return view;
  });
}
