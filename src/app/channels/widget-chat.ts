import { randomBytes } from 'node:crypto';
import { conversationContinues, type InboundChat } from '../../core/channels/inbound-message.ts';
import {
  WIDGET_DEFAULTS, signVisitorToken, verifyVisitorToken, widgetMessageInput, widgetSettingsSchema, widgetStartInput, widgetTranscript, widgetTranscriptInput, widgetTypingInput,
  type WidgetSettings,
} from '../../core/channels/widget.ts';
import { DomainError, invalidInput, notFound } from '../../core/errors.ts';
import { predictWorkMinutes } from '../../core/promise/compute-promise.ts';
import type { AppContext } from '../context.ts';
import { contactPrincipal } from '../email/receive-mail.ts';
import { isCustomerLanguage } from '../../core/email/language.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import { groupStats } from '../promise/queue-load.ts';
import { enqueue } from '../shared/outbox.ts';
import { addMessageInTx } from '../tickets/add-message.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadChannel, type ChannelRow } from './channel-row.ts';
import { receiveChatMessage, type ChatOutcome } from './receive-chat-message.ts';
import { appendWidgetMessage, widgetMessagesAfter, type WidgetMessage } from './widget-log.ts';
import type { Queryable } from '../../store/db.ts';
import type { CustomerPrincipal } from '../../core/auth/principal.ts';

// The chat widget's use cases (docs/channels.md, "Chat widget"): what the embedding page asks before the
// visitor writes, the pre-chat form, the visitor's messages, typing and the transcript. Each takes the
// widget channel already checked for its Origin by the route.

export type WidgetChannel = ChannelRow & { kind: 'widget'; signing_secret: string; settings: WidgetSettings };

/** Stored settings over the defaults (a document written by an older version lacks newer fields). */
export function widgetSettingsOf(raw: unknown): WidgetSettings {
  const merged = { ...WIDGET_DEFAULTS, ...(raw && typeof raw === 'object' ? raw : {}) };
  const parsed = widgetSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...WIDGET_DEFAULTS };
}

// Every widget call reads its channel: kept per process for a few seconds (an admin's change in this process
// drops it at once; another process sees it within CACHE_MS).
const CACHE_MS = 5_000;
const cache = new WeakMap<object, Map<string, { at: number; channel: WidgetChannel | null }>>();

export function forgetWidget(ctx: AppContext, channelId: string): void {
  cache.get(ctx.db.cacheScope)?.delete(channelId);
}

/** The widget channel (active or not), or 404. */
export async function loadWidget(ctx: AppContext, channelId: string): Promise<WidgetChannel> {
  let byId = cache.get(ctx.db.cacheScope);
  if (!byId) cache.set(ctx.db.cacheScope, (byId = new Map()));
  const now = Date.now();
  let hit = byId.get(channelId);
  if (!hit || now - hit.at > CACHE_MS) {
    const row = await loadChannel(ctx.db, channelId);
    const channel = row && row.kind === 'widget' && row.signing_secret ? { ...row, kind: 'widget' as const, signing_secret: row.signing_secret, settings: widgetSettingsOf(row.widget) } : null;
    hit = { at: now, channel };
    if (byId.size > 1000) byId.clear();
    byId.set(channelId, hit);
  }
  if (!hit.channel) throw notFound('widget');
  return hit.channel;
}

export type WidgetStatus = {
  title: string; color: string;
  /** Someone is on duty for the widget's group now (app/planning/on-duty.ts via the group's agents on shift). */
  online: boolean;
  /** Chats waiting for a first reply in the group. */
  ahead: number;
  /** The live prediction of the wait, or the first-response target when the queue is empty; null when nobody is on duty. */
  wait_seconds: number | null;
  first_response_seconds: number;
};

/** What the widget shows before the visitor writes: on duty or not, and the expected wait. */
export async function widgetStatus(ctx: AppContext, w: WidgetChannel): Promise<WidgetStatus> {
  const now = ctx.now();
  const stats = await groupStats(ctx.db, w.group_id, now);
  const [row] = await ctx.db.query<{ ahead: number }>(
    `SELECT count(*)::int AS ahead FROM tickets t WHERE t.channel = 'widget' AND t.status IN ('new', 'open') AND t.first_responded_at IS NULL
       AND t.merged_into_id IS NULL AND t.group_id IS NOT DISTINCT FROM $1`, [w.group_id]);
  const ahead = row?.ahead ?? 0;
  const online = stats.agents > 0;
  const predicted = predictWorkMinutes({ ahead, recentHandleMinutes: stats.handle, agentsOnShift: stats.agents });
  const target = w.settings.first_response_seconds;
  return {
    title: w.settings.title, color: w.settings.color, online, ahead,
    wait_seconds: online ? Math.max(target, (predicted ?? 0) * 60) : null,
    first_response_seconds: target,
  };
}

