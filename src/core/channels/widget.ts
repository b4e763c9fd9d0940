import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// The chat widget, pure (issue 20 item 1): its settings, the visitor's signed token and the Origin check.
// The widget is a messenger channel whose "chat" is a browser session.

/** An origin as a browser sends it: scheme, host and port, nothing else (`https://shop.example.com`). */
export function normalizeOrigin(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
  return url.origin;
}

const origin = z.string().trim().max(300).transform((s, c) => {
  const o = normalizeOrigin(s);
  if (!o || !/^https?:\/\/[^/]+$/.test(s.replace(/\/$/, ''))) {
    c.addIssue({ code: 'custom', message: 'must be an origin: scheme, host and port only (https://shop.example.com)' });
    return z.NEVER;
  }
  return o;
});

export const WIDGET_DEFAULTS = {
  allowed_origins: [] as string[],
  title: 'Chat with us',
  color: '#1d4ed8',
  per_ip_per_minute: 60,
  per_visitor_per_minute: 30,
  first_response_seconds: 60,
};

/** The widget's settings as an admin sets them (every field optional on a change). */
export const widgetSettingsSchema = z.object({
  allowed_origins: z.array(origin).max(50),
  title: z.string().trim().min(1, 'is required').max(60),
  color: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb'),
  per_ip_per_minute: z.number().int('must be a whole number').min(1).max(100_000),
  per_visitor_per_minute: z.number().int('must be a whole number').min(1).max(10_000),
  /** The chat's first-response target, shown to visitors and set on the widget SLA policy (rounded up to whole minutes there). */
  first_response_seconds: z.number().int('must be a whole number of seconds').min(10).max(3600),
}).strict();
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** Whether a request's Origin header is one the admin allowed. A missing Origin is refused too: browsers always send it cross-origin. */
export function originAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (!header) return false;
  const o = normalizeOrigin(header);
  return o !== null && allowed.includes(o);
}

const TOKEN_PREFIX = 'wv1';

/** The visitor's token: the channel and conversation, signed with the channel's key (kept in localStorage by the widget). */
export function signVisitorToken(key: string, channelId: string, conversation: string): string {
  return `${TOKEN_PREFIX}.${conversation}.${mac(key, channelId, conversation)}`;
}

/** The conversation a token names, or null when it was not signed with this channel's key. */
export function verifyVisitorToken(key: string, channelId: string, token: string | undefined): string | null {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return null;
  const [, conversation = '', sig = ''] = parts;
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(conversation) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  const expected = Buffer.from(mac(key, channelId, conversation), 'base64url');
  const given = Buffer.from(sig, 'base64url');
  return expected.length === given.length && timingSafeEqual(expected, given) ? conversation : null;
}

const mac = (key: string, channelId: string, conversation: string): string =>
  createHmac('sha256', key).update(`widget:${channelId}:${conversation}`).digest('base64url');

const MAX_TEXT = 10_000;
const text = z.string().max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`).transform((s) => s.replace(/\u0000/g, '').trim()).refine((s) => s !== '', 'must not be empty');

/** The pre-chat form. */
export const widgetStartInput = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.string().trim().toLowerCase().max(254).email('must be an e-mail address').optional(),
  message: text,
  language: z.string().trim().max(35).optional(),
}).strict();

/** A visitor's message: `client_id` makes a retried POST (a dropped connection) count once. */
export const widgetMessageInput = z.object({
  client_id: z.string().trim().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
  text,
}).strict();

export const widgetTypingInput = z.object({ typing: z.boolean() }).strict();
export const widgetTranscriptInput = z.object({ email: z.string().trim().toLowerCase().max(254).email('must be an e-mail address').optional() }).strict();

const TRANSCRIPT: Record<'en' | 'ru' | 'zh' | 'bg', { subject: string; intro: string; you: string; team: string }> = {
  en: { subject: 'Your chat transcript', intro: 'Here is the conversation you had with us (times in UTC).', you: 'You', team: 'Support' },
  ru: { subject: 'Запись вашего чата', intro: 'Вот ваша переписка с нами (время в UTC).', you: 'Вы', team: 'Поддержка' },
  zh: { subject: '您的聊天记录', intro: '以下是您与我们的对话（时间为 UTC）。', you: '您', team: '客服' },
  bg: { subject: 'Запис на вашия чат', intro: 'Ето разговора ви с нас (часът е в UTC).', you: 'Вие', team: 'Поддръжка' },
};

/** The transcript mail in the customer's language: each message with its UTC time and author. */
export function widgetTranscript(language: 'en' | 'ru' | 'zh' | 'bg', messages: readonly { author: string; author_name: string | null; body: string; created_at: Date }[]): { subject: string; text: string } {
  const t = TRANSCRIPT[language];
  const lines = messages.map((m) => {
    const who = m.author === 'visitor' ? t.you : m.author_name || t.team;
    return `[${m.created_at.toISOString().slice(0, 16).replace('T', ' ')}] ${who}:\n${m.body}\n`;
  });
  return { subject: t.subject, text: `${t.intro}\n\n${lines.join('\n')}` };
}
