import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { sha256 } from '../../core/channels/signature.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { recordAudit } from '../shared/audit.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { checkPublicUrl } from '../shared/fetch-public-url.ts';
import { parseInput } from '../shared/parse-input.ts';
import { enqueue } from '../shared/outbox.ts';
import { WIDGET_DEFAULTS, widgetSettingsSchema, type WidgetSettings } from '../../core/channels/widget.ts';
import { policyMetricSchema } from '../../core/policies/policy-model.ts';
import { forgetWidget, widgetSettingsOf } from './widget-chat.ts';

const ADMIN = ['admin'] as const;

const common = { name: z.string().trim().min(1, 'is required').max(120), group_id: z.string().uuid('must be a group id').nullable().optional() };
export const createChannelInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('telegram'), ...common,
    // "123456789:AA…" as BotFather gives it.
    bot_token: z.string().trim().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a bot token as BotFather gives it (digits:letters)'),
  }).strict(),
  z.object({ kind: z.literal('webhook'), ...common, url: z.string().trim().min(1, 'is required').max(2000) }).strict(),
  z.object({ kind: z.literal('widget'), ...common, widget: widgetSettingsSchema.partial().optional() }).strict(),
], { error: 'must be "telegram", "webhook" or "widget"' });

export const updateChannelInput = z.object({
  name: common.name.optional(), active: z.boolean().optional(), group_id: common.group_id,
  /** The chat widget's settings (allowed origins, rate limits, title, colour); only for a widget channel. */
  widget: widgetSettingsSchema.partial().optional(),
}).strict();

export type ChannelView = {
  id: string; kind: 'telegram' | 'webhook' | 'widget'; name: string; active: boolean; group_id: string | null; group_name: string | null;
  /** Where the messenger sends to us (relative to the public URL). */
  inbound_path: string; outbound_url: string | null; created_at: Date; tickets: number;
  /** The chat widget's settings (kind `widget`), else null. */
  widget: WidgetSettings | null;
  /** The `<script>` tag an admin pastes into the site (kind `widget`), else null. */
  embed: string | null;
};

/** Shown once, in the answer that creates the channel; afterwards only its hash (Telegram) or nothing is shown. */
export type CreatedChannel = ChannelView & ({ secret: string; inbound_url: string; set_webhook?: { url: string; secret_token: string } } | { embed: string });

const inboundPath = (kind: string, id: string) => (kind === 'telegram' ? `/api/v1/channels/telegram/${id}/webhook` : kind === 'widget' ? `/api/v1/widget/${id}` : `/api/v1/channels/webhook/${id}/messages`);

const VIEW = `SELECT ch.id, ch.kind, ch.name, ch.active, ch.group_id, g.name AS group_name, ch.outbound_url, ch.created_at, ch.widget,
    (SELECT count(*)::int FROM channel_tickets ct JOIN channel_conversations cc ON cc.id = ct.conversation_id WHERE cc.channel_id = ch.id) AS tickets
  FROM channels ch LEFT JOIN groups g ON g.id = ch.group_id`;

type ViewRow = Omit<ChannelView, 'inbound_path' | 'widget' | 'embed'> & { widget: unknown };

async function assertGroup(tx: Queryable, groupId: string | null | undefined): Promise<void> {
  if (!groupId) return;
  const [g] = await tx.query('SELECT 1 FROM groups WHERE id = $1', [groupId]);
  if (!g) throw invalidInput('group_id', 'no such group');
}
/** The embed tag an admin pastes into a page (docs/channels.md). */
const embedTag = (publicUrl: string, id: string) => `<script src="${publicUrl}/widget.js" data-replyby-widget="${id}" async></script>`;

const present = (publicUrl: string, r: ViewRow): ChannelView => ({
  ...r, inbound_path: inboundPath(r.kind, r.id),
  widget: r.kind === 'widget' ? widgetSettingsOf(r.widget) : null, embed: r.kind === 'widget' ? embedTag(publicUrl, r.id) : null,
});

/**
 * The chat widget's SLA policy, first in order, made with the first widget channel: chats get a first-response
 * target in wall-clock minutes (the SLA engine counts minutes: the widget's seconds rounded up). An admin may
 * edit, reorder or delete it like every policy; it is not made again while a policy of that name exists.
 */
