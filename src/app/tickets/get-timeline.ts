import type { Principal } from '../../core/auth/principal.ts';
import { ticketScopeSql } from '../../core/auth/ticket-access.ts';
import { forbidden } from '../../core/errors.ts';
import { listEvents, listMessages, type EventRow, type MessageRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';

/**
 * What the actor may read of a ticket's conversation: staff all of it (with the merged tickets' messages);
 * a customer the public messages written on tickets they may see — after a merge of two customers' requests
 * each keeps reading only their own conversation (review 2026-12-07 item 8).
 */
function readableMessages(ctx: AppContext, actor: Principal, ticketId: string): Promise<MessageRow[]> {
  return actor.kind === 'contact' ? listMessages(ctx.db, ticketId, true, ticketScopeSql(actor, 2)) : listMessages(ctx.db, ticketId, false);
}

export async function getMessages(ctx: AppContext, actor: Principal, ref: string): Promise<MessageRow[]> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  return readableMessages(ctx, actor, ticket.id);
}

export async function getEvents(ctx: AppContext, actor: Principal, ref: string): Promise<EventRow[]> {
  if (actor.kind !== 'user') throw forbidden('the audit log is for staff');
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  return listEvents(ctx.db, ticket.id);
}

export type TimelineEntry = { entry: 'message'; message: MessageRow } | { entry: 'event'; event: EventRow };

/** Messages and (for staff) events, oldest first; customers see the public conversation only. */
export async function getTimeline(ctx: AppContext, actor: Principal, ref: string): Promise<TimelineEntry[]> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const messages = await readableMessages(ctx, actor, ticket.id);
  const entries: TimelineEntry[] = messages.map((message) => ({ entry: 'message', message }));
  if (actor.kind === 'user') {
    const events = (await listEvents(ctx.db, ticket.id)).filter((e) => e.kind !== 'message_added');
    entries.push(...events.map((event): TimelineEntry => ({ entry: 'event', event })));
  }
  // Oldest first; entries of the same instant (a reply and the status change it made, a ticket and its first
  // message) in the order the event log recorded them.
  const time = (e: TimelineEntry) => (e.entry === 'message' ? e.message.created_at : e.event.created_at).getTime();
  const seq = (e: TimelineEntry) => Number((e.entry === 'message' ? e.message.seq : e.event.seq) ?? Number.POSITIVE_INFINITY);
  return entries.sort((a, b) => time(a) - time(b) || seq(a) - seq(b));
}