export type WidgetSession = { token: string; status: ChatOutcome['status']; ticket_number: number | null; online: boolean };

/** The pre-chat form: a new conversation, its first message (a ticket with the acknowledgement), the visitor's token. */
export async function startWidgetChat(ctx: AppContext, w: WidgetChannel, raw: unknown): Promise<WidgetSession> {
  if (!w.active) throw new DomainError('forbidden', 'this chat is switched off');
  const input = parseInput(widgetStartInput, raw);
  const conversation = randomBytes(18).toString('base64url');
  const { online } = await widgetStatus(ctx, w);
  const language = input.language?.slice(0, 2).toLowerCase();
  const chat: InboundChat = {
    deliveryId: `start-${conversation}`, conversationId: conversation, name: input.name,
    language: language && isCustomerLanguage(language) ? language : null, text: input.message, email: input.email ?? null,
  };
  const outcome = await receiveChatMessage(ctx, w, chat, chat.deliveryId, {
    // Nobody on duty: the customer may leave; the promise also goes by e-mail when they gave an address.
    acknowledgeByMail: !online && input.email !== undefined,
    after: async (tx, result, conversationId) => {
      await appendWidgetMessage(tx, conversationId, { author: 'visitor', authorName: input.name, body: input.message, ticketId: result.ticket_id, sourceId: `start-${conversation}` }, ctx.now());
    },
  });
  return { token: signVisitorToken(w.signing_secret, w.id, conversation), status: outcome.status, ticket_number: outcome.ticket_number, online };
}

type Visit = { id: string; contact_id: string; ticket_id: string | null };

/** The conversation the visitor's token names (401 when it was not signed for this widget). */
export async function visitOf(ctx: AppContext, w: WidgetChannel, token: string | undefined): Promise<Visit & { external_id: string }> {
  const external = verifyVisitorToken(w.signing_secret, w.id, token);
  if (!external) throw new DomainError('unauthenticated', 'the visitor token is missing or was not issued by this widget');
  const [visit] = await ctx.db.query<Visit>('SELECT id, contact_id, ticket_id FROM channel_conversations WHERE channel_id = $1 AND external_id = $2', [w.id, external]);
  if (!visit) throw new DomainError('unauthenticated', 'the conversation of this visitor token no longer exists');
  return { ...visit, external_id: external };
}

/** A visitor's message: appended to the chat's open ticket (or a new one once it is solved); a repeated client_id counts once. */
export async function sendWidgetMessage(ctx: AppContext, w: WidgetChannel, token: string | undefined, raw: unknown): Promise<ChatOutcome & { seq: number | null }> {
  const external = verifyVisitorToken(w.signing_secret, w.id, token);
  if (!external) throw new DomainError('unauthenticated', 'the visitor token is missing or was not issued by this widget');
  if (!w.active) throw new DomainError('forbidden', 'this chat is switched off');
  const input = parseInput(widgetMessageInput, raw);
  const appended = await appendToOpenChat(ctx, w, external, input);
  if (appended) return appended;
  // The chat's ticket no longer takes messages (solved, closed, archived): messenger intake opens a new request.
  const visit = await visitOf(ctx, w, token);
  let seq: number | null = null;
  const chat: InboundChat = { deliveryId: `msg-${visit.external_id}-${input.client_id}`, conversationId: visit.external_id, name: '', language: null, text: input.text };
  const outcome = await receiveChatMessage(ctx, w, chat, chat.deliveryId, {
    after: async (tx, result, conversationId) => {
      seq = await appendWidgetMessage(tx, conversationId, { author: 'visitor', authorName: null, body: input.text, ticketId: result.ticket_id, sourceId: input.client_id }, ctx.now());
    },
  });
  return { ...outcome, seq };
}

type OpenChatItem = { ctx: AppContext; w: WidgetChannel; external: string; input: { client_id: string; text: string } };
type OpenChatResult = (ChatOutcome & { seq: number | null }) | null;

/**
 * The common case, a message in a chat whose ticket is still open, with less than full messenger intake, in one
 * transaction: the conversation, its ticket and its contact read and locked in one statement, the repeat check done by the widget log's own (conversation, client id) key instead of a
 * delivery row written and updated, the log row and its NOTIFY in one statement, then the message on the ticket
 * as every customer reply is (its event, SLA clocks and triggers). Null when the ticket does not take it
 * (full intake then).
 */
async function appendToOpenChat(ctx: AppContext, w: WidgetChannel, external: string, input: { client_id: string; text: string }): Promise<OpenChatResult> {
  return ctx.db.transaction((tx) => appendInTx(tx, { ctx, w, external, input }));
}

