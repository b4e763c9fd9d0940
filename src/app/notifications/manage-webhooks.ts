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
  /**
   * Event names: the lifecycle ones (ticket.created, …) and staff events (e.g. "sla.breach"). Empty = every
   * staff event (as before lifecycle events existed); lifecycle events are sent only when named.
   */
  events: z.array(z.string().trim().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must look like "sla.breach"')).max(50).default([]),
  active: z.boolean().default(true),
}).strict();

export const webhookPatch = z.object({
  url: z.string().trim().min(1).max(2000).optional(),
  events: webhookInput.shape.events.unwrap().optional(),
  active: z.boolean().optional(),
}).strict();

export type WebhookView = { id: string; url: string; events: string[]; active: boolean; created_at: Date };
const VIEW = 'id, url, events, active, created_at';

/** Admins register a receiver; the signing secret is shown once, in this answer. */
export async function createWebhook(ctx: AppContext, actor: Principal, raw: unknown): Promise<WebhookView & { secret: string }> {
  requireStaff(actor, ADMIN);
  const input = parseInput(webhookInput, raw);
  checkPublicUrl(input.url, 'url', ctx.settings.allowPrivateUrls ?? false);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<WebhookView>(
      // Lifecycle events written from now on (since_seq), never the history before it.
      `INSERT INTO webhooks (url, secret, events, active, created_at, since_seq)
       VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(max(seq), 0) FROM ticket_events)) RETURNING ${VIEW}`,
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

/** Changes a receiver's address, its subscriptions or whether it is on; the secret stays. */
export async function updateWebhook(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<WebhookView> {
  requireStaff(actor, ADMIN);
  const input = parseInput(webhookPatch, raw);
  if (input.url !== undefined) checkPublicUrl(input.url, 'url', ctx.settings.allowPrivateUrls ?? false);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<WebhookView>(`SELECT ${VIEW} FROM webhooks WHERE id = $1 FOR UPDATE`, [id]);
    if (!before) throw notFound('webhook');
    const [after] = await tx.query<WebhookView>(
      `UPDATE webhooks SET url = COALESCE($2, url), events = COALESCE($3::text[], events), active = COALESCE($4, active) WHERE id = $1 RETURNING ${VIEW}`,
      [id, input.url ?? null, input.events ?? null, input.active ?? null]);
    if (!after) throw notFound('webhook');
    await recordAudit(tx, actor, { action: 'update', target: 'webhook', targetId: id, before, after }, ctx.now());
    return after;
  });
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
  if (!/^\d{1,18}$/.test(id)) throw notFound('dead letter');
  await ctx.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; delivery_id: string | null }>(
      `UPDATE outbox SET failed_at = NULL, done_at = NULL, attempts = 0, run_at = $2, locked_until = NULL
       WHERE id = $1 AND kind = 'webhook.deliver' AND failed_at IS NOT NULL RETURNING id::text AS id, payload->>'delivery_id' AS delivery_id`, [id, ctx.now()]);
    if (!rows.length) throw notFound('dead letter');
    await tx.query("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, updated_at = $2 WHERE id::text = $1", [rows[0]?.delivery_id ?? '', ctx.now()]);
    await recordAudit(tx, actor, { action: 'retry', target: 'webhook_delivery', targetId: rows[0]?.delivery_id ?? id, after: { outbox_id: id } }, ctx.now());
  });
}

export const deliveriesQuery = z.object({
  status: z.enum(['pending', 'retrying', 'delivered', 'dead']).optional(),
  webhook_id: z.string().uuid('must be a UUID').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();

export type DeliveryView = {
  id: string; webhook_id: string; event: string; ticket_id: string | null; status: string; attempts: number;
  last_error: string | null; response_code: number | null; created_at: Date; updated_at: Date; payload: unknown;
};

/** The delivery log, newest first: every delivery's status, attempts, last error and the receiver's response code. */
export async function listDeliveries(ctx: AppContext, actor: Principal, raw: unknown): Promise<DeliveryView[]> {
  requireStaff(actor, ADMIN);
  const q = parseInput(deliveriesQuery, raw);
  return ctx.db.query<DeliveryView>(
    `SELECT id, webhook_id, event, ticket_id, status, attempts, last_error, response_code, created_at, updated_at, payload
     FROM webhook_deliveries WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR webhook_id = $2)
     ORDER BY created_at DESC, id LIMIT $3`, [q.status ?? null, q.webhook_id ?? null, q.limit]);
}

/**
 * Sends a delivery again (a dead letter, or one the receiver lost): the same delivery id and body, a
 * fresh set of attempts, signed anew. Its dead outbox row, if it has one, is no longer listed as dead.
 */
export async function resendDelivery(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireStaff(actor, ADMIN);
  if (!z.string().uuid().safeParse(id).success) throw notFound('delivery');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; webhook_id: string; status: string; payload: unknown }>(
      `UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, last_error = NULL, response_code = NULL, updated_at = $2
       FROM webhook_deliveries old WHERE old.id = d.id AND d.id = $1 RETURNING d.id, d.webhook_id, old.status, d.payload`, [id, now]);
    if (!row) throw notFound('delivery');
    await tx.query("UPDATE outbox SET failed_at = NULL WHERE kind = 'webhook.deliver' AND failed_at IS NOT NULL AND payload->>'delivery_id' = $1", [id]);
    await tx.query("INSERT INTO outbox (kind, payload, created_at, run_at) VALUES ('webhook.deliver', $1::jsonb, $2, $2)",
      [JSON.stringify({ webhook_id: row.webhook_id, delivery_id: row.id, body: row.payload }), now]);
    await recordAudit(tx, actor, { action: 'resend', target: 'webhook_delivery', targetId: id, before: { status: row.status }, after: { status: 'pending' } }, now);
  });
}
