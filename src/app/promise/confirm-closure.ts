import { z } from 'zod';
import type { CustomerPrincipal, Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { findContact } from '../../store/repos/principals-repo.ts';
import { appendEvent, lockTicket } from '../../store/repos/tickets-repo.ts';
import { hashToken, newToken } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { applyTicketChanges } from '../tickets/update-ticket.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { followUpLowRating } from '../reports/csat-follow-up.ts';
import { assertNotArchived } from './archive.ts';

// Confirmed closure (issue 11): a solved ticket asks its requester "is it solved?". "Solved" closes it
// (with an optional 1–5 rating and comment: the satisfaction survey); "not solved" reopens it into
// diagnosis. The mail's links only SHOW the question (scanners prefetch links); the answer is a POST.

export const closureAnswerInput = z.object({
  outcome: z.enum(['solved', 'not_solved']),
  rating: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').optional(),
  comment: z.string().trim().max(2000).optional(),
}).strict();
export type ClosureAnswerInput = z.infer<typeof closureAnswerInput>;

export type ClosureResult = { number: number; status: string; stage: string; outcome: 'solved' | 'not_solved'; rating: number | null };

/** Mints a closure link for the requester of a ticket; only its hash is stored. Called when the mail is rendered. */
export async function issueClosureLink(q: Queryable, ticketId: string, contactId: string, now: Date, days: number): Promise<string> {
  const { token, hash } = newToken('rbc');
  await q.query('INSERT INTO closure_links (token_hash, ticket_id, contact_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hash, ticketId, contactId, now, new Date(now.getTime() + days * 86_400_000)]);
  return token;
}

const TOKEN = z.string().regex(/^rbc_[A-Za-z0-9_-]{16,100}$/);
const unknownLink = () => new DomainError('not_found', 'this link is unknown or has expired; sign in to the portal to answer');

export type ClosureLinkView = {
  number: number; subject: string; status: string; language: string;
  /** Whether the question can still be answered (the ticket is solved and the link unused). */
  answerable: boolean;
  answered: 'solved' | 'not_solved' | null;
  expires_at: string;
};

/** What a closure link shows. Read-only: opening the link (or a scanner prefetching it) changes nothing. */
export async function viewClosureLink(ctx: AppContext, token: string): Promise<ClosureLinkView> {
  if (!TOKEN.safeParse(token).success) throw unknownLink();
  const [row] = await ctx.db.query<{ number: number; subject: string; status: string; language: string; used_at: Date | null; expires_at: Date; archived_at: Date | null; answered: 'solved' | 'not_solved' | null }>(
    `SELECT t.number, t.subject, t.status, c.language, l.used_at, l.expires_at, t.archived_at,
            (SELECT a.outcome FROM closure_answers a WHERE a.ticket_id = t.id AND a.created_at >= l.created_at ORDER BY a.id DESC LIMIT 1) AS answered
     FROM closure_links l JOIN tickets t ON t.id = l.ticket_id JOIN contacts c ON c.id = l.contact_id
     WHERE l.token_hash = $1 AND l.expires_at > $2 AND t.requester_id = l.contact_id`, [hashToken(token), ctx.now()]);
  if (!row) throw unknownLink();
  return {
    number: row.number, subject: row.subject, status: row.status, language: row.language,
    answerable: row.used_at === null && row.status === 'solved' && row.archived_at === null, answered: row.answered, expires_at: row.expires_at.toISOString(),
  };
}

/** The answer through the mail's link: the token stands for the requester of that one ticket, once. */
export async function answerClosureByLink(ctx: AppContext, token: string, raw: unknown): Promise<ClosureResult> {
  const input = parseInput(closureAnswerInput, raw);
  if (!TOKEN.safeParse(token).success) throw unknownLink();
  return ctx.db.transaction(async (tx) => {
    const [link] = await tx.query<{ ticket_id: string; contact_id: string }>(
      'SELECT ticket_id, contact_id FROM closure_links WHERE token_hash = $1 AND expires_at > $2', [hashToken(token), ctx.now()]);
    if (!link) throw unknownLink();
    // The ticket first (the one lock order of every change), then the link is claimed conditionally:
    // of two clicks racing, one answers and the other finds the link used.
    await lockTicket(tx, link.ticket_id);
    const claimed = await tx.query('UPDATE closure_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING 1', [hashToken(token), ctx.now()]);
    if (claimed.length === 0) throw new DomainError('conflict', 'this link was already used; sign in to the portal to follow your request');
    const contact = await findContact(tx, link.contact_id);
    if (!contact) throw unknownLink();
    return answerClosure(ctx, tx, contact, link.ticket_id, input, 'link');
  });
}

/** The same answer from the portal's ticket page (the signed-in requester). */
export async function answerClosureInPortal(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<ClosureResult> {
  if (actor.kind !== 'contact') throw forbidden('only the customer who raised the request can confirm it');
  const input = parseInput(closureAnswerInput, raw);
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, actor, ref);
    const result = await answerClosure(ctx, tx, actor, visible.id, input, 'portal');
    // Any open link for the ticket is spent too: one answer per solution.
    await tx.query('UPDATE closure_links SET used_at = $2 WHERE ticket_id = $1 AND used_at IS NULL', [visible.id, ctx.now()]);
    return result;
  });
}

