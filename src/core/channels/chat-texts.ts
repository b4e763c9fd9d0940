import type { CustomerLanguage } from '../email/language.ts';
import type { PromiseWords } from '../email/promise-words.ts';
import { blankTemplateValues, renderTemplate } from '../email/templates.ts';

// The acknowledgement as a chat message: the e-mail's content without what only mail needs (greeting,
// sign-in link, "reply to this e-mail"). The promise is in the same words as everywhere (promise-words.ts).
const ACKNOWLEDGEMENT: Record<CustomerLanguage, string> = {
  en: `We received your request {{ticket.ref}}.
{{#promise.local}}We will reply by {{promise.local}}{{#promise.within}} — within {{promise.within}}{{/promise.within}}.
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}Our team is away right now and back on {{team.back_local}}.
{{/team.back_local}}Write here to add anything; it goes to the same request.`,
  ru: `Мы получили ваше обращение {{ticket.ref}}.
{{#promise.local}}Мы ответим до {{promise.local}}{{#promise.within}} — в течение {{promise.within}}{{/promise.within}}.
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}Сейчас наша команда не работает и вернётся {{team.back_local}}.
{{/team.back_local}}Пишите сюда, если хотите что-то добавить: это попадёт в то же обращение.`,
  bg: `Получихме вашето запитване {{ticket.ref}}.
{{#promise.local}}Ще отговорим до {{promise.local}}{{#promise.within}} — в рамките на {{promise.within}}{{/promise.within}}.
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}В момента екипът ни не работи и ще се върне {{team.back_local}}.
{{/team.back_local}}Пишете тук, ако искате да добавите нещо: то отива в същото запитване.`,
  zh: `我们已收到您的请求 {{ticket.ref}}。
{{#promise.local}}我们将在 {{promise.local}} 之前回复{{#promise.within}}（{{promise.within}}内）{{/promise.within}}。
{{/promise.local}}{{#promise.reason}}{{promise.reason}}
{{/promise.reason}}{{#team.back_local}}我们的团队目前不在工作时间，将于 {{team.back_local}} 回来。
{{/team.back_local}}如需补充，请直接在此发送，内容会加入同一请求。`,
};

/** The acknowledgement chat message in the customer's language, with the promise as stored at intake. */
export function chatAcknowledgement(language: CustomerLanguage, ref: string, words: PromiseWords): string {
  return renderTemplate(ACKNOWLEDGEMENT[language], { ...blankTemplateValues(), 'ticket.ref': ref, ...words }).trim();
}

/** A text cut into messages of at most `max` characters, at a line break or space when one is near. */
export function splitChatText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    const at = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const cut = at > max / 2 ? at : head.length;
    parts.push(head.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
