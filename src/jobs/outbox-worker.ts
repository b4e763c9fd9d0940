import type { AppContext, OutgoingMail } from '../app/context.ts';
import { renderSideMail } from '../app/sideconv/render-side-mail.ts';
import { renderMail } from '../app/notifications/render-mail.ts';
import { recomputeOpenTickets } from '../app/sla/recompute-open-tickets.ts';
import { activeWebhooks, deliverWebhook, type WebhookTarget } from '../app/notifications/deliver-webhook.ts';
import { sendStaffMail } from '../app/notifications/send-staff-mail.ts';
import { deliverChatMessage } from '../app/channels/deliver-chat-message.ts';
import { OUTBOX_MAX_ATTEMPTS, Undeliverable } from '../app/shared/outbox.ts';
import { runEvery } from './periodic.ts';

type Job = { id: string; kind: string; payload: Record<string, unknown>; attempts: number };
export type SendMail = (mail: OutgoingMail) => Promise<void>;

const LOCK_SECONDS = 120;
const MAX_ATTEMPTS = OUTBOX_MAX_ATTEMPTS;

/**
 * Claims due jobs with FOR UPDATE SKIP LOCKED, so any number of workers (processes or nodes) share
 * the outbox without taking the same job; a crashed worker's claim expires after LOCK_SECONDS.
 */
async function claim(ctx: AppContext, limit: number, lockSeconds = LOCK_SECONDS): Promise<Job[]> {
  const now = ctx.now();
  const jobs = await ctx.db.query<Job>(
    `UPDATE outbox SET locked_until = $2, attempts = attempts + 1
     WHERE id IN (SELECT id FROM outbox WHERE done_at IS NULL AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id::text AS id, kind, payload, attempts`,
    [now, new Date(now.getTime() + lockSeconds * 1000), limit]);
  // UPDATE … RETURNING comes back in no particular order: a ticket's mails must go out in the order they
  // were written (the acknowledgement before the first reply).
  return jobs.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
}

async function handle(ctx: AppContext, job: Job, sendMail: SendMail, hooks?: ReadonlyMap<string, WebhookTarget>): Promise<void> {
  if (job.kind === 'sla.recompute_open') {
    // One run covers every recompute request made before it started, including ones claimed in the
    // same batch (skipped here once marked done).
    const [self] = await ctx.db.query<{ done: boolean }>('SELECT done_at IS NOT NULL AS done FROM outbox WHERE id = $1', [job.id]);
    if (self?.done) return;
    await ctx.db.query("UPDATE outbox SET done_at = $1 WHERE kind = 'sla.recompute_open' AND done_at IS NULL AND id <> $2 AND created_at <= $1", [ctx.now(), job.id]);
    const n = await recomputeOpenTickets(ctx);
    ctx.log.info({ job: job.id, tickets: n }, 'SLA clocks recomputed');
    return;
  }
  if (job.kind === 'notify.email') return sendStaffMail(ctx, job);
  if (job.kind === 'webhook.deliver') return deliverWebhook(ctx, job, hooks);
  if (job.kind === 'channel.send') return deliverChatMessage(ctx, job);
  if (job.kind === 'mail.side_conversation') {
    const side = await renderSideMail(ctx, job.payload);
    if (side) await sendMail(side);
    return;
  }
  if (job.kind === 'mail.staff' || job.kind === 'mail.widget_transcript') {
    const { to, subject, text } = job.payload;
    if (typeof to === 'string' && typeof subject === 'string' && typeof text === 'string') await sendMail({ to, subject, text, messageId: `<staff-${job.id}@replyby>` });
    return;
  }
  const mail = await renderMail(ctx, job);
  if (!mail) return;
  // A requester imported without an address: no retry will ever find one.
  if (!mail.to) throw new Undeliverable('the recipient has no e-mail address');
  await sendMail(mail);
}

/** A public reply: by mail, or through a messenger channel; its delivery is shown on the ticket. */
const replyOf = (job: Job): string | null =>
  (job.kind === 'mail.agent_reply' || job.kind === 'channel.send') && typeof job.payload.message_id === 'string' ? job.payload.message_id : null;

/** A public reply's delivery, shown on the ticket (a bounce reported later overrides "sent"). */
async function recordDelivery(ctx: AppContext, job: Job, status: 'retrying' | 'failed', error: string | null): Promise<void> {
  const reply = replyOf(job);
  if (reply === null) return;
  await ctx.db.query("UPDATE messages SET delivery_status = $2, delivery_error = $3 WHERE id = $1 AND delivery_status IS DISTINCT FROM 'bounced'", [reply, status, error]);
}