/** Stores one answer; a low rating opens its follow-up (app/reports/csat-follow-up.ts) in the same transaction. */
async function insertAnswer(tx: Queryable, values: unknown[]): Promise<string> {
  const [row] = await tx.query<{ id: string }>('INSERT INTO closure_answers (ticket_id, contact_id, outcome, rating, comment, via, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id', values);
  if (!row) throw new Error('insert into closure_answers returned no row');
  return row.id;
}

async function answerClosure(ctx: AppContext, tx: Queryable, contact: CustomerPrincipal, ticketId: string, input: ClosureAnswerInput, via: 'link' | 'portal'): Promise<ClosureResult> {
  const now = ctx.now();
  const ticket = await lockTicket(tx, ticketId);
  if (!ticket) throw new DomainError('not_found', 'ticket not found');
  if (ticket.requester_id !== contact.id) throw forbidden('only the customer who raised the request can confirm it');
  assertNotArchived(ticket);
  const rating = input.rating ?? null;
  const comment = input.comment || null;
  const actor = { kind: 'contact' as const, id: contact.id };
  // A rating after the silence closed the ticket is still welcome; reopening a closed ticket is not possible.
  if (ticket.status === 'closed' && input.outcome === 'solved' && rating !== null) {
    await followUpLowRating(tx, { answerId: await insertAnswer(tx, [ticket.id, contact.id, 'solved', rating, comment, via, now]), ticketId: ticket.id, rating }, now);
    await appendEvent(tx, { ticketId: ticket.id, actor, kind: 'satisfaction_rated', before: null, after: { rating, comment, by: contact.name || contact.email }, at: now });
    return { number: ticket.number, status: ticket.status, stage: ticket.stage, outcome: 'solved', rating };
  }
  if (ticket.status !== 'solved') {
    throw new DomainError('conflict', ticket.status === 'closed'
      ? 'the request is already closed; reply or open a follow-up request if you still need help'
      : 'the request is not waiting for your confirmation (it is not marked solved)', 'outcome');
  }
  await followUpLowRating(tx, { answerId: await insertAnswer(tx, [ticket.id, contact.id, input.outcome, rating, comment, via, now]), ticketId: ticket.id, rating }, now);
  if (input.outcome === 'solved') {
    await appendEvent(tx, { ticketId: ticket.id, actor, kind: 'closure_confirmed', before: null, after: { by: contact.name || contact.email, rating, comment, via }, at: now });
    // The customer's confirmation is the feedback stage (quality_check) until the ticket is archived.
    await applyTicketChanges(ctx, tx, contact, ticket.id, { status: 'closed', stage: 'quality_check' });
  } else {
    await appendEvent(tx, { ticketId: ticket.id, actor, kind: 'closure_rejected', before: null, after: { by: contact.name || contact.email, comment, via }, at: now });
    // Reopened: status open, the stage back to diagnosis (core/triage/stage.ts), SLA clocks resume on refresh.
    await applyTicketChanges(ctx, tx, contact, ticket.id, { status: 'open' });
  }
  const [after] = await tx.query<{ status: string; stage: string }>('SELECT status, stage FROM tickets WHERE id = $1', [ticket.id]);
  return { number: ticket.number, status: after?.status ?? '', stage: after?.stage ?? '', outcome: input.outcome, rating };
}