async function ensureWidgetPolicy(tx: Queryable, actor: Principal, seconds: number, now: Date): Promise<void> {
  const metrics = [policyMetricSchema.parse({ name: 'first_response', target_minutes: Math.max(1, Math.ceil(seconds / 60)), clock: 'calendar', warn_at_percent: [50] })];
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO sla_policies (name, position, active, match, conditions, calendar_id, pause_statuses, metrics, created_at, updated_at)
     VALUES ($1, (SELECT COALESCE(MIN(position), 1) - 1 FROM sla_policies), true, 'all', $2, NULL, '{pending}', $3, $4, $4)
     ON CONFLICT (name) DO NOTHING RETURNING *`,
    [WIDGET_POLICY, JSON.stringify([{ field: 'channel', op: 'in', values: ['widget'] }]), JSON.stringify(metrics), now]);
  if (!row) return;
  await recordAudit(tx, actor, { action: 'create', target: 'sla_policy', targetId: row.id, after: row }, now);
  await enqueue(tx, 'sla.recompute_open', { reason: `policy ${row.id} created with the chat widget` }, now);
}
export const WIDGET_POLICY = 'Chat widget';

/**
 * An admin connects a Telegram bot (its token) or a generic webhook messenger (its URL). The secret — the
 * one Telegram must echo, or the HMAC key — is generated here and returned once. The bot token is kept
 * for calling the Bot API and never returned.
 */
export async function createChannel(ctx: AppContext, actor: Principal, raw: unknown): Promise<CreatedChannel> {
  requireStaff(actor, ADMIN);
  const input = parseInput(createChannelInput, raw);
  if (input.kind === 'webhook') checkPublicUrl(input.url, 'url', ctx.settings.allowPrivateUrls ?? false);
  // Telegram allows A-Z a-z 0-9 _ - in secret_token (1-256 characters).
  const secret = input.kind === 'telegram' ? randomBytes(32).toString('base64url') : `chsec_${randomBytes(24).toString('base64url')}`;
  const widget = input.kind === 'widget' ? { ...WIDGET_DEFAULTS, ...input.widget } : null;
  return ctx.db.transaction(async (tx) => {
    await assertGroup(tx, input.group_id);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO channels (kind, name, group_id, bot_token, secret_sha256, signing_secret, outbound_url, created_at, widget)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [input.kind, input.name, input.group_id ?? null, input.kind === 'telegram' ? input.bot_token : null, input.kind === 'telegram' ? sha256(secret) : null,
        input.kind !== 'telegram' ? secret : null, input.kind === 'webhook' ? input.url : null, ctx.now(), widget ? JSON.stringify(widget) : null]);
    if (!row) throw new Error('channel insert returned nothing');
    const [view] = await tx.query<ViewRow>(`${VIEW} WHERE ch.id = $1`, [row.id]);
    if (!view) throw new Error('channel vanished');
    const channel = present(ctx.settings.publicUrl, view);
    await recordAudit(tx, actor, { action: 'create', target: 'channel', targetId: channel.id, after: channel }, ctx.now());
    if (widget) {
      await ensureWidgetPolicy(tx, actor, widget.first_response_seconds, ctx.now());
      // The widget's key signs visitor tokens only: never shown.
      return { ...channel, embed: embedTag(ctx.settings.publicUrl, channel.id) };
    }
    const inbound = `${ctx.settings.publicUrl}${channel.inbound_path}`;
    return { ...channel, secret, inbound_url: inbound, ...(input.kind === 'telegram' ? { set_webhook: { url: inbound, secret_token: secret } } : {}) };
  });
}

export async function listChannels(ctx: AppContext, actor: Principal): Promise<ChannelView[]> {
  requireStaff(actor, ADMIN);
  return (await ctx.db.query<ViewRow>(`${VIEW} ORDER BY ch.created_at, ch.id`)).map((r) => present(ctx.settings.publicUrl, r));
}

/** Rename, move to another group, or switch off (a disabled channel's inbound calls are refused; queued sends are dropped). */
export async function updateChannel(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<ChannelView> {
  requireStaff(actor, ADMIN);
  const input = parseInput(updateChannelInput, raw);
  const out = await ctx.db.transaction(async (tx) => {
    await assertGroup(tx, input.group_id);
    const [before] = await tx.query<ViewRow>(`${VIEW} WHERE ch.id = $1 FOR UPDATE OF ch`, [id]);
    if (!before) throw notFound('channel');
    if (input.widget && before.kind !== 'widget') throw invalidInput('widget', 'only a widget channel has widget settings');
    const widget = input.widget ? { ...widgetSettingsOf(before.widget), ...input.widget } : null;
    const updated = await tx.query(
      `UPDATE channels SET name = COALESCE($2, name), active = COALESCE($3, active), group_id = CASE WHEN $4 THEN $5::uuid ELSE group_id END,
         widget = COALESCE($6::jsonb, widget)
       WHERE id = $1 RETURNING id`, [id, input.name ?? null, input.active ?? null, input.group_id !== undefined, input.group_id ?? null, widget ? JSON.stringify(widget) : null]);
    if (!updated.length) throw notFound('channel');
    forgetWidget(ctx, id);
    const [view] = await tx.query<ViewRow>(`${VIEW} WHERE ch.id = $1`, [id]);
    if (!view) throw notFound('channel');
    const after = present(ctx.settings.publicUrl, view);
    await recordAudit(tx, actor, { action: 'update', target: 'channel', targetId: id, before: present(ctx.settings.publicUrl, before), after }, ctx.now());
    return after;
  });
  // Again after the commit: a widget call between the first drop and the commit may have cached the old row.
  forgetWidget(ctx, id);
  return out;
}
