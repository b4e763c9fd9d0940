import { z } from 'zod';

// What the messenger channels receive, as zod schemas (the boundary), and the one shape intake works on.

/** A message from a chat, whichever channel it came through. */
export type InboundChat = {
  /** The channel's own id of this delivery (Telegram update_id, the generic message id): repeats are dropped by it. */
  deliveryId: string;
  /** The chat / conversation: one contact, one open ticket at a time. */
  conversationId: string;
  name: string;
  /** What the channel says the sender's language is (Telegram's language_code), if anything. */
  language: string | null;
  text: string;
  /** An address the person gave (the widget's pre-chat form); messengers give none. */
  email?: string | null;
};

const MAX_TEXT = 100_000;

// Telegram Bot API `Update` (https://core.telegram.org/bots/api#update): only the fields intake reads.
const telegramUser = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).default(''),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(35).optional(),
});
const telegramMessage = z.object({
  message_id: z.number().int(),
  date: z.number().int().optional(),
  chat: z.object({ id: z.number().int(), type: z.string().max(20).optional() }),
  from: telegramUser.optional(),
  text: z.string().max(MAX_TEXT).optional(),
  caption: z.string().max(MAX_TEXT).optional(),
});
export const telegramUpdate = z.object({
  update_id: z.number().int().min(0),
  message: telegramMessage.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdate>;

/** The person's name as Telegram gives it. */
function telegramName(from: z.infer<typeof telegramUser> | undefined, chatId: number): string {
  const full = [from?.first_name, from?.last_name].filter((p) => p && p.trim()).join(' ').trim();
  return full || (from?.username ? `@${from.username}` : `Telegram ${chatId}`);
}

/**
 * A Telegram update as a chat message; null for what is not one a person wrote to us (edits, a bot's
 * message, a sticker or photo without a caption, membership changes): acknowledged to Telegram, not a ticket.
 */
export function chatFromTelegram(update: TelegramUpdate): InboundChat | null {
  const m = update.message;
  if (!m || m.from?.is_bot) return null;
  const text = clean(m.text ?? m.caption ?? '');
  if (!text) return null;
  return { deliveryId: String(update.update_id), conversationId: String(m.chat.id), name: telegramName(m.from, m.chat.id), language: m.from?.language_code ?? null, text };
}

/** The generic webhook channel's message (docs/channels.md). */
export const webhookMessage = z.object({
  id: z.string().trim().min(1, 'is required').max(200),
  conversation_id: z.string().trim().min(1, 'is required').max(200),
  from: z.object({
    name: z.string().trim().max(200).optional(),
    language: z.string().trim().max(35).optional(),
  }).strict().default({}),
  text: z.string().max(MAX_TEXT).refine((s) => clean(s) !== '', 'must not be empty'),
}).strict();
export type WebhookMessage = z.infer<typeof webhookMessage>;

export function chatFromWebhook(m: WebhookMessage): InboundChat {
  return { deliveryId: m.id, conversationId: m.conversation_id, name: m.from.name || m.conversation_id, language: m.from.language ?? null, text: clean(m.text) };
}

/** NUL cannot be stored in PostgreSQL text and no person types one. */
const clean = (s: string): string => s.replace(/\u0000/g, '').trim();

const SUBJECT_CHARS = 80;

/** A ticket's subject from a chat message: its first line, cut at a word near 80 characters. */
export function subjectFromChat(text: string): string {
  const first = (text.split('\n').find((l) => l.trim()) ?? '').replace(/\s+/g, ' ').trim();
  if (first.length <= SUBJECT_CHARS) return first || '(no text)';
  const cut = first.slice(0, SUBJECT_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUBJECT_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Whether a chat's current ticket takes its next message: one conversation is one ticket until it is
 * solved (issue 20); after that — solved, closed, archived — the next message starts a new request.
 */
export function conversationContinues(ticket: { status: string; archived_at: Date | string | null } | null): boolean {
  return ticket !== null && ticket.archived_at === null && ticket.status !== 'solved' && ticket.status !== 'closed';
}
