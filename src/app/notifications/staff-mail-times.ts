import { customerLanguage } from '../../core/email/language.ts';
import { formatPromiseTime } from '../../core/email/templates.ts';

// Review 2026-12-07 item 17: staff mails read "due 2026-11-25T09:31:05.644Z". Notification texts are written once,
// when the event fires, for every recipient; the instants in them are turned into each recipient's own language
// and zone when their mail is rendered ("due Tue 25 Nov, 11:31 (Europe/Sofia)"), in the same shape as the
// customers' mails.

const ISO_INSTANT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)/g;

/** `text` with every ISO instant shown in `zone` and `language` (unknown ones: English; a bad zone: UTC). */
export function localiseInstants(text: string, language: string | null | undefined, zone: string | null | undefined): string {
  const lang = customerLanguage(language) ?? 'en';
  return text.replace(ISO_INSTANT, (iso) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? iso : formatPromiseTime(at, zone || 'UTC', lang);
  });
}
