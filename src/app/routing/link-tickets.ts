import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, invalidInput, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvents } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';

export const linkTicketInput = z.strictObject({ ticket: z.union([z.string().trim().min(1).max(64), z.number().int().positive()]).transform(String) });

export type LinkedTicket = { id: string; number: number; subject: string; status: string; linked_at: Date };

async function pair(tx: Queryable, actor: Principal, ref: string, other: string) {
  if (actor.kind !== 'user') throw forbidden('customers cannot link tickets');
  const a = await loadVisibleTicket(tx, actor, ref);
  const b = await loadVisibleTicket(tx, actor, other).catch(() => {
    throw invalidInput('ticket', 'no such ticket');
  });
  if (a.id === b.id) throw invalidInput('ticket', 'a ticket cannot be linked to itself');
  return [a, b] as const;
}

/** Links two related tickets; the link is stored in both directions and noted in both logs. Linking twice changes nothing. */
export async function linkTickets(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<void> {
  const input = parseInput(linkTicketInput, raw);
  await ctx.db.transaction(async (tx) => {
    const [a, b] = await pair(tx, actor, ref, input.ticket);
    const now = ctx.now();
    const rows = await tx.query('INSERT INTO ticket_links (ticket_id, linked_id, created_by, created_at) VALUES ($1, $2, $3, $4), ($2, $1, $3, $4) ON CONFLICT DO NOTHING RETURNING 1',
      [a.id, b.id, actor.id, now]);
    if (rows.length === 0) return;
    const who = { kind: actor.kind, id: actor.id };
    await appendEvents(tx, [
      { ticketId: a.id, actor: who, kind: 'linked', before: null, after: { ticket_id: b.id, number: b.number }, at: now },
      { ticketId: b.id, actor: who, kind: 'linked', before: null, after: { ticket_id: a.id, number: a.number }, at: now },
    ]);
  });
}

export async function unlinkTickets(ctx: AppContext, actor: Principal, ref: string, other: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [a, b] = await pair(tx, actor, ref, other);
    const rows = await tx.query('DELETE FROM ticket_links WHERE (ticket_id = $1 AND linked_id = $2) OR (ticket_id = $2 AND linked_id = $1) RETURNING 1', [a.id, b.id]);
    if (rows.length === 0) throw notFound('link');
    const now = ctx.now();
    const who = { kind: actor.kind, id: actor.id };
    await appendEvents(tx, [
      { ticketId: a.id, actor: who, kind: 'unlinked', before: { ticket_id: b.id, number: b.number }, after: null, at: now },
      { ticketId: b.id, actor: who, kind: 'unlinked', before: { ticket_id: a.id, number: a.number }, after: null, at: now },
    ]);
  });
}

/** Linked tickets the caller can see (links to tickets out of their reach are not shown). */
export async function listLinkedTickets(ctx: AppContext, actor: Principal, ref: string): Promise<LinkedTicket[]> {
  if (actor.kind !== 'user') throw forbidden('customers cannot see ticket links');
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const rows = await ctx.db.query<LinkedTicket & { group_id: string | null; assignee_id: string | null }>(
    `SELECT t.id, t.number, t.subject, t.status, t.group_id, t.assignee_id, l.created_at AS linked_at
     FROM ticket_links l JOIN tickets t ON t.id = l.linked_id WHERE l.ticket_id = $1 ORDER BY t.number`, [ticket.id]);
  const visible = actor.role === 'agent' ? rows.filter((r) => r.assignee_id === actor.id || (r.group_id !== null && actor.groupIds.includes(r.group_id))) : rows;
  return visible.map(({ id, number, subject, status, linked_at }) => ({ id, number, subject, status, linked_at }));
}
