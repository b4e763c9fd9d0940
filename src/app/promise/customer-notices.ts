import type { Queryable } from '../../store/db.ts';
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
