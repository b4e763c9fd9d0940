import type { Principal } from '../../core/auth/principal.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';
import { sendNoticeOnce } from '../promise/customer-notices.ts';

const unsolved = (s: string) => (UNSOLVED_STATUSES as readonly string[]).includes(s);

/**
 * "Work has started" means a person started, not that a ticket was handed out (review 2026-12-07, item 13:
 * going online assigned 8 tickets and mailed 8 customers in the same second). As in Zendesk and Zammad,
 * where "New" means nobody has touched the ticket, the notice goes when its assignee takes it from New to
 * Open (by the status, or by the "Start work" button, which does exactly that) before anyone has answered.
 * An assignment alone — by routing, a bulk change or a supervisor — sends nothing, and a first public reply
 * is itself the news. Once per ticket: `sendNoticeOnce` claims (ticket, 'work_started').
 */
export function isWorkStart(actor: Principal, before: TicketRow, after: TicketRow): boolean {
  return actor.kind === 'user' && after.assignee_id === actor.id && before.status === 'new' && after.status === 'open'
    && before.first_responded_at === null && after.first_responded_at === null;
}

/** Queues the work-started notice once, if nobody has answered yet and the ticket is still being worked on. */
export async function sendWorkStarted(tx: Queryable, ticket: TicketRow, now: Date): Promise<boolean> {
  if (ticket.first_responded_at !== null || !unsolved(ticket.status) || ticket.status === 'pending') return false;
  return sendNoticeOnce(tx, ticket.id, 'work_started', '', now);
}

/**
 * The customer notices a staff change causes, decided in the changing transaction (called by applyTicketChanges):
 * - work started: see isWorkStart;
 * - waiting on you: set to pending WITHOUT a public reply in the same change (the reply already tells them);
 * - is it solved?: set to solved — the customer is asked to confirm (mail with one-click links, portal buttons).
 */
export async function queueStaffChangeNotices(tx: Queryable, actor: Principal, before: TicketRow, after: TicketRow, now: Date): Promise<void> {
  if (actor.kind !== 'user') return;
  if (isWorkStart(actor, before, after)) await sendWorkStarted(tx, after, now);
  if (after.status === 'pending' && before.status !== 'pending') {
    // A public agent message written by this very transaction is "a reply in the same change".
    const [reply] = await tx.query("SELECT 1 FROM messages WHERE ticket_id = $1 AND kind = 'public' AND author_kind = 'user' AND xmin = pg_current_xact_id()::xid", [after.id]);
    if (!reply) await sendNoticeOnce(tx, after.id, 'waiting_on_you', String(now.getTime()), now);
  }
  if (after.status === 'solved' && before.status !== 'solved' && after.solved_at) {
    await sendNoticeOnce(tx, after.id, 'closure_request', String(after.solved_at.getTime()), now);
  }
}
