import type { AppContext } from '../context.ts';
import { enqueue } from '../shared/outbox.ts';
import { enqueueMailJob } from './notify.ts';
import { localiseInstants } from './staff-mail-times.ts';

export const DEFAULT_DIGEST_WINDOW_MS = 2 * 60_000;
const MAX_PER_MAIL = 50;

type Pending = { id: string; title: string; body: string; ticket_number: number | null };

/**
 * The `notify.email` job: turns a recipient's due notifications into one e-mail (a digest when there
 * are several), at most one per digest window. The mail itself is written to the outbox as
 * `mail.staff` in the same transaction that marks the notifications sent, so nothing is lost or sent twice
 * by a crash here.
 */
export async function sendStaffMail(ctx: AppContext, job: { id: string; payload: Record<string, unknown> }): Promise<void> {
  const userId = typeof job.payload.user_id === 'string' ? job.payload.user_id : null;
  if (!userId) return;
  const windowMs = ctx.settings.digestWindowMs ?? DEFAULT_DIGEST_WINDOW_MS;
  await ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [state] = await tx.query<{ last_sent_at: Date | null; next_send_at: Date | null; email: string; name: string; language: string; time_zone: string }>(
      `SELECT s.last_sent_at, s.next_send_at, u.email, u.name, u.language, u.time_zone FROM notification_mail_state s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 FOR UPDATE OF s`, [userId]);
    if (!state) return;
    const windowEnd = state.last_sent_at ? state.last_sent_at.getTime() + windowMs : 0;
    let sent = false;
    if (now.getTime() >= windowEnd) {
      const rows = await tx.query<Pending>(
        `SELECT n.id::text AS id, n.title, n.body, t.number AS ticket_number FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id
         WHERE n.user_id = $1 AND n.email_after IS NOT NULL AND n.emailed_at IS NULL AND n.email_after <= $2 ORDER BY n.id LIMIT $3`, [userId, now, MAX_PER_MAIL]);
      if (rows.length) {
        await tx.query('UPDATE notifications SET emailed_at = $2 WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id), now]);
        await enqueue(tx, 'mail.staff', { to: state.email, ...render(ctx, state.name, rows.map((r) => ({ ...r, title: localiseInstants(r.title, state.language, state.time_zone), body: localiseInstants(r.body, state.language, state.time_zone) }))), notification_ids: rows.map((r) => r.id) }, now);
        sent = true;
      }
    }
    const [next] = await tx.query<{ at: Date | null }>(
      'SELECT min(email_after) AS at FROM notifications WHERE user_id = $1 AND email_after IS NOT NULL AND emailed_at IS NULL', [userId]);
    const lastSent = sent ? now.getTime() : state.last_sent_at?.getTime() ?? 0;
    const nextAt = next?.at ? new Date(Math.max(next.at.getTime(), lastSent + windowMs)) : null;
    await tx.query('UPDATE notification_mail_state SET next_send_at = $2, last_sent_at = $3 WHERE user_id = $1', [userId, nextAt, lastSent ? new Date(lastSent) : null]);
    // A plan that stays as it was already has its job (this one, or a nearer one's successor).
    const planned = state.next_send_at?.getTime() ?? null;
    if (nextAt && (planned === null || planned <= now.getTime() || nextAt.getTime() < planned)) await enqueueMailJob(tx, userId, nextAt, now);
  });
}

function render(ctx: AppContext, name: string, rows: readonly Pending[]): { subject: string; text: string } {
  const base = ctx.settings.publicUrl;
  const line = (r: Pending) => `${r.title}\n${r.body}${r.ticket_number === null ? '' : `\n${base}/tickets/${r.ticket_number}`}`;
  const [only] = rows;
  if (rows.length === 1 && only) return { subject: `[Replyby] ${only.title}`, text: `Hello ${name},\n\n${line(only)}\n` };
  return { subject: `[Replyby] ${rows.length} notifications`, text: `Hello ${name},\n\n${rows.map(line).join('\n\n')}\n` };
}
