import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, invalidInput } from '../../core/errors.ts';
import { UNTIL_REPLY_MS } from '../../core/routing/model.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvent, lockTicket, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { routeTicket } from './assign.ts';

// A snoozed ticket is hidden from queues (and not routed) until `snoozed_until`; snoozing "until the
// customer replies" stores year 9999 (UNTIL_REPLY_MS) with snooze_until_reply, and both together mean whichever comes
// first. Hiding is decided at query time (snoozed_until > now), so a ticket reappears on time even if
// the wake-up sweep runs late; the sweep then writes the event and routes it.

export const snoozeInput = z.strictObject({
  until: z.iso.datetime({ offset: true }).optional(),
  until_reply: z.boolean().default(false),
}).refine((s) => s.until !== undefined || s.until_reply, { message: 'give until, until_reply: true, or both', path: ['until'] });

const INFINITY = new Date(UNTIL_REPLY_MS);

export async function snoozeTicket(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<string> {
  if (actor.kind !== 'user') throw forbidden('customers cannot snooze tickets');
  const input = parseInput(snoozeInput, raw);
  const now = ctx.now();
  const until = input.until ? new Date(input.until) : null;
  if (until && until.getTime() <= now.getTime()) throw invalidInput('until', 'must be in the future');
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, actor, ref);
    const ticket = await lockTicket(tx, visible.id);
    if (!ticket || !UNSOLVED_STATUSES.includes(ticket.status)) throw new DomainError('unprocessable', 'only unsolved tickets can be snoozed', 'ref');
    await tx.query('UPDATE tickets SET snoozed_until = $2, snooze_until_reply = $3, updated_at = $4 WHERE id = $1', [ticket.id, until ?? INFINITY, input.until_reply, now]);
    await appendEvent(tx, { ticketId: ticket.id, actor: { kind: actor.kind, id: actor.id }, kind: 'snoozed', before: null,
      after: { until: until?.toISOString() ?? null, until_reply: input.until_reply }, at: now });
    // Open queues and views drop it live (and the snoozed view gains it).
    await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: actor.id });
    return ticket.id;
  });
}

export async function unsnoozeTicket(ctx: AppContext, actor: Principal, ref: string): Promise<string> {
  if (actor.kind !== 'user') throw forbidden('customers cannot snooze tickets');
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, actor, ref);
    const ticket = await lockTicket(tx, visible.id);
    if (!ticket) throw new DomainError('not_found', 'ticket not found');
    if (ticket.snoozed_until !== null) await wake(tx, ticket, 'agent', ctx.now(), { kind: 'user', id: actor.id });
    return ticket.id;
  });
}

async function wake(tx: Queryable, ticket: TicketRow, reason: 'agent' | 'time' | 'reply', now: Date, actor: { kind: 'user' | 'system' | 'contact'; id: string | null }): Promise<void> {
  await tx.query('UPDATE tickets SET snoozed_until = NULL, snooze_until_reply = false WHERE id = $1', [ticket.id]);
  await appendEvent(tx, { ticketId: ticket.id, actor, kind: 'unsnoozed', before: { until: ticket.snoozed_until }, after: { reason }, at: now });
  await routeTicket(tx, ticket, now);
  await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: actor.id });
}

/** The intake of a customer's message: a ticket snoozed until their reply wakes up. Called inside the message's transaction. */
export async function wakeOnReply(tx: Queryable, ticketId: string, now: Date, contactId: string): Promise<void> {
  const ticket = await lockTicket(tx, ticketId);
  if (ticket?.snooze_until_reply && ticket.snoozed_until !== null) await wake(tx, ticket, 'reply', now, { kind: 'contact', id: contactId });
}

/**
 * The wake-up sweep: snoozes whose time has come end, with an event, and each ticket goes back into its
 * queue (routed if its group assigns automatically). One short transaction per ticket, rows taken with
 * SKIP LOCKED, so several processes may sweep at once. Returns how many woke.
 */
export async function wakeSnoozedTickets(ctx: AppContext, limit = 500): Promise<number> {
  let woke = 0;
  for (; woke < limit; woke++) {
    const done = await ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const [ticket] = await tx.query<TicketRow>(
        'SELECT * FROM tickets WHERE snoozed_until <= $1 ORDER BY snoozed_until LIMIT 1 FOR UPDATE SKIP LOCKED', [now]);
      if (!ticket) return true;
      await wake(tx, ticket, 'time', now, { kind: 'system', id: null });
      return false;
    });
    if (done) break;
  }
  return woke;
}
