import { DateTime } from 'luxon';
import type { CustomerLanguage } from './language.ts';
import { zoneLabel } from './mail-headers.ts';
import { describeTarget, formatPromiseTime } from './templates.ts';

// The promise in words, for every customer-facing text that states it — the acknowledgement, the notices,
// macros ({{promise.*}}) — so each says the same thing: the date in the customer's zone and language, the
// "within …" duration that matches that date, why it is later than usual, and when the team is back.

export type StatedPromise = {
  promisedAt: Date;
  /** The stated duration ("within N …"), in the clock's minutes; null when only a date is stated (a changed promise). */
  statedMinutes: number | null;
  clock: 'business' | 'calendar';
  basis: 'sla' | 'queue' | 'agent';
  /** The published commitment's target, for "our usual …". */
  commitmentMinutes: number | null;
  ahead: number | null;
  backAt: Date | null;
};

export type PromiseWords = {
  'promise.local': string;
  'promise.date': string;
  'promise.time': string;
  'promise.within': string;
  'promise.zone': string;
  'promise.reason': string;
  'team.back_local': string;
};

const DATE_FORMAT: Record<CustomerLanguage, string> = { en: 'cccc d LLLL yyyy', ru: 'cccc, d LLLL yyyy', bg: 'cccc, d LLLL yyyy', zh: 'yyyy年M月d日 cccc' };

type PluralWords = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
const REQUESTS: Record<CustomerLanguage, PluralWords> = {
  en: { one: 'request is', other: 'requests are' },
  ru: { one: 'обращение', few: 'обращения', many: 'обращений', other: 'обращения' },
  bg: { one: 'запитване', other: 'запитвания' },
  zh: { other: '个请求' },
};

function requests(n: number, language: CustomerLanguage): string {
  const words = REQUESTS[language];
  return `${n} ${words[new Intl.PluralRules(language).select(n)] ?? words.other}`;
}

/** Why the promise is later than the published commitment, in plain words; '' when it is not. */
export function promiseReason(p: StatedPromise, language: CustomerLanguage): string {
  if (p.basis !== 'queue' || p.ahead === null || p.ahead <= 0) return '';
  const usual = p.commitmentMinutes === null ? null : describeTarget(p.commitmentMinutes, p.clock === 'business', language);
  const n = requests(p.ahead, language);
  switch (language) {
    case 'ru':
      return `Сейчас у нас больше обращений, чем обычно: перед вашим в очереди ${n}, поэтому${usual ? ` обычный срок — в течение ${usual} —` : ''} нам не выдержать, и мы называем честное время.`;
    case 'bg':
      return `В момента имаме повече запитвания от обикновено: преди вашето има ${n}, затова${usual ? ` обичайният срок от ${usual}` : ' обичайният срок'} няма да бъде спазен и ви даваме реалистично време.`;
    case 'zh':
      return `我们目前比平时更忙：您之前还有 ${n}，${usual ? `因此无法在通常的${usual}内答复，` : ''}这是我们能够做到的真实时间。`;
    default:
      return `We are busier than usual: ${n} ahead of yours, so we cannot make our usual${usual ? ` ${usual}` : ' time'} and give you the time we can really keep.`;
  }
}

/** Every {{promise.*}} value (and the team's return) in the customer's language and zone. */
export function promiseWords(p: StatedPromise | null, zone: string, language: CustomerLanguage): PromiseWords {
  if (!p) return { 'promise.local': '', 'promise.date': '', 'promise.time': '', 'promise.within': '', 'promise.zone': zone, 'promise.reason': '', 'team.back_local': '' };
  const local = DateTime.fromJSDate(p.promisedAt, { zone });
  const shown = (local.isValid ? local : DateTime.fromJSDate(p.promisedAt, { zone: 'UTC' })).setLocale(language);
  return {
    'promise.local': formatPromiseTime(p.promisedAt, zone, language),
    'promise.date': shown.toFormat(DATE_FORMAT[language]),
    'promise.time': `${shown.toFormat('HH:mm')} (${local.isValid ? zoneLabel(zone) : 'UTC'})`,
    'promise.within': p.statedMinutes === null || p.statedMinutes <= 0 ? '' : describeTarget(p.statedMinutes, p.clock === 'business', language),
    'promise.zone': zone,
    'promise.reason': promiseReason(p, language),
    'team.back_local': p.backAt ? formatPromiseTime(p.backAt, zone, language) : '',
  };
}
