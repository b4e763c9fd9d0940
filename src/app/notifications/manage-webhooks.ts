import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { checkPublicUrl } from '../shared/fetch-public-url.ts';
import { parseInput } from '../shared/parse-input.ts';
import { recordAudit } from '../shared/audit.ts';

const ADMIN = ['admin'] as const;

export const webhookInput = z.object({
  url: z.string().trim().min(1).max(2000),
  /** Event names (e.g. "sla.breach"); empty = every event. */
  events: z.array(z.string().trim().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must look like "sla.breach"')).max(50).default([]),
  active: z.boolean().default(true),
}).strict();

export type WebhookView = { id: string; url: string; events: string[]; active: boolean; created_at: Date };

/** Admins register a receiver; the signing secret is shown once, in this answer. */
export async function createWebhook(ctx: AppContext, actor: Principal, raw: unknown): Promise<WebhookView & { secret: string }> {
  requireStaff(actor, ADMIN);
  const input = parseInput(webhookInput, raw);
  checkPublicUrl(input.url, 'url', ctx.settings.allowPrivateUrls ?? false);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<WebhookView>(
      'INSERT INTO webhooks (url, secret, events, active, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id, url, events, active, created_at',
      [input.url, secret, input.events, input.active, ctx.now()]);
    if (!row) throw new Error('webhook insert returned nothing');
    await recordAudit(tx, actor, { action: 'create', target: 'webhook', targetId: row.id, after: row }, ctx.now());
    return { ...row, secret };
  });
}

export async function listWebhooks(ctx: AppContext, actor: Principal): Promise<WebhookView[]> {
  requireStaff(actor, ADMIN);
  return ctx.db.query<WebhookView>('SELECT id, url, events, active, created_at FROM webhooks ORDER BY created_at, id');
}

export async function deleteWebhook(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireStaff(actor, ADMIN);
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.query('DELETE FROM webhooks WHERE id = $1 RETURNING id, url, events, active, created_at', [id]);
    if (!gone) throw notFound('webhook');
    await recordAudit(tx, actor, { action: 'delete', target: 'webhook', targetId: id, before: gone }, ctx.now());
  });
}

export type DeadLetter = { id: string; webhook_id: string | null; event: string | null; attempts: number; last_error: string | null; failed_at: Date; payload: unknown };

/** Deliveries that failed for good, newest first. */
export async function listDeadLetters(ctx: AppContext, actor: Principal): Promise<DeadLetter[]> {
  requireStaff(actor, ADMIN);
  return ctx.db.query<DeadLetter>(
    `SELECT id::text AS id, payload->>'webhook_id' AS webhook_id, payload->'body'->>'event' AS event, attempts, last_error, failed_at, payload->'body' AS payload
     FROM outbox WHERE kind = 'webhook.deliver' AND failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT 500`);
}

/** Puts a dead letter back in the outbox, with a fresh set of attempts. */
export async function retryDeadLetter(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireStaff(actor, ADMIN);
  const rows = await ctx.db.query(
    `UPDATE outbox SET failed_at = NULL, done_at = NULL, attempts = 0, run_at = $2, locked_until = NULL
     WHERE id = $1 AND kind = 'webhook.deliver' AND failed_at IS NOT NULL RETURNING id`, [id, ctx.now()]);
  if (!rows.length) throw notFound('dead letter');
}
