import { DateTime } from 'luxon';
import type { CustomerLanguage } from './language.ts';
import { zoneLabel } from './mail-headers.ts';

// Customer-facing mail templates: defaults in code for every language, overridable per (key, language)
// in the mail_templates table. Placeholders are {{name}}; a section {{#name}}…{{/name}} is kept only when
// the value is not empty (e.g. "the team is back at …", knowledge-base suggestions).

// acknowledgement: every new request; pending_reminder / auto_solved: the SLA monitor's stale-request rule;
// promise_changed: "we need more time" (app/promise); work_started / waiting_on_you: progress notices;
// closure_request: "is your problem solved?" with its two one-click links (the last three can be switched off
// in the lifecycle settings).
export const TEMPLATE_KEYS = ['acknowledgement', 'pending_reminder', 'auto_solved', 'promise_changed', 'work_started', 'waiting_on_you', 'closure_request', 'agent_reply', 'sign_in_link', 'merged'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

const COMMON_PLACEHOLDERS = [
  'ticket.number', 'ticket.ref', 'ticket.subject', 'ticket.summary', 'ticket.url', 'follow.url', 'follow.days',
  'requester.name', 'requester.email', 'promise.local', 'promise.date', 'promise.time', 'promise.within', 'promise.zone', 'promise.reason', 'team.back_local', 'kb.suggestions',
] as const;
/** Placeholders only one kind of mail has a value for: refused elsewhere rather than rendered empty. */
const OWN_PLACEHOLDERS = {
  promise_changed: ['promise.message'],
  work_started: ['agent.name'],
  closure_request: ['closure.solved_url', 'closure.not_solved_url', 'closure.closes_local'],
  agent_reply: ['reply.body', 'agent.name'],
  sign_in_link: ['signin.url'],
  merged: ['merge.into_ref', 'merge.url'],
} as const satisfies Partial<Record<TemplateKey, readonly string[]>>;
export const PLACEHOLDERS = [...COMMON_PLACEHOLDERS, ...Object.values(OWN_PLACEHOLDERS).flat()] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The placeholders a template of this kind may use. */
export function placeholdersFor(key: TemplateKey): readonly Placeholder[] {
  return [...COMMON_PLACEHOLDERS, ...((OWN_PLACEHOLDERS as Partial<Record<TemplateKey, readonly Placeholder[]>>)[key] ?? [])];
}

/** Who "started working" in work_started when the ticket has no assignee. */
export const TEAM_NAME: Record<CustomerLanguage, string> = { en: 'Our team', ru: 'Наша команда', zh: '我们的团队', bg: 'Нашият екип' };
export type TemplateValues = Record<Placeholder, string>;
/** Every placeholder empty: a mail fills in the ones it has values for. */
export const blankTemplateValues = (): TemplateValues => Object.fromEntries(PLACEHOLDERS.map((p) => [p, ''])) as TemplateValues;
export type Template = { subject: string; body: string };

export const DEFAULT_TEMPLATES: Record<TemplateKey, Record<CustomerLanguage, Template>> = {
  acknowledgement: {
    en: {
      subject: '[{{ticket.ref}}] {{ticket.subject}}',
      body: `Hello {{requester.name}},

We received your request {{ticket.ref}}:
"{{ticket.summary}}"

{{#promise.local}}We will reply by {{promise.local}}{{#promise.within}} — within {{promise.within}}{{/promise.within}}.
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}Our team is away right now and back on {{team.back_local}}.
{{/team.back_local}}{{#kb.suggestions}}
These articles may already answer your question:
{{kb.suggestions}}
{{/kb.suggestions}}
Follow your request at {{follow.url}}
(The link signs you in once, for {{follow.days}} days; afterwards use {{ticket.url}}.)`,
    },
    ru: {
      subject: '[{{ticket.ref}}] {{ticket.subject}}',
      body: `Здравствуйте, {{requester.name}}!

Мы получили ваше обращение {{ticket.ref}}:
«{{ticket.summary}}»

{{#promise.local}}Мы ответим до {{promise.local}}{{#promise.within}} — в течение {{promise.within}}{{/promise.within}}.
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}Сейчас наша команда не работает и вернётся {{team.back_local}}.
{{/team.back_local}}{{#kb.suggestions}}
Возможно, ответ уже есть в этих статьях:
{{kb.suggestions}}
{{/kb.suggestions}}
Следить за обращением: {{follow.url}}
(Ссылка входит в систему один раз и действует {{follow.days}} дней; потом используйте {{ticket.url}}.)`,
    },
    bg: {
      subject: '[{{ticket.ref}}] {{ticket.subject}}',
      body: `Здравейте, {{requester.name}},

Получихме вашето запитване {{ticket.ref}}:
„{{ticket.summary}}“

{{#promise.local}}Ще отговорим до {{promise.local}}{{#promise.within}} — в рамките на {{promise.within}}{{/promise.within}}.
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}В момента екипът ни не работи и ще се върне {{team.back_local}}.
{{/team.back_local}}{{#kb.suggestions}}
Тези статии може би вече отговарят на въпроса ви:
{{kb.suggestions}}
{{/kb.suggestions}}
Следете запитването си на {{follow.url}}
(Връзката ви вписва еднократно и важи {{follow.days}} дни; след това използвайте {{ticket.url}}.)`,
    },
    zh: {
      subject: '[{{ticket.ref}}] {{ticket.subject}}',
      body: `{{requester.name}}，您好：

我们已收到您的请求 {{ticket.ref}}：
“{{ticket.summary}}”

{{#promise.local}}我们将在 {{promise.local}} 之前回复{{#promise.within}}（{{promise.within}}内）{{/promise.within}}。
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}我们的团队目前不在工作时间，将于 {{team.back_local}} 回来。
{{/team.back_local}}{{#kb.suggestions}}
以下文章可能已经解答了您的问题：
{{kb.suggestions}}
{{/kb.suggestions}}
查看您的请求：{{follow.url}}
（该链接可登录一次，有效期 {{follow.days}} 天；之后请使用 {{ticket.url}}。）`,
    },
  },
  pending_reminder: {
    en: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Hello {{requester.name}},\n\nWe are still waiting for your answer on {{ticket.ref}}. Reply to this e-mail or at {{ticket.url}} so we can continue.' },
    ru: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Здравствуйте, {{requester.name}}!\n\nМы всё ещё ждём вашего ответа по обращению {{ticket.ref}}. Ответьте на это письмо или на странице {{ticket.url}}, чтобы мы могли продолжить.' },
    bg: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Здравейте, {{requester.name}},\n\nВсе още очакваме вашия отговор по запитване {{ticket.ref}}. Отговорете на този имейл или на {{ticket.url}}, за да можем да продължим.' },
    zh: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{requester.name}}，您好：\n\n我们仍在等待您对请求 {{ticket.ref}} 的答复。请直接回复此邮件或访问 {{ticket.url}}，以便我们继续处理。' },
  },
  auto_solved: {
    en: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Hello {{requester.name}},\n\nWe have not heard back from you, so we marked {{ticket.ref}} as solved. If you still need help, just reply: the request opens again.' },
    ru: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Здравствуйте, {{requester.name}}!\n\nМы не получили от вас ответа, поэтому отметили обращение {{ticket.ref}} как решённое. Если помощь всё ещё нужна, просто ответьте на это письмо — обращение откроется снова.' },
    bg: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Здравейте, {{requester.name}},\n\nНе получихме отговор от вас, затова отбелязахме запитване {{ticket.ref}} като решено. Ако все още имате нужда от помощ, просто отговорете — запитването ще се отвори отново.' },
    zh: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{requester.name}}，您好：\n\n我们没有收到您的回复，因此已将请求 {{ticket.ref}} 标记为已解决。如果您仍需要帮助，直接回复即可，请求将重新打开。' },
  },
  promise_changed: {
    en: { subject: '[{{ticket.ref}}] New estimate: {{promise.local}}', body: 'Hello {{requester.name}},\n\nWe need more time for your request {{ticket.ref}}. Our new estimate is {{promise.local}}.{{#promise.message}}\n\n{{promise.message}}{{/promise.message}}\n\nFollow it at {{ticket.url}}' },
    ru: { subject: '[{{ticket.ref}}] Новый срок: {{promise.local}}', body: 'Здравствуйте, {{requester.name}}!\n\nНам нужно больше времени для вашего запроса {{ticket.ref}}. Новый срок ответа: {{promise.local}}.{{#promise.message}}\n\n{{promise.message}}{{/promise.message}}\n\nСледить за запросом: {{ticket.url}}' },
    zh: { subject: '[{{ticket.ref}}] 新的预计时间：{{promise.local}}', body: '{{requester.name}}，您好：\n\n我们需要更多时间处理您的请求 {{ticket.ref}}。新的预计答复时间为 {{promise.local}}。{{#promise.message}}\n\n{{promise.message}}{{/promise.message}}\n\n查看请求：{{ticket.url}}' },
    bg: { subject: '[{{ticket.ref}}] Нов срок: {{promise.local}}', body: 'Здравейте, {{requester.name}},\n\nИмаме нужда от повече време за вашата заявка {{ticket.ref}}. Новият срок за отговор е {{promise.local}}.{{#promise.message}}\n\n{{promise.message}}{{/promise.message}}\n\nСледете я на {{ticket.url}}' },
  },
  // Progress notices (each can be switched off in the lifecycle settings).
  work_started: {
    en: { subject: '[{{ticket.ref}}] We are working on your request', body: 'Hello {{requester.name}},\n\n{{agent.name}} has started working on your request {{ticket.ref}} ("{{ticket.subject}}"). We will write as soon as we know more.\n\nFollow it at {{ticket.url}}' },
    ru: { subject: '[{{ticket.ref}}] Мы работаем над вашим запросом', body: 'Здравствуйте, {{requester.name}}!\n\n{{agent.name}} начал(а) работу над вашим запросом {{ticket.ref}} («{{ticket.subject}}»). Мы напишем, как только узнаем больше.\n\nСледить за запросом: {{ticket.url}}' },
    zh: { subject: '[{{ticket.ref}}] 我们正在处理您的请求', body: '{{requester.name}}，您好：\n\n{{agent.name}} 已开始处理您的请求 {{ticket.ref}}（“{{ticket.subject}}”）。一有进展我们会立即告诉您。\n\n查看请求：{{ticket.url}}' },
    bg: { subject: '[{{ticket.ref}}] Работим по вашата заявка', body: 'Здравейте, {{requester.name}},\n\n{{agent.name}} започна работа по вашата заявка {{ticket.ref}} („{{ticket.subject}}“). Ще ви пишем веднага щом научим повече.\n\nСледете я на {{ticket.url}}' },
  },
  waiting_on_you: {
    en: { subject: '[{{ticket.ref}}] We are waiting for your answer', body: 'Hello {{requester.name}},\n\nYour request {{ticket.ref}} ("{{ticket.subject}}") is waiting for information from you. Please reply to this e-mail or at {{ticket.url}} so we can continue.' },
    ru: { subject: '[{{ticket.ref}}] Мы ждём вашего ответа', body: 'Здравствуйте, {{requester.name}}!\n\nВаш запрос {{ticket.ref}} («{{ticket.subject}}») ждёт информации от вас. Ответьте на это письмо или на странице {{ticket.url}}, чтобы мы могли продолжить.' },
    zh: { subject: '[{{ticket.ref}}] 我们在等待您的回复', body: '{{requester.name}}，您好：\n\n您的请求 {{ticket.ref}}（“{{ticket.subject}}”）正在等待您提供信息。请回复此邮件或访问 {{ticket.url}}，以便我们继续处理。' },
    bg: { subject: '[{{ticket.ref}}] Очакваме вашия отговор', body: 'Здравейте, {{requester.name}},\n\nВашата заявка {{ticket.ref}} („{{ticket.subject}}“) очаква информация от вас. Отговорете на това писмо или на {{ticket.url}}, за да продължим.' },
  },
  closure_request: {
    en: { subject: '[{{ticket.ref}}] Is your problem solved?', body: 'Hello {{requester.name}},\n\nWe believe your request {{ticket.ref}} ("{{ticket.subject}}") is solved. Please tell us with one click:\n\nSolved: {{closure.solved_url}}\nNot solved: {{closure.not_solved_url}}\n\nIf we do not hear from you, the request closes on {{closure.closes_local}}.' },
    ru: { subject: '[{{ticket.ref}}] Ваша проблема решена?', body: 'Здравствуйте, {{requester.name}}!\n\nМы считаем, что ваш запрос {{ticket.ref}} («{{ticket.subject}}») решён. Сообщите нам одним щелчком:\n\nРешено: {{closure.solved_url}}\nНе решено: {{closure.not_solved_url}}\n\nЕсли мы не получим ответа, запрос будет закрыт {{closure.closes_local}}.' },
    zh: { subject: '[{{ticket.ref}}] 您的问题解决了吗？', body: '{{requester.name}}，您好：\n\n我们认为您的请求 {{ticket.ref}}（“{{ticket.subject}}”）已经解决。请点击告诉我们：\n\n已解决：{{closure.solved_url}}\n未解决：{{closure.not_solved_url}}\n\n如果没有收到您的回复，该请求将于 {{closure.closes_local}} 关闭。' },
    bg: { subject: '[{{ticket.ref}}] Решен ли е проблемът ви?', body: 'Здравейте, {{requester.name}},\n\nСмятаме, че вашата заявка {{ticket.ref}} („{{ticket.subject}}“) е решена. Кажете ни с едно щракване:\n\nРешено: {{closure.solved_url}}\nНе е решено: {{closure.not_solved_url}}\n\nАко не получим отговор, заявката ще бъде затворена на {{closure.closes_local}}.' },
  },
  // An agent's public reply: the reply's own text, signed, with where to follow the request.
  agent_reply: {
    en: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{reply.body}}\n\n— {{agent.name}}\n\nReply or follow your request at {{ticket.url}}' },
    ru: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{reply.body}}\n\n— {{agent.name}}\n\nОтветить или следить за запросом: {{ticket.url}}' },
    zh: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{reply.body}}\n\n— {{agent.name}}\n\n回复或查看您的请求：{{ticket.url}}' },
    bg: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{reply.body}}\n\n— {{agent.name}}\n\nОтговорете или следете заявката си на {{ticket.url}}' },
  },
  // The portal's e-mailed sign-in link (no ticket: only the requester's placeholders and the link).
  sign_in_link: {
    en: { subject: 'Your sign-in link', body: 'Hello {{requester.name}},\n\nSign in to see your requests: {{signin.url}}\n\nThe link works once, for 24 hours.' },
    ru: { subject: 'Ваша ссылка для входа', body: 'Здравствуйте, {{requester.name}}!\n\nВойдите, чтобы увидеть свои запросы: {{signin.url}}\n\nСсылка действует один раз в течение 24 часов.' },
    zh: { subject: '您的登录链接', body: '{{requester.name}}，您好：\n\n登录以查看您的请求：{{signin.url}}\n\n该链接只能使用一次，24 小时内有效。' },
    bg: { subject: 'Вашата връзка за вход', body: 'Здравейте, {{requester.name}},\n\nВлезте, за да видите заявките си: {{signin.url}}\n\nВръзката работи веднъж, в рамките на 24 часа.' },
  },
  // A staff member merged the customer's request into another one (app/routing/merge-tickets.ts): where it
  // went, and that replying still reaches the team. merge.url is a page the customer can open.
  merged: {
    en: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Hello {{requester.name}},\n\nYour request {{ticket.ref}} ("{{ticket.subject}}") is now handled together with request {{merge.into_ref}}. Nothing is lost: your messages stay visible to you, and you can reply to this e-mail as before.\n\nFollow your request at {{merge.url}}' },
    ru: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Здравствуйте, {{requester.name}}!\n\nВаше обращение {{ticket.ref}} («{{ticket.subject}}») теперь рассматривается вместе с обращением {{merge.into_ref}}. Ничего не потеряно: ваши сообщения по-прежнему видны вам, и вы можете, как и раньше, ответить на это письмо.\n\nСледить за обращением: {{merge.url}}' },
    zh: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: '{{requester.name}}，您好：\n\n您的请求 {{ticket.ref}}（“{{ticket.subject}}”）现已与请求 {{merge.into_ref}} 合并处理。内容不会丢失：您仍可看到自己的消息，也可以像以前一样直接回复此邮件。\n\n查看您的请求：{{merge.url}}' },
    bg: { subject: 'Re: [{{ticket.ref}}] {{ticket.subject}}', body: 'Здравейте, {{requester.name}},\n\nВашата заявка {{ticket.ref}} („{{ticket.subject}}“) вече се обработва заедно със заявка {{merge.into_ref}}. Нищо не е изгубено: съобщенията ви остават видими за вас и можете да отговорите на този имейл както досега.\n\nСледете заявката си на {{merge.url}}' },
  },

};

