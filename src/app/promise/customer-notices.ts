import type { Principal } from '../../core/auth/principal.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';
import { enqueue, type OutboxKind } from '../shared/outbox.ts';
import { loadLifecycleSettings, type NoticeKind } from './lifecycle-settings.ts';

const MAIL_KIND: Record<NoticeKind, OutboxKind> = {
  work_started: 'mail.promise_work_started',
  waiting_on_you: 'mail.promise_waiting_on_you',
  // "We need more time; new estimate …" is the promise-changed mail, rendered from the moved promise.
  promise_about_to_pass: 'mail.promise_changed',
  closure_request: 'mail.promise_closure_request',
};

/**
 * Queues a customer notice once per (ticket, kind, key), unless the admin switched that notice off.
 * The insert is the claim: of two transactions racing for the same notice, one inserts and the other
 * finds the row, so a notice is never sent twice. Returns whether it was queued.
 */
export async function sendNoticeOnce(tx: Queryable, ticketId: string, kind: NoticeKind, key: string, now: Date, payload: Record<string, unknown> = {}): Promise<boolean> {
  const settings = await loadLifecycleSettings(tx);
  if (!settings.notices[kind]) return false;
  const inserted = await tx.query('INSERT INTO ticket_notices (ticket_id, kind, key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1', [ticketId, kind, key, now]);
  if (inserted.length === 0) return false;
  await enqueue(tx, MAIL_KIND[kind], { ticket_id: ticketId, notice: kind, ...payload }, now);
  return true;
}

const unsolved = (s: string) => (UNSOLVED_STATUSES as readonly string[]).includes(s);

/**
 * The notices a staff change causes, decided in the changing transaction (called by applyTicketChanges):
 * - work started: the first change by an agent (an assignment, a status) before anyone has answered;
 * - waiting on you: set to pending WITHOUT a public reply in the same change (the reply already tells them);
 * - is it solved?: set to solved — the customer is asked to confirm (mail with one-click links, portal buttons).
 */
export async function queueProgressNotices(tx: Queryable, actor: Principal, before: TicketRow, after: TicketRow, now: Date): Promise<void> {
  if (actor.kind !== 'user') return;
  if (before.first_responded_at === null && after.first_responded_at === null && unsolved(after.status) && after.status !== 'pending') {
    await sendNoticeOnce(tx, after.id, 'work_started', '', now);
  }
  if (after.status === 'pending' && before.status !== 'pending') {
    // A public agent message written by this very transaction is "a reply in the same change".
    const [reply] = await tx.query("SELECT 1 FROM messages WHERE ticket_id = $1 AND kind = 'public' AND author_kind = 'user' AND xmin = pg_current_xact_id()::xid", [after.id]);
    if (!reply) await sendNoticeOnce(tx, after.id, 'waiting_on_you', String(now.getTime()), now);
  }
  if (after.status === 'solved' && before.status !== 'solved' && after.solved_at) {
    await sendNoticeOnce(tx, after.id, 'closure_request', String(after.solved_at.getTime()), now);
  }
}
