import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/db.ts';
import { enqueue } from '../shared/outbox.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';

// The one staff notification channel. Call notify(tx, …) inside the transaction of the change that
// causes it: the in-app rows, the e-mail schedule and the webhook deliveries then exist exactly when
// the change committed (a crash before commit loses neither; a crash after repeats nothing).

export type Notification = {
  /** A stable event name, e.g. "sla.warning"; webhooks subscribe to these. */
  event: string;
  ticketId: string | null;
  title: string;
  body: string;
  /** Urgent notifications are e-mailed at once, even outside the recipient's working hours. */
  urgent: boolean;
  /** Staff user ids; duplicates and inactive users are dropped. */
  recipients: readonly string[];
  /** Extra fields for the webhook payload. */
  data?: Record<string, unknown>;
  /** false: in-app and webhooks only. */
  email?: boolean;
};

type Recipient = { id: string; working_calendar_id: string | null };

export async function notify(q: Queryable, n: Notification, now: Date): Promise<void> {
  const ids = [...new Set(n.recipients)];
  const recipients = ids.length
    ? await q.query<Recipient>('SELECT id, working_calendar_id FROM users WHERE id = ANY($1::uuid[]) AND active ORDER BY id', [ids])
    : [];
  if (recipients.length) {
    const config = recipients.some((r) => r.working_calendar_id) ? await loadSlaConfig(q) : null;
    const emailAfter = recipients.map((r) => {
      if (n.email === false) return null;
      const calendar = r.working_calendar_id ? config?.calendars.get(r.working_calendar_id)?.compiled : undefined;
      // Quiet hours: wait for the recipient's working hours unless the ticket is urgent.
      const opening = !n.urgent && calendar ? calendar.nextOpening(now.getTime()) : now.getTime();
      return new Date(opening ?? now.getTime()).toISOString();
    });
    await q.query(
      `INSERT INTO notifications (user_id, ticket_id, kind, title, body, urgent, created_at, email_after)
       SELECT u, $2, $3, $4, $5, $6, $7, a FROM unnest($1::uuid[], $8::timestamptz[]) AS x(u, a)`,
      [recipients.map((r) => r.id), n.ticketId, n.event, n.title, n.body, n.urgent, now, emailAfter]);
    for (const [i, r] of recipients.entries()) {
      const after = emailAfter[i];
      if (after) await planMail(q, r.id, new Date(after), now);
    }
  }
  await enqueueWebhooks(q, n, now);
}

/**
 * Makes sure an e-mail job is due for the recipient no later than `at`. The recipient's plan row
 * (locked here) says when the next job runs; only a nearer moment adds a job. The job
 * (send-staff-mail) applies the digest window: what piles up until it runs goes out as one message.
 */
async function planMail(q: Queryable, userId: string, at: Date, now: Date): Promise<void> {
  // The no-op update locks the row and returns the plan as it stands, in one round trip.
  const [plan] = await q.query<{ next_send_at: Date | null }>(
    `INSERT INTO notification_mail_state (user_id) VALUES ($1) ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id RETURNING next_send_at`, [userId]);
  if (plan?.next_send_at && plan.next_send_at.getTime() <= at.getTime()) return;
  await q.query('UPDATE notification_mail_state SET next_send_at = $2 WHERE user_id = $1', [userId, at]);
  await enqueueMailJob(q, userId, at, now);
}

export async function enqueueMailJob(q: Queryable, userId: string, at: Date, now: Date): Promise<void> {
  await q.query('INSERT INTO outbox (kind, payload, created_at, run_at) VALUES ($1, $2, $3, $4)', ['notify.email', JSON.stringify({ user_id: userId }), now, at]);
}

async function enqueueWebhooks(q: Queryable, n: Notification, now: Date): Promise<void> {
  const hooks = await q.query<{ id: string }>("SELECT id FROM webhooks WHERE active AND (events = '{}' OR $1 = ANY(events)) ORDER BY id", [n.event]);
  for (const hook of hooks) {
    const delivery = randomUUID();
    const body = { id: delivery, event: n.event, created_at: now.toISOString(), ticket_id: n.ticketId, title: n.title, body: n.body, urgent: n.urgent, data: n.data ?? {} };
    await enqueue(q, 'webhook.deliver', { webhook_id: hook.id, delivery_id: delivery, body }, now);
  }
}