const SECTION = /\{\{#([a-z._]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;
const VARIABLE = /\{\{\s*([a-z._]+)\s*\}\}/g;

/** Placeholders a template uses that we do not know (for this kind of mail, given `key`): the admin API refuses them naming the field. */
export function unknownPlaceholders(text: string, key?: TemplateKey): string[] {
  const known: readonly string[] = key ? placeholdersFor(key) : PLACEHOLDERS;
  const used = [...text.matchAll(/\{\{\s*[#/]?\s*([a-z._]+)\s*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(used.filter((name) => !known.includes(name)))];
}

export function renderTemplate(text: string, values: TemplateValues): string {
  const lookup = (name: string): string => (values as Record<string, string | undefined>)[name] ?? '';
  // Sections may nest ({{#promise.local}} … {{#promise.within}} … {{/promise.within}} … {{/promise.local}}):
  // each pass settles the outermost ones, until none is left.
  let out = text;
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out.replace(SECTION, (_m, name: string, inner: string) => (lookup(name).trim() ? inner : ''));
  }
  return out.replace(VARIABLE, (_m, name: string) => lookup(name));
}

const PROMISE_FORMAT: Record<CustomerLanguage, string> = {
  en: 'ccc d LLL, HH:mm',
  ru: 'ccc d LLL, HH:mm',
  // Bulgarian has no short month name in CLDR (LLL/MMM give "12"): the full name, "ср 9 декември, 05:15".
  bg: 'ccc d MMMM, HH:mm',
  zh: 'M月d日 (ccc) HH:mm',
};

/** "Tue 25 Nov, 14:30 (Europe/Sofia)" in the customer's language and zone. */
export function formatPromiseTime(at: Date, zone: string, language: CustomerLanguage): string {
  const local = DateTime.fromJSDate(at, { zone }).setLocale(language);
  const shown = local.isValid ? local : DateTime.fromJSDate(at, { zone: 'UTC' }).setLocale(language);
  const zoneName = local.isValid ? zoneLabel(zone) : 'UTC';
  return `${shown.toFormat(PROMISE_FORMAT[language])} (${zoneName})`;
}

type Unit = 'minute' | 'hour' | 'day';
type PluralWords = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
const WORDS: Record<CustomerLanguage, Record<'business' | 'calendar', Record<Unit, PluralWords>>> = {
  en: {
    business: { minute: { one: 'business minute', other: 'business minutes' }, hour: { one: 'business hour', other: 'business hours' }, day: { one: 'business day', other: 'business days' } },
    calendar: { minute: { one: 'minute', other: 'minutes' }, hour: { one: 'hour', other: 'hours' }, day: { one: 'day', other: 'days' } },
  },
  // Russian after "в течение" takes the genitive: 1 рабочего часа, 4 / 5 рабочих часов.
  ru: {
    business: { minute: { one: 'рабочей минуты', other: 'рабочих минут' }, hour: { one: 'рабочего часа', other: 'рабочих часов' }, day: { one: 'рабочего дня', other: 'рабочих дней' } },
    calendar: { minute: { one: 'минуты', other: 'минут' }, hour: { one: 'часа', other: 'часов' }, day: { one: 'дня', other: 'дней' } },
  },
  bg: {
    business: { minute: { one: 'работна минута', other: 'работни минути' }, hour: { one: 'работен час', other: 'работни часа' }, day: { one: 'работен ден', other: 'работни дни' } },
    calendar: { minute: { one: 'минута', other: 'минути' }, hour: { one: 'час', other: 'часа' }, day: { one: 'ден', other: 'дни' } },
  },
  zh: {
    business: { minute: { other: '个工作分钟' }, hour: { other: '个工作小时' }, day: { other: '个工作日' } },
    calendar: { minute: { other: '分钟' }, hour: { other: '小时' }, day: { other: '天' } },
  },
};

/** "4 business hours", "4 рабочих часов", "4 работни часа", "4 个工作小时" — the target as the customer reads it. */
export function describeTarget(minutes: number, business: boolean, language: CustomerLanguage): string {
  // Business targets stay in hours (a business "day" depends on the calendar). Calendar targets read as the
  // web form publishes them ("within 24 hours", "within 72 hours"); only whole days beyond three read as days.
  const [n, unit]: [number, Unit] = minutes % 60 !== 0 ? [minutes, 'minute'] : !business && minutes % 1440 === 0 && minutes > 3 * 1440 ? [minutes / 1440, 'day'] : [minutes / 60, 'hour'];
  const words = WORDS[language][business ? 'business' : 'calendar'][unit];
  const rule = new Intl.PluralRules(language).select(n);
  // Russian "few"/"many" both take the genitive plural after "в течение": only one/other forms are needed.
  return `${n} ${words[rule] ?? words.other}`;
}
