import { signBody } from '../../core/channels/signature.ts';
import type { AppContext } from '../context.ts';
import { postToPublicUrl } from '../shared/fetch-public-url.ts';
import { OUTBOX_MAX_ATTEMPTS } from '../shared/outbox.ts';

const TIMEOUT_MS = 10_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the shared secret and rejects old timestamps. */
export const signWebhook = signBody;

/**
 * The `webhook.deliver` job: one signed POST. Anything but a 2xx throws, so the outbox retries with
 * exponential backoff and finally files it as a dead letter. A webhook deleted or switched off
 * meanwhile is not called. Each attempt is written to the delivery log (`webhook_deliveries`: status,
 * attempts, last error, the receiver's response code).
 */
export async function deliverWebhook(ctx: AppContext, job: { payload: Record<string, unknown>; attempts: number }, hooks?: ReadonlyMap<string, WebhookTarget>): Promise<void> {
  const id = String(job.payload.webhook_id);
  const hook = hooks ? hooks.get(id) : (await activeWebhooks(ctx, [id])).get(id);
  if (!hook) return;
  const body = JSON.stringify(job.payload.body);
  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  const event = typeof job.payload.body === 'object' && job.payload.body !== null && 'event' in job.payload.body ? String(job.payload.body.event) : '';
  let status = 0;
  try {
    status = await postToPublicUrl(hook.url, body, {
      'x-replyby-signature': signWebhook(hook.secret, timestamp, body),
      'x-replyby-delivery': String(job.payload.delivery_id),
      'x-replyby-event': event,
      'x-replyby-attempt': String(job.attempts),
    }, { allowPrivate: ctx.settings.allowPrivateUrls ?? false, timeoutMs: TIMEOUT_MS });
    if (status < 200 || status > 299) throw new Error(`the receiver answered ${status}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await logAttempt(ctx, id, job, event, job.attempts >= OUTBOX_MAX_ATTEMPTS ? 'dead' : 'retrying', message, status || null);
    throw err;
  }
  await logAttempt(ctx, id, job, event, 'delivered', null, status);
}

/** One row per delivery id: a staff event's row is made at its first attempt, a lifecycle event's by the dispatcher. */
async function logAttempt(ctx: AppContext, webhookId: string, job: { payload: Record<string, unknown>; attempts: number }, event: string,
  status: 'retrying' | 'delivered' | 'dead', error: string | null, code: number | null): Promise<void> {
  const body = job.payload.body;
  const ticket = typeof body === 'object' && body !== null && 'ticket_id' in body && typeof body.ticket_id === 'string' ? body.ticket_id : null;
  await ctx.db.query(
    `INSERT INTO webhook_deliveries (id, webhook_id, event, ticket_id, payload, status, attempts, last_error, response_code, created_at, updated_at)
     SELECT $1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $10 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $2)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
       response_code = EXCLUDED.response_code, updated_at = EXCLUDED.updated_at`,
    [String(job.payload.delivery_id), webhookId, event, ticket, JSON.stringify(body ?? {}), status, job.attempts, error, code, ctx.now()]);
}

export type WebhookTarget = { url: string; secret: string };

/** The active webhooks among `ids` (a worker reads those of a whole claimed batch at once). */
export async function activeWebhooks(ctx: AppContext, ids: readonly string[]): Promise<Map<string, WebhookTarget>> {
  const rows = await ctx.db.query<{ id: string; url: string; secret: string }>('SELECT id, url, secret FROM webhooks WHERE id = ANY($1::uuid[]) AND active', [ids]);
  return new Map(rows.map((r) => [r.id, { url: r.url, secret: r.secret }]));
}
