import type { Queryable } from '../../store/db.ts';

export type OutboxKind = 'mail.acknowledgement' | 'mail.agent_reply' | 'mail.magic_link' | 'mail.password_reset' | 'sla.recompute_open' | 'mail.promise_changed'
  // monitor: staff notifications (notify.ts), webhook deliveries, customer mails of the stale-request rule
  | 'notify.email' | 'mail.staff' | 'webhook.deliver' | 'mail.pending_reminder' | 'mail.auto_solved'
  // closure: the customer's progress notices and the "is it solved?" question (app/promise/customer-notices.ts)
  | 'mail.promise_work_started' | 'mail.promise_waiting_on_you' | 'mail.promise_closure_request'
  // merge: "your request was merged into …" to the merged ticket's requester (app/routing/merge-tickets.ts)
  | 'mail.merged'
  // triggers' own mails (app/triage/queue-trigger-sends.ts)
  | 'mail.trigger'
  // messenger channels: the acknowledgement and agent replies to a Telegram chat or a generic webhook (app/channels)
  | 'channel.send'
  // side conversations: a message to an outside party (app/sideconv/render-side-mail.ts)
  | 'mail.side_conversation'
  // the chat widget's transcript on request (app/channels/widget-chat.ts): to, subject, text
  | 'mail.widget_transcript';

/** Attempts before a job is filed as a dead letter (jobs/outbox-worker.ts). */
export const OUTBOX_MAX_ATTEMPTS = 8;

/** A job that can never succeed (no address, a chat that blocked the bot): a dead letter at once, not eight retries. */
export class Undeliverable extends Error {}

/** Enqueued inside the transaction of the change that causes it, so a job exists exactly when its change committed. */
export async function enqueue(q: Queryable, kind: OutboxKind, payload: Record<string, unknown>, now: Date): Promise<void> {
  await q.query('INSERT INTO outbox (kind, payload, created_at, run_at) VALUES ($1, $2, $3, $3)', [kind, JSON.stringify(payload), now]);
}

export type OutboxJob = { kind: OutboxKind; payload: Record<string, unknown>; runAt?: Date };

/** Several jobs in one statement (ids follow the array order), e.g. a monitor batch's webhook deliveries. */
export async function enqueueMany(q: Queryable, jobs: readonly OutboxJob[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  await q.query(
    `INSERT INTO outbox (kind, payload, created_at, run_at)
     SELECT k, p, $1, r FROM unnest($2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY AS x(k, p, r, n) ORDER BY n`,
    [now, jobs.map((j) => j.kind), jobs.map((j) => JSON.stringify(j.payload)), jobs.map((j) => j.runAt ?? now)]);
}
