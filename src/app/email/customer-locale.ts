import { customerLanguage, detectLanguage, type CustomerLanguage } from '../../core/email/language.ts';
import type { Queryable } from '../../store/db.ts';
import { loadSlaConfig, type SlaConfig } from '../sla/sla-config.ts';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export type LocaleHints = {
  /** What the channel says (a browser's navigator.language, an API field). */
  language?: string | undefined;
  timeZone?: string | undefined;
  /** The customer's own words, for language detection. */
  text: string;
  /** The mailbox's default language. */
  defaultLanguage?: CustomerLanguage | undefined;
};

/**
 * Language and zone for a contact we are about to create: what the channel says, else detected from the
 * text (language) or the mail's Date offset (zone, passed as timeZone), else the mailbox's default
 * language and the zone of the calendar our SLA policies work in.
 */
export async function newContactLocale(q: Queryable, hints: LocaleHints): Promise<{ language: CustomerLanguage; timeZone: string }> {
  return contactLocale(await loadSlaConfig(q), hints);
}

/** newContactLocale under an SLA configuration the caller already holds (intake). */
export function contactLocale(config: SlaConfig, hints: LocaleHints): { language: CustomerLanguage; timeZone: string } {
  const language = customerLanguage(hints.language) ?? detectLanguage(hints.text) ?? hints.defaultLanguage ?? 'en';
  const timeZone = hints.timeZone && isTimeZone(hints.timeZone) ? hints.timeZone : calendarZone(config);
  return { language, timeZone };
}

function calendarZone(config: SlaConfig): string {
  for (const policy of config.policies) {
    const calendar = policy.active && policy.calendar_id ? config.calendars.get(policy.calendar_id) : undefined;
    if (calendar) return calendar.row.spec.timezone;
  }
  return 'UTC';
}
