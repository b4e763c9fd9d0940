// The promise's customer-facing words in the four languages. A small local dictionary on purpose:
// it can move into the app's i18next resources as the "promise" namespace unchanged.

export const PROMISE_LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type PromiseLanguage = (typeof PROMISE_LANGUAGES)[number];

type Strings = {
  commitmentsTitle: string;
  commitmentsIntro: string;
  critical: string;
  withinHours: (n: number, business: boolean) => string;
  withinMinutes: (n: number, business: boolean) => string;
  urgency: string;
  urgencies: Record<'low' | 'normal' | 'high' | 'critical', string>;
  promisedBy: string;
  newEstimate: string;
  originally: string;
  backAt: string;
  noPromise: string;
  yourTier: string;
  types: Record<string, string>;
};

const plural = (n: number, one: string, few: string, many: string) => {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
};

export const PROMISE_STRINGS: Record<PromiseLanguage, Strings> = {
  en: {
    commitmentsTitle: 'When you will hear from us',
    commitmentsIntro: 'Our first reply, by request type:',
    critical: 'Critical (something is down)',
    withinHours: (n, b) => `within ${n} ${b ? 'business ' : ''}hour${n === 1 ? '' : 's'}`,
    withinMinutes: (n, b) => `within ${n} ${b ? 'business ' : ''}minutes`,
    urgency: 'How urgent is it?',
    urgencies: { low: 'Low — whenever you can', normal: 'Normal', high: 'High — it blocks my work', critical: 'Critical — something is down' },
    promisedBy: 'We will reply by',
    newEstimate: 'New estimate',
    originally: 'originally',
    backAt: 'We are out of office now; we are back at',
    noPromise: 'We will reply as soon as we can.',
    yourTier: 'Your plan',
    types: { technical_question: 'Technical question', information_request: 'Information request', complaint: 'Complaint', suggestion: 'Suggestion / feedback', quote: 'Quote / proposal', custom_work: 'Custom-work inquiry' },
  },
  ru: {
    commitmentsTitle: 'Когда мы ответим',
    commitmentsIntro: 'Первый ответ по типу запроса:',
    critical: 'Критично (что-то не работает)',
    withinHours: (n, b) => `в течение ${n} ${b ? 'рабочих ' : ''}${plural(n, 'часа', 'часов', 'часов')}`,
    withinMinutes: (n, b) => `в течение ${n} ${b ? 'рабочих ' : ''}минут`,
    urgency: 'Насколько срочно?',
    urgencies: { low: 'Низкая — когда будет время', normal: 'Обычная', high: 'Высокая — мешает работать', critical: 'Критичная — что-то не работает' },
    promisedBy: 'Мы ответим до',
    newEstimate: 'Новый срок',
    originally: 'изначально',
    backAt: 'Сейчас нерабочее время; мы вернёмся',
    noPromise: 'Мы ответим как можно скорее.',
    yourTier: 'Ваш тариф',
    types: { technical_question: 'Технический вопрос', information_request: 'Запрос информации', complaint: 'Жалоба', suggestion: 'Предложение / отзыв', quote: 'Коммерческое предложение', custom_work: 'Индивидуальная разработка' },
  },
  zh: {
    commitmentsTitle: '我们何时答复',
    commitmentsIntro: '按请求类型的首次答复时间：',
    critical: '紧急（系统故障）',
    withinHours: (n, b) => `${n} 个${b ? '工作' : ''}小时内`,
    withinMinutes: (n, b) => `${n} ${b ? '个工作' : ''}分钟内`,
    urgency: '紧急程度',
    urgencies: { low: '低 — 不着急', normal: '普通', high: '高 — 影响工作', critical: '紧急 — 系统故障' },
    promisedBy: '我们将在此之前答复：',
    newEstimate: '新的预计时间',
    originally: '原定',
    backAt: '现在是非工作时间；我们将于此时回来：',
    noPromise: '我们会尽快答复。',
    yourTier: '您的套餐',
    types: { technical_question: '技术问题', information_request: '信息咨询', complaint: '投诉', suggestion: '建议 / 反馈', quote: '报价 / 方案', custom_work: '定制开发咨询' },
  },
  bg: {
    commitmentsTitle: 'Кога ще ви отговорим',
    commitmentsIntro: 'Първи отговор според вида на заявката:',
    critical: 'Критично (нещо не работи)',
    withinHours: (n, b) => `до ${n} ${b ? 'работни ' : ''}${n === 1 ? 'час' : 'часа'}`,
    withinMinutes: (n, b) => `до ${n} ${b ? 'работни ' : ''}минути`,
    urgency: 'Колко е спешно?',
    urgencies: { low: 'Ниска — когато може', normal: 'Нормална', high: 'Висока — пречи на работата', critical: 'Критична — нещо не работи' },
    promisedBy: 'Ще отговорим до',
    newEstimate: 'Нов срок',
    originally: 'първоначално',
    backAt: 'Сега сме извън работно време; връщаме се на',
    noPromise: 'Ще отговорим възможно най-скоро.',
    yourTier: 'Вашият план',
    types: { technical_question: 'Технически въпрос', information_request: 'Запитване за информация', complaint: 'Оплакване', suggestion: 'Предложение / отзив', quote: 'Оферта', custom_work: 'Запитване за разработка' },
  },
};

/** The browser's (or a given) language among the four; English otherwise. */
export function promiseLanguage(preferred?: string): PromiseLanguage {
  const wanted = preferred ?? (typeof navigator === 'undefined' ? 'en' : navigator.language);
  return PROMISE_LANGUAGES.find((l) => wanted.toLowerCase().startsWith(l)) ?? 'en';
}

/** "within 24 hours" / "within 4 business hours", in the language. */
export function describeTarget(s: Strings, minutes: number, clock: 'business' | 'calendar'): string {
  const business = clock === 'business';
  return minutes % 60 === 0 ? s.withinHours(minutes / 60, business) : s.withinMinutes(minutes, business);
}

/** A date-time in the viewer's zone and language, with the zone named. */
export function formatPromiseTime(iso: string, language: PromiseLanguage, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(language, { ...options, ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
  } catch {
    // An unknown stored zone falls back to the browser's own rather than breaking the page.
    return new Intl.DateTimeFormat(language, options).format(new Date(iso));
  }
}
