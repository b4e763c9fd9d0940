import { signBody } from '../../core/channels/signature.ts';
import type { AppContext } from '../context.ts';
import { postToPublicUrl } from '../shared/fetch-public-url.ts';

const TIMEOUT_MS = 10_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the shared secret and rejects old timestamps. */
export const signWebhook = signBody;

/**
 * The `webhook.deliver` job: one signed POST. Anything but a 2xx throws, so the outbox retries with
 * exponential backoff and finally files it as a dead letter. A webhook deleted or switched off
 * meanwhile is not called.
 */
export async function deliverWebhook(ctx: AppContext, job: { payload: Record<string, unknown>; attempts: number }, hooks?: ReadonlyMap<string, WebhookTarget>): Promise<void> {
  const id = String(job.payload.webhook_id);
  const hook = hooks ? hooks.get(id) : (await activeWebhooks(ctx, [id])).get(id);
  if (!hook) return;
  const body = JSON.stringify(job.payload.body);
  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  const status = await postToPublicUrl(hook.url, body, {
    'x-replyby-signature': signWebhook(hook.secret, timestamp, body),
    'x-replyby-delivery': String(job.payload.delivery_id),
    'x-replyby-event': typeof job.payload.body === 'object' && job.payload.body !== null && 'event' in job.payload.body ? String(job.payload.body.event) : '',
    'x-replyby-attempt': String(job.attempts),
  }, { allowPrivate: ctx.settings.allowPrivateUrls ?? false, timeoutMs: TIMEOUT_MS });
  if (status < 200 || status > 299) throw new Error(`the receiver answered ${status}`);
}

export type WebhookTarget = { url: string; secret: string };

/** The active webhooks among `ids` (a worker reads those of a whole claimed batch at once). */
export async function activeWebhooks(ctx: AppContext, ids: readonly string[]): Promise<Map<string, WebhookTarget>> {
  const rows = await ctx.db.query<{ id: string; url: string; secret: string }>('SELECT id, url, secret FROM webhooks WHERE id = ANY($1::uuid[]) AND active', [ids]);
  return new Map(rows.map((r) => [r.id, { url: r.url, secret: r.secret }]));
}
