import type { TFunction } from 'i18next';
import { intlLocale, toLanguage, type Language } from '../../i18n/i18n.ts';
import { formatInstant } from '../../lib/format.ts';

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

/** A date-time in the viewer's zone and language, in the app's one shape (lib/format.ts), with the zone named. */
export function formatPromiseTime(iso: string, language: Language, timeZone?: string): string {
  return formatInstant(iso, { locale: intlLocale(language), timeZone: validZone(timeZone) });
}

/** An unknown stored zone falls back to the browser's own rather than breaking the page. */
function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}
