import type { AppContext, OutgoingMail } from '../context.ts';
import { formatPromiseTime } from '../../core/email/templates.ts';
import { issueClosureLink } from './confirm-closure.ts';
import { loadLifecycleSettings } from './lifecycle-settings.ts';

// Customer texts for the promise's own mails, in the four languages; the e-mail engineer's template
// store may absorb them. `{ref}`, `{name}`, `{when}`, `{message}`, `{url}` are filled in below.
export const PROMISE_MAIL_TEXTS = {
  promise_changed: {
    en: { subject: '[{ref}] New estimate: {when}', body: 'Hello {name},\n\nWe need more time for your request {ref}. Our new estimate is {when}.{message}\n\nFollow it at {url}' },
    ru: { subject: '[{ref}] Новый срок: {when}', body: 'Здравствуйте, {name}!\n\nНам нужно больше времени для вашего запроса {ref}. Новый срок ответа: {when}.{message}\n\nСледить за запросом: {url}' },
    zh: { subject: '[{ref}] 新的预计时间：{when}', body: '{name}，您好：\n\n我们需要更多时间处理您的请求 {ref}。新的预计答复时间为 {when}。{message}\n\n查看请求：{url}' },
    bg: { subject: '[{ref}] Нов срок: {when}', body: 'Здравейте, {name},\n\nИмаме нужда от повече време за вашата заявка {ref}. Новият срок за отговор е {when}.{message}\n\nСледете я на {url}' },
  },
  // Progress notices (each can be switched off in the lifecycle settings).
  work_started: {
    en: { subject: '[{ref}] We are working on your request', body: 'Hello {name},\n\n{agent} has started working on your request {ref} ("{subject}"). We will write as soon as we know more.\n\nFollow it at {url}' },
    ru: { subject: '[{ref}] Мы работаем над вашим запросом', body: 'Здравствуйте, {name}!\n\n{agent} начал(а) работу над вашим запросом {ref} («{subject}»). Мы напишем, как только узнаем больше.\n\nСледить за запросом: {url}' },
    zh: { subject: '[{ref}] 我们正在处理您的请求', body: '{name}，您好：\n\n{agent} 已开始处理您的请求 {ref}（“{subject}”）。一有进展我们会立即告诉您。\n\n查看请求：{url}' },
    bg: { subject: '[{ref}] Работим по вашата заявка', body: 'Здравейте, {name},\n\n{agent} започна работа по вашата заявка {ref} („{subject}“). Ще ви пишем веднага щом научим повече.\n\nСледете я на {url}' },
  },
  waiting_on_you: {
    en: { subject: '[{ref}] We are waiting for your answer', body: 'Hello {name},\n\nYour request {ref} ("{subject}") is waiting for information from you. Please reply to this e-mail or at {url} so we can continue.' },
    ru: { subject: '[{ref}] Мы ждём вашего ответа', body: 'Здравствуйте, {name}!\n\nВаш запрос {ref} («{subject}») ждёт информации от вас. Ответьте на это письмо или на странице {url}, чтобы мы могли продолжить.' },
    zh: { subject: '[{ref}] 我们在等待您的回复', body: '{name}，您好：\n\n您的请求 {ref}（“{subject}”）正在等待您提供信息。请回复此邮件或访问 {url}，以便我们继续处理。' },
    bg: { subject: '[{ref}] Очакваме вашия отговор', body: 'Здравейте, {name},\n\nВашата заявка {ref} („{subject}“) очаква информация от вас. Отговорете на това писмо или на {url}, за да продължим.' },
  },
  closure_request: {
    en: { subject: '[{ref}] Is your problem solved?', body: 'Hello {name},\n\nWe believe your request {ref} ("{subject}") is solved. Please tell us with one click:\n\nSolved: {solved}\nNot solved: {not_solved}\n\nIf we do not hear from you, the request closes on {when}.' },
    ru: { subject: '[{ref}] Ваша проблема решена?', body: 'Здравствуйте, {name}!\n\nМы считаем, что ваш запрос {ref} («{subject}») решён. Сообщите нам одним щелчком:\n\nРешено: {solved}\nНе решено: {not_solved}\n\nЕсли мы не получим ответа, запрос будет закрыт {when}.' },
    zh: { subject: '[{ref}] 您的问题解决了吗？', body: '{name}，您好：\n\n我们认为您的请求 {ref}（“{subject}”）已经解决。请点击告诉我们：\n\n已解决：{solved}\n未解决：{not_solved}\n\n如果没有收到您的回复，该请求将于 {when} 关闭。' },
    bg: { subject: '[{ref}] Решен ли е проблемът ви?', body: 'Здравейте, {name},\n\nСмятаме, че вашата заявка {ref} („{subject}“) е решена. Кажете ни с едно щракване:\n\nРешено: {solved}\nНе е решено: {not_solved}\n\nАко не получим отговор, заявката ще бъде затворена на {when}.' },
  },
} as const;

