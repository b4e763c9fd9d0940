import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, DomainError, forbidden, invalidInput } from '../../core/errors.ts';
import { appendEvents, type TicketRow, type TicketView } from '../../store/repos/tickets-repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { applyTicketChanges } from '../tickets/update-ticket.ts';

/**
 * Merging tickets of different requesters puts one customer's request into another's ticket: the caller
 * must say so (review 2026-12-07 item 8), or the merge is refused with a 409 naming both requesters.
 */
const confirmDifferentRequesters = z.boolean().optional();

export const mergeTicketsInput = z.strictObject({
  into: z.union([z.string().trim().min(1).max(64), z.number().int().positive()]).transform(String),
  confirm_different_requesters: confirmDifferentRequesters,
});

const who = (t: Pick<TicketView, 'number' | 'requester_name' | 'requester_email'>) =>
  `#${t.number} (${t.requester_name && t.requester_name !== t.requester_email ? `${t.requester_name} <${t.requester_email}>` : t.requester_email})`;

/** Refuses, before anything is written, a merge across requesters the caller did not confirm. */
function assertSameRequesterOrConfirmed(sources: readonly TicketView[], target: TicketView, confirmed: boolean | undefined): void {
  const others = sources.filter((s) => s.requester_id !== target.requester_id);
  if (others.length === 0 || confirmed === true) return;
  throw conflict(
    `${others.map(who).join(', ')} and the survivor ${who(target)} have different requesters; each keeps seeing only their own messages. ` +
    'Send confirm_different_requesters: true to merge anyway', 'confirm_different_requesters');
}

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
    assertSameRequesterOrConfirmed([source], target, input.confirm_different_requesters);
    // Both rows locked in one global order, so two opposite merges cannot deadlock.
    const rows = await lockInOrder(tx, [source.id, target.id]);
    return mergeLocked(ctx, tx, actor, rows.get(source.id), rows.get(target.id), { ref: 'ref', into: 'into' });
  });
}

export const bulkMergeInput = z.strictObject({
  numbers: z.array(z.number().int().positive()).min(1).max(50),
  into: z.number().int().positive(),
  confirm_different_requesters: confirmDifferentRequesters,
});

/**
 * Merges several tickets into one survivor in one transaction (the queue's bulk "merge"): all of them or
 * none; an error names the ticket by its index in `numbers`. Every row is locked up front in id order, so
 * concurrent merges and bulk changes cannot deadlock.
 */
export async function bulkMergeTickets(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ survivor: number; merged: number[] }> {
  if (actor.kind !== 'user') throw forbidden('customers cannot merge tickets');
  const input = parseInput(bulkMergeInput, raw);
  return ctx.db.transaction(async (tx) => {
    const target = await loadVisibleTicket(tx, actor, String(input.into)).catch(() => {
      throw invalidInput('into', `ticket ${input.into} not found`);
    });
    const sources: { id: string; number: number; path: string; view: TicketView }[] = [];
    for (const [i, n] of input.numbers.entries()) {
      if (n === input.into || sources.some((s) => s.number === n)) continue;
      const t = await loadVisibleTicket(tx, actor, String(n)).catch(() => {
        throw invalidInput(`numbers[${i}]`, `ticket ${n} not found`);
      });
      sources.push({ id: t.id, number: n, path: `numbers[${i}]`, view: t });
    }
    if (sources.length === 0) throw invalidInput('numbers', 'name at least one ticket other than the survivor');
    assertSameRequesterOrConfirmed(sources.map((s) => s.view), target, input.confirm_different_requesters);
    const rows = await lockInOrder(tx, [target.id, ...sources.map((s) => s.id)]);
    for (const s of sources) await mergeLocked(ctx, tx, actor, rows.get(s.id), rows.get(target.id), { ref: s.path, into: 'into' });
    return { survivor: input.into, merged: sources.map((s) => s.number) };
  });
}

/** Locks the rows in id order with one statement (LockRows runs above the sort) and returns them by id. */
async function lockInOrder(tx: Queryable, ids: readonly string[]): Promise<Map<string, TicketRow>> {
  const rows = await tx.query<TicketRow>('SELECT * FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The merge itself, on rows the caller locked and read; `paths` name the inputs in errors. Merging into the
 * survivor changes neither its status nor its merge pointer, so one read of it serves a whole bulk merge.
 */
async function mergeLocked(ctx: AppContext, tx: Queryable, actor: Principal & { kind: 'user' }, src: TicketRow | undefined, dst: TicketRow | undefined, paths: { ref: string; into: string }): Promise<{ survivorId: string; mergedId: string }> {
  if (!src || !dst) throw new DomainError('not_found', 'ticket not found');
  if (src.merged_into_id || src.status === 'closed') throw new DomainError('unprocessable', `ticket ${src.number} is closed or already merged`, paths.ref);
  if (dst.merged_into_id || dst.status === 'closed') throw new DomainError('unprocessable', 'the survivor is closed or merged; merge into an open ticket', paths.into);
  const now = ctx.now();
  // Each message keeps the conversation it was written in (origin_ticket_id): the survivor's customer does
  // not see it, the merged ticket's customer still does (app/tickets/get-timeline.ts).
  const moved = await tx.query<{ id: string }>('UPDATE messages SET ticket_id = $2, origin_ticket_id = COALESCE(origin_ticket_id, $1) WHERE ticket_id = $1 RETURNING id', [src.id, dst.id]);
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
  // The merged ticket's customer is told where their request went (their later replies still reach it).
  await enqueue(tx, 'mail.merged', { ticket_id: src.id, into_id: dst.id }, now);
  await publishTicketChange(tx, { ticket_id: dst.id, number: dst.number, kind: 'updated', actor_id: actor.id });
  return { survivorId: dst.id, mergedId: src.id };
}
