import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/db.ts';
import { mailTimeFor, rosterOf } from '../planning/on-duty.ts';
import { enqueueMany, type OutboxJob } from '../shared/outbox.ts';
import { loadSlaConfig, type SlaConfig } from '../sla/sla-config.ts';
import { publishNotificationChange } from './publish-notification-change.ts';

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

type Recipient = { id: string; working_calendar_id: string | null; roster_spec: unknown; roster_updated_at: Date | null };

/**
 * Quiet hours: when a non-urgent mail to this recipient may go. Their roster decides when they have one (the next
 * shift or on-call period; on duty: now); otherwise their working-hours calendar as before rosters; otherwise now.
 */
function quietUntil(r: Recipient, calendars: SlaConfig['calendars'] | null, now: number): number {
  if (r.roster_updated_at) return mailTimeFor(rosterOf({ user_id: r.id, spec: r.roster_spec, updated_at: r.roster_updated_at }), now);
  const calendar = r.working_calendar_id ? calendars?.get(r.working_calendar_id)?.compiled : undefined;
  return (calendar ? calendar.nextOpening(now) : null) ?? now;
}

export async function notify(q: Queryable, n: Notification, now: Date): Promise<void> {
  await notifyMany(q, [n], now);
}

/**
 * Several notifications in a fixed number of statements (the SLA monitor sends a whole batch's at once):
 * the recipients, one insert of every in-app row, the e-mail plan of each recipient (locked in id order,
 * so concurrent batches cannot deadlock on them), the webhooks, one insert of every outbox job.
 * `config`: the SLA configuration if the caller already holds it (quiet hours read the calendars).
 */
export async function notifyMany(q: Queryable, ns: readonly Notification[], now: Date, config?: SlaConfig): Promise<void> {
  if (ns.length === 0) return;
  const ids = [...new Set(ns.flatMap((n) => n.recipients))];
  const active = ids.length
    ? new Map((await q.query<Recipient>(
      `SELECT u.id, u.working_calendar_id, r.spec AS roster_spec, r.updated_at AS roster_updated_at
         FROM users u LEFT JOIN rosters r ON r.user_id = u.id WHERE u.id = ANY($1::uuid[]) AND u.active ORDER BY u.id`, [ids])).map((r) => [r.id, r]))
    : new Map<string, Recipient>();
  const calendars = [...active.values()].some((r) => r.working_calendar_id && !r.roster_updated_at) ? (config ?? await loadSlaConfig(q)).calendars : null;
  const rows = { user: [] as string[], ticket: [] as (string | null)[], kind: [] as string[], title: [] as string[], body: [] as string[], urgent: [] as boolean[], emailAfter: [] as (string | null)[], data: [] as string[] };
  const mailAt = new Map<string, number>();
  for (const n of ns) {
    for (const id of [...new Set(n.recipients)].sort()) {
      const r = active.get(id);
      if (!r) continue;
      let after: number | null = null;
      if (n.email !== false) {
        after = n.urgent ? now.getTime() : quietUntil(r, calendars, now.getTime());
        mailAt.set(r.id, Math.min(after, mailAt.get(r.id) ?? Number.POSITIVE_INFINITY));
      }
      rows.user.push(r.id); rows.ticket.push(n.ticketId); rows.kind.push(n.event); rows.title.push(n.title); rows.body.push(n.body); rows.urgent.push(n.urgent);
      rows.emailAfter.push(after === null ? null : new Date(after).toISOString());
      rows.data.push(JSON.stringify(n.data ?? {}));
    }
  }
  if (rows.user.length) {
    await q.query(
      `INSERT INTO notifications (user_id, ticket_id, kind, title, body, urgent, created_at, email_after, data)
       SELECT u, t, k, ti, b, ur, $1, a, d::jsonb FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::timestamptz[], $9::text[])
         WITH ORDINALITY AS x(u, t, k, ti, b, ur, a, d, n) ORDER BY n`,
      [now, rows.user, rows.ticket, rows.kind, rows.title, rows.body, rows.urgent, rows.emailAfter, rows.data]);
    await publishNotificationChange(q, rows.user);
  }
  const deliveries = await webhookJobs(q, ns, now);
  // The plan rows are locked last: from here to commit is two or three statements.
  await enqueueMany(q, [...(await planMails(q, mailAt)), ...deliveries], now);
}

/**
 * Makes sure an e-mail job is due for each recipient no later than its `at`. The recipient's plan row
 * (locked here) says when the next job runs; only a nearer moment adds a job. The job
 * (send-staff-mail) applies the digest window: what piles up until it runs goes out as one message.
 */
async function planMails(q: Queryable, mailAt: ReadonlyMap<string, number>): Promise<OutboxJob[]> {
  if (mailAt.size === 0) return [];
  const users = [...mailAt.keys()].sort();
  // The no-op update locks the rows (in id order) and returns the plans as they stand, in one round trip.
  const plans = await q.query<{ user_id: string; next_send_at: Date | null }>(
    `INSERT INTO notification_mail_state (user_id) SELECT u FROM unnest($1::uuid[]) AS u ORDER BY u
     ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id RETURNING user_id, next_send_at`, [users]);
  const nearer = plans.filter((p) => {
    const at = mailAt.get(p.user_id);
    return at !== undefined && !(p.next_send_at && p.next_send_at.getTime() <= at);
  }).map((p) => ({ user: p.user_id, at: new Date(mailAt.get(p.user_id) ?? 0) }));
  if (nearer.length === 0) return [];
  await q.query('UPDATE notification_mail_state s SET next_send_at = x.at FROM unnest($1::uuid[], $2::timestamptz[]) AS x(u, at) WHERE s.user_id = x.u',
    [nearer.map((p) => p.user), nearer.map((p) => p.at)]);
  return nearer.map((p) => mailJob(p.user, p.at));
}

const mailJob = (userId: string, at: Date): OutboxJob => ({ kind: 'notify.email', payload: { user_id: userId }, runAt: at });

export async function enqueueMailJob(q: Queryable, userId: string, at: Date, now: Date): Promise<void> {
  await enqueueMany(q, [mailJob(userId, at)], now);
}

/** One delivery per notification × subscribed webhook, each with its own stable id (X-Replyby-Delivery). */
async function webhookJobs(q: Queryable, ns: readonly Notification[], now: Date): Promise<OutboxJob[]> {
  const hooks = await q.query<{ id: string; events: string[] }>('SELECT id, events FROM webhooks WHERE active ORDER BY id');
  return ns.flatMap((n) => hooks.filter((h) => h.events.length === 0 || h.events.includes(n.event)).map((hook) => {
    const delivery = randomUUID();
    const body = { id: delivery, event: n.event, created_at: now.toISOString(), ticket_id: n.ticketId, title: n.title, body: n.body, urgent: n.urgent, data: n.data ?? {} };
    return { kind: 'webhook.deliver' as const, payload: { webhook_id: hook.id, delivery_id: delivery, body } };
  }));
}