/**
 * A job that ran is marked done at once, on its own, in one statement with its reply's "sent": a worker
 * killed later repeats none of the sends already confirmed, only those in flight (at most one per lane).
 */
async function markDone(ctx: AppContext, job: Job): Promise<void> {
  const reply = replyOf(job);
  await ctx.db.query(
    `WITH done AS (UPDATE outbox SET done_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1)
     UPDATE messages SET delivery_status = 'sent', delivery_error = NULL WHERE id = $3::uuid AND delivery_status IS DISTINCT FROM 'bounced'`,
    [job.id, ctx.now(), reply]);
}

// Jobs of these kinds are independent of each other (each its own recipient state, or a plain send).
const PARALLEL_KINDS = new Set(['webhook.deliver', 'mail.staff', 'notify.email']);
// Run one by one before the rest: one recompute covers the others queued with it.
const SERIAL_KINDS = new Set(['sla.recompute_open']);

/**
 * The lane a job runs in. Lanes run side by side (bounded); a lane's jobs run in id order. A customer's
 * mails about one ticket share a lane, so the acknowledgement still goes before the first reply, while
 * acknowledgements to different customers no longer wait for each other.
 */
export function outboxLane(job: { id: string; kind: string; payload: Record<string, unknown> }): string {
  if (PARALLEL_KINDS.has(job.kind)) return `job:${job.id}`;
  const ticket = job.payload.ticket_id;
  return typeof ticket === 'string' || typeof ticket === 'number' ? `ticket:${ticket}` : `job:${job.id}`;
}

const CONCURRENCY = 16;

/**
 * Runs every job that is due now; returns how many ran. Handlers are idempotent, failures retry with
 * backoff. Delivery is at least once: each job is marked done as soon as it ran, so a crash repeats only
 * the sends in flight at that moment (sent, not yet marked), with the same Message-ID / X-Replyby-Delivery.
 */
export async function runDueJobs(ctx: AppContext, sendMail: SendMail, batch = 20, lockSeconds = LOCK_SECONDS): Promise<number> {
  let ran = 0;
  for (;;) {
    const jobs = await claim(ctx, batch, lockSeconds);
    if (jobs.length === 0) return ran;
    // The batch's webhooks are read once (a webhook switched off meanwhile is still not called).
    const hookIds = [...new Set(jobs.filter((j) => j.kind === 'webhook.deliver').map((j) => String(j.payload.webhook_id)))];
    const hooks = hookIds.length ? await activeWebhooks(ctx, hookIds) : undefined;
    const run = async (job: Job): Promise<void> => {
      try {
        await handle(ctx, job, sendMail, hooks);
        await markDone(ctx, job);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const retryAt = new Date(ctx.now().getTime() + 2 ** Math.min(job.attempts, 10) * 1000);
        const giveUp = err instanceof Undeliverable || job.attempts >= MAX_ATTEMPTS;
        // A job given up on stays as a dead letter (failed_at), listed for admins and retryable.
        await ctx.db.query('UPDATE outbox SET locked_until = NULL, last_error = $2, run_at = $3, done_at = $4, failed_at = $4 WHERE id = $1', [
          job.id, message, retryAt, giveUp ? ctx.now() : null]);
        await recordDelivery(ctx, job, giveUp ? 'failed' : 'retrying', message);
        ctx.log.error({ job: job.id, kind: job.kind, attempts: job.attempts, err: message }, giveUp ? 'job failed for good' : 'job failed; will retry');
      }
      ran += 1;
    };
    for (const job of jobs.filter((j) => SERIAL_KINDS.has(j.kind))) await run(job);
    const lanes = new Map<string, Job[]>();
    for (const job of jobs) {
      if (SERIAL_KINDS.has(job.kind)) continue;
      const key = outboxLane(job);
      lanes.set(key, [...(lanes.get(key) ?? []), job]);
    }
    const queue = [...lanes.values()];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let lane = queue[next++]; lane; lane = queue[next++]) {
        for (const job of lane) await run(job);
      }
    }));
  }
}

/** Polls the outbox until stopped. */
export function startOutboxWorker(ctx: AppContext, sendMail: SendMail, intervalMs = 1000, lockSeconds = LOCK_SECONDS): { stop: () => Promise<void> } {
  return runEvery(intervalMs, () => runDueJobs(ctx, sendMail, 40, lockSeconds), (err) => ctx.log.error({ err: String(err) }, 'outbox poll failed'));
}
