import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import { statusAfterMessage } from '../../core/tickets/status-transition.ts';
import { TICKET_STATUSES, isMessenger, type TicketStage } from '../../core/tickets/ticket-model.ts';
import { nextStage } from '../../core/triage/stage.ts';
import { runTriggers } from '../triage/run-triggers.ts';
import { appendEvent, insertMessage, lockTicket, updateTicketRow } from '../../store/repos/tickets-repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { messageBody } from '../shared/message-body.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { applyTicketChanges } from './update-ticket.ts';
import { wakeOnReply } from '../routing/snooze-ticket.ts';
import { assertNotArchived } from '../promise/archive.ts';
import { survivorOf } from './merged-conversation.ts';
import { macroFieldChanges } from '../triage/manage-macros.ts';

export const addMessageInput = z.object({
  body: z.string().trim().min(1, 'is required').max(100_000),
  body_html: z.string().max(500_000).optional(),
  kind: z.enum(['public', 'internal']).default('public'),
  /** Staff may set the status in the same change ("reply and set pending"). */
  status: z.enum(TICKET_STATUSES).optional(),
  /** Staff: the macro this reply was written from; its field changes apply with the message, in its transaction. */
  macro_id: z.string().uuid('must be a macro id').optional(),
});

/**
 * A public reply, an internal note, or a customer's message. An agent's first public reply sets
 * first_responded_at; a customer's message reopens a pending or solved ticket.
 */
export async function addMessage(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<{ ticketId: string; messageId: string }> {
  const input = parseInput(addMessageInput, raw);
  return ctx.db.transaction((tx) => addMessageInTx(ctx, tx, actor, ref, input));
}

/** The same inside the caller's transaction (e-mail intake writes its message-ids with the message). */
export async function addMessageInTx(ctx: AppContext, tx: Queryable, actor: Principal, ref: string, input: z.infer<typeof addMessageInput>): Promise<{ ticketId: string; messageId: string }> {
  const kind = actor.kind === 'contact' ? 'public' : input.kind;
  if (actor.kind === 'contact' && input.status) throw new DomainError('forbidden', 'customers cannot set the status', 'status');
  if (actor.kind !== 'user' && input.macro_id) throw new DomainError('forbidden', 'only staff use macros', 'macro_id');
  // The macro's staged field changes (a status chosen beside the reply wins over the macro's).
  const staged = actor.kind === 'user' && input.macro_id ? await macroFieldChanges(tx, actor, input.macro_id) : {};
  {
    const visible = await loadVisibleTicket(tx, actor, ref);
    // A customer writing on a request that was merged away (the portal, a reply to an old mail) reaches the
    // survivor; the message stays in their own conversation (origin_ticket_id), hidden from its customer.
    const survivor = actor.kind === 'contact' && visible.merged_into_id ? await survivorOf(tx, visible.id) : null;
    const ticket = await lockTicket(tx, survivor?.id ?? visible.id);
    if (!ticket) throw new DomainError('not_found', 'ticket not found');
    assertNotArchived(ticket);
    if (ticket.status === 'closed') throw new DomainError('unprocessable', 'the ticket is closed; open a follow-up request instead', 'ref');
    const now = ctx.now();
    const body = messageBody({ text: input.body, html: input.body_html });
    const authorKind = actor.kind;
    const messageId = await insertMessage(tx, { ticketId: ticket.id, kind, authorKind, authorId: actor.id, text: body.text, html: body.html, at: now });
    if (survivor) await tx.query('UPDATE messages SET origin_ticket_id = $2 WHERE id = $1', [messageId, visible.id]);
    await appendEvent(tx, { ticketId: ticket.id, actor: { kind: actor.kind, id: actor.id }, kind: 'message_added', before: null, after: { message_id: messageId, kind, author_kind: authorKind }, at: now });
    const isAgentReply = kind === 'public' && actor.kind === 'user';
    await updateTicketRow(tx, ticket.id, {
      updated_at: now,
      ...(isAgentReply && ticket.first_responded_at === null ? { first_responded_at: now } : {}),
    });
    if (actor.kind === 'contact' && kind === 'public') await wakeOnReply(tx, ticket.id, now, actor.id);
    await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'message', actor_id: actor.id });
    if (isAgentReply) {
      // A request that came from a messenger chat is answered in that chat (app/channels), not by e-mail.
      if (isMessenger(ticket.channel)) await enqueue(tx, 'channel.send', { ticket_id: ticket.id, message_id: messageId, what: 'reply' }, now);
      else await enqueue(tx, 'mail.agent_reply', { ticket_id: ticket.id, message_id: messageId }, now);
      await tx.query("UPDATE messages SET delivery_status = 'queued' WHERE id = $1", [messageId]);
    }
    const automatic = kind === 'public' ? statusAfterMessage(ticket.status, actor.kind === 'user' ? 'agent' : 'customer') : ticket.status;
    const nextStatus = input.status ?? staged.status ?? automatic;
    // An agent's first public reply opens the diagnosis stage (core/triage/stage.ts).
    const replied = isAgentReply ? nextStage(ticket.stage, { kind: 'agent_replied' }) : ticket.stage;
    const stage = nextStatus !== ticket.status ? nextStage(replied, { kind: 'status', status: nextStatus }) : replied;
    const { status: _macroStatus, ...stagedFields } = staged;
    const changes = { ...stagedFields, ...(nextStatus !== ticket.status ? { status: nextStatus } : {}), ...(stage !== ticket.stage ? { stage: stage as TicketStage } : {}) };
    if (Object.keys(changes).length > 0) await applyTicketChanges(ctx, tx, actor, ticket.id, changes);
    else await refreshTicketSla(tx, ticket.id, now);
    if (actor.kind === 'contact') await runTriggers(ctx, tx, ticket.id, 'customer_replied', body.text);
    return { ticketId: ticket.id, messageId };
  }
}
