import type { TFunction } from 'i18next';
import { toLanguage, type Language } from '../../i18n/i18n.ts';

// The promise's and the closure's words are the `promise` and `closure` sections of the customer namespace
// (web/src/locales/*/customer.json). They are shown in a given language — the closure link's, or the page's —
// through i18next.getFixedT, so a mail's link reads in the customer's language whatever the page's is.

/** The given (or the browser's) language among the four; English otherwise. */
export function promiseLanguage(preferred?: string): Language {
  return toLanguage(preferred ?? (typeof navigator === 'undefined' ? 'en' : navigator.language)) ?? 'en';
}

/** "within 24 hours" / "within 4 business hours", in the language of `t` (the `promise` section). */
export function describeTarget(t: TFunction, minutes: number, clock: 'business' | 'calendar'): string {
  const business = clock === 'business';
  return minutes % 60 === 0
    ? t(business ? 'withinBusinessHours' : 'withinHours', { count: minutes / 60 })
    : t(business ? 'withinBusinessMinutes' : 'withinMinutes', { count: minutes });
}

/** A date-time in the viewer's zone and language (Intl), with the zone named. */
export function formatPromiseTime(iso: string, language: Language, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(language, { ...options, ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
  } catch {
    // An unknown stored zone falls back to the browser's own rather than breaking the page.
    return new Intl.DateTimeFormat(language, options).format(new Date(iso));
  }
}
