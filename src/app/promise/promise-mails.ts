import type { AppContext, OutgoingMail } from '../context.ts';
import { formatPromiseTime } from '../../core/email/templates.ts';

// Customer texts for the promise's own mails, in the four languages; the e-mail engineer's template
// store may absorb them. `{ref}`, `{name}`, `{when}`, `{message}`, `{url}` are filled in below.
export const PROMISE_MAIL_TEXTS = {
  promise_changed: {
    en: { subject: '[{ref}] New estimate: {when}', body: 'Hello {name},\n\nWe need more time for your request {ref}. Our new estimate is {when}.{message}\n\nFollow it at {url}' },
    ru: { subject: '[{ref}] Новый срок: {when}', body: 'Здравствуйте, {name}!\n\nНам нужно больше времени для вашего запроса {ref}. Новый срок ответа: {when}.{message}\n\nСледить за запросом: {url}' },
    zh: { subject: '[{ref}] 新的预计时间：{when}', body: '{name}，您好：\n\n我们需要更多时间处理您的请求 {ref}。新的预计答复时间为 {when}。{message}\n\n查看请求：{url}' },
    bg: { subject: '[{ref}] Нов срок: {when}', body: 'Здравейте, {name},\n\nИмаме нужда от повече време за вашата заявка {ref}. Новият срок за отговор е {when}.{message}\n\nСледете я на {url}' },
  },
} as const;

type Language = keyof (typeof PROMISE_MAIL_TEXTS)['promise_changed'];
const LANGUAGES: readonly Language[] = ['en', 'ru', 'zh', 'bg'];
export const mailLanguage = (l: string): Language => LANGUAGES.find((x) => l.toLowerCase().startsWith(x)) ?? 'en';

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/** The "we need more time; new estimate …" mail, rendered from the ticket's CURRENT promise at send time. */
export async function renderPromiseMail(ctx: AppContext, job: { kind: string; payload: Record<string, unknown> }): Promise<OutgoingMail | null> {
  if (job.kind !== 'mail.promise_changed') return null;
  const [t] = await ctx.db.query<{ number: number; email: string; name: string; time_zone: string; language: string; promised_reply_at: Date | null; promise: { message?: string | null } | null }>(
    `SELECT t.number, c.email, c.name, c.time_zone, c.language, t.promised_reply_at, t.promise
     FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [job.payload.ticket_id]);
  if (!t || !t.promised_reply_at) return null;
  const language = mailLanguage(t.language);
  const text = PROMISE_MAIL_TEXTS.promise_changed[language];
  const message = t.promise?.message ? `\n\n${t.promise.message}` : '';
  const values = {
    ref: `${ctx.settings.ticketPrefix}${t.number}`, name: t.name, when: formatPromiseTime(t.promised_reply_at, t.time_zone, language),
    message, url: `${ctx.settings.publicUrl}/portal/tickets/${t.number}`,
  };
  return { to: t.email, subject: fill(text.subject, values), text: fill(text.body, values) };
}