type MailText = { subject: string; body: string };
type NoticeTexts = Record<'en' | 'ru' | 'zh' | 'bg', MailText>;

type Language = keyof (typeof PROMISE_MAIL_TEXTS)['promise_changed'];
const LANGUAGES: readonly Language[] = ['en', 'ru', 'zh', 'bg'];
export const mailLanguage = (l: string): Language => LANGUAGES.find((x) => l.toLowerCase().startsWith(x)) ?? 'en';

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/** The "we need more time; new estimate …" mail, rendered from the ticket's CURRENT promise at send time. */
export async function renderPromiseMail(ctx: AppContext, job: { kind: string; payload: Record<string, unknown> }): Promise<OutgoingMail | null> {
  if (job.kind === 'mail.promise_work_started' || job.kind === 'mail.promise_waiting_on_you' || job.kind === 'mail.promise_closure_request') return renderNoticeMail(ctx, job);
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

/**
 * A progress notice or the "is it solved?" question, from the ticket's state at send time: a notice
 * that no longer fits (the ticket moved on before the mail left) is not sent. The closure links are
 * minted here, so no usable token rests in the outbox.
 */
async function renderNoticeMail(ctx: AppContext, job: { kind: string; payload: Record<string, unknown> }): Promise<OutgoingMail | null> {
  const [t] = await ctx.db.query<{ id: string; number: number; subject: string; status: string; solved_at: Date | null; requester_id: string; email: string; name: string; time_zone: string; language: string; agent: string | null }>(
    `SELECT t.id, t.number, t.subject, t.status, t.solved_at, t.requester_id, c.email, c.name, c.time_zone, c.language, u.name AS agent
     FROM tickets t JOIN contacts c ON c.id = t.requester_id LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = $1`, [job.payload.ticket_id]);
  if (!t) return null;
  const language = mailLanguage(t.language);
  const base = ctx.settings.publicUrl;
  const values: Record<string, string> = {
    ref: `${ctx.settings.ticketPrefix}${t.number}`, name: t.name, subject: t.subject, url: `${base}/portal/tickets/${t.number}`,
    agent: t.agent ?? ({ en: 'Our team', ru: 'Наша команда', zh: '我们的团队', bg: 'Нашият екип' } as const)[language],
  };
  let texts: NoticeTexts;
  if (job.kind === 'mail.promise_closure_request') {
    if (t.status !== 'solved' || !t.solved_at) return null;
    const settings = await loadLifecycleSettings(ctx.db);
    const token = await issueClosureLink(ctx.db, t.id, t.requester_id, ctx.now(), settings.closure_link_days);
    values.solved = `${base}/portal/confirm/${token}?answer=solved`;
    values.not_solved = `${base}/portal/confirm/${token}?answer=not_solved`;
    values.when = formatPromiseTime(new Date(t.solved_at.getTime() + settings.solved_close_after_hours * 3_600_000), t.time_zone, language);
    texts = PROMISE_MAIL_TEXTS.closure_request;
  } else if (job.kind === 'mail.promise_waiting_on_you') {
    if (t.status !== 'pending') return null;
    texts = PROMISE_MAIL_TEXTS.waiting_on_you;
  } else {
    if (t.status === 'solved' || t.status === 'closed') return null;
    texts = PROMISE_MAIL_TEXTS.work_started;
  }
  const text = texts[language];
  return { to: t.email, subject: fill(text.subject, values), text: fill(text.body, values) };
}