async function appendInTx(tx: Queryable, { ctx, w, external, input }: OpenChatItem): Promise<OpenChatResult> {
  // Conversation before ticket, as messenger intake locks them (no deadlock between the two paths).
  const [chat] = await tx.query<{ id: string; ticket_id: string; number: number; status: string; archived_at: Date | null } & ContactRow>(
    `SELECT cc.id, cc.ticket_id, t.number, t.status, t.archived_at,
        c.id AS contact_id, c.email, c.name, c.language, c.time_zone, c.organization_id, c.is_org_manager
       FROM channel_conversations cc JOIN tickets t ON t.id = cc.ticket_id JOIN contacts c ON c.id = cc.contact_id
      WHERE cc.channel_id = $1 AND cc.external_id = $2 FOR UPDATE OF cc, t`, [w.id, external]);
  if (!chat) return null;
  if (!conversationContinues(chat)) {
    // A repeat of a message this chat already has must not open a new request.
    const [seen] = await tx.query('SELECT 1 FROM widget_messages WHERE conversation_id = $1 AND source_id = $2', [chat.id, input.client_id]);
    return seen ? { status: 'duplicate', ticket_id: null, ticket_number: null, seq: null } : null;
  }
  const seq = await appendWidgetMessage(tx, chat.id, { author: 'visitor', authorName: null, body: input.text, ticketId: chat.ticket_id, sourceId: input.client_id }, ctx.now(), { locked: true });
  if (seq === null) return { status: 'duplicate', ticket_id: null, ticket_number: null, seq: null };
  await addMessageInTx(ctx, tx, principalOfContact(chat), chat.ticket_id, { body: input.text, kind: 'public' });
  return { status: 'appended', ticket_id: chat.ticket_id, ticket_number: chat.number, seq };
}

type ContactRow = { contact_id: string; email: string | null; name: string; language: string; time_zone: string; organization_id: string | null; is_org_manager: boolean };

/** The contact as the actor of its message (the same principal `contactPrincipal` reads, from the row already read). */
function principalOfContact(c: ContactRow): CustomerPrincipal {
  return { kind: 'contact', id: c.contact_id, email: c.email ?? '', name: c.name, role: 'customer', language: c.language, time_zone: c.time_zone, organizationId: c.organization_id, isOrgManager: c.is_org_manager };
}

/** The conversation after the cursor (the stream's catch-up, and polling clients). */
export async function widgetMessages(ctx: AppContext, w: WidgetChannel, token: string | undefined, after: number): Promise<{ conversation_id: string; contact_id: string; data: WidgetMessage[] }> {
  const visit = await visitOf(ctx, w, token);
  return { conversation_id: visit.id, contact_id: visit.contact_id, data: await widgetMessagesAfter(ctx.db, visit.id, after) };
}

/** The visitor is typing (or stopped): the agents on the ticket see it as presence. */
export async function widgetTyping(ctx: AppContext, feed: LiveFeed, w: WidgetChannel, token: string | undefined, raw: unknown): Promise<void> {
  const visit = await visitOf(ctx, w, token);
  const input = parseInput(widgetTypingInput, raw);
  if (!visit.ticket_id) return;
  const [ticket] = await ctx.db.query<{ id: string; number: number; requester_id: string; organization_id: string | null; group_id: string | null; assignee_id: string | null }>(
    'SELECT id, number, requester_id, organization_id, group_id, assignee_id FROM tickets WHERE id = $1', [visit.ticket_id]);
  if (!ticket) return;
  const who = await contactPrincipal(ctx.db, visit.contact_id);
  feed.setPresence(who, ticket, input.typing ? 'typing' : null, ctx.now().getTime());
}

/** The whole conversation by e-mail, to the address given or the contact's; in the contact's language. */
export async function requestWidgetTranscript(ctx: AppContext, w: WidgetChannel, token: string | undefined, raw: unknown): Promise<{ to: string }> {
  const visit = await visitOf(ctx, w, token);
  const input = parseInput(widgetTranscriptInput, raw);
  return ctx.db.transaction(async (tx) => {
    const who = await contactPrincipal(tx, visit.contact_id);
    const to = input.email ?? who.email;
    if (!to) throw invalidInput('email', 'is required: no address is known for this chat');
    const messages = await tx.query<WidgetMessage>('SELECT seq, author, author_name, body, created_at FROM widget_messages WHERE conversation_id = $1 ORDER BY seq', [visit.id]);
    const mail = widgetTranscript(isCustomerLanguage(who.language) ? who.language : 'en', messages);
    await enqueue(tx, 'mail.widget_transcript', { to, subject: mail.subject, text: mail.text }, ctx.now());
    return { to };
  });
}
