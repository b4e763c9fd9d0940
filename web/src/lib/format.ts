import { humanize } from './api.ts';

// The one place the web app turns instants and durations into text (review 2026-12-07 item 18: one page mixed
// "6 Dec 2026, 20:15 GMT-5" with "Mon, Dec 7, 08:15 PM EST", and Russian durations read "12d 9h").
// Every date-time has one shape per locale — weekday, day, month, time and the zone's name, the year only when it
// is not this year — and every duration is in the locale's own unit words (Intl's narrow units: "12 д. 9 ч",
// "12天 9小时"). Screens call these; the pure `formatInstant` / `formatDurationIn` take the locale and zone
// explicitly so other modules (the promise notice) and the unit checks share the exact same rules.

type Prefs = { locale: string | undefined; timeZone: string | undefined };
const prefs: Prefs = { locale: undefined, timeZone: undefined };

/** Intl objects are costly to build and the same few are asked for on every render: one per option set. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dtf(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale ?? ''}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, options);
    } catch {
      // An unknown stored zone (or locale) falls back to the browser's own rather than breaking the page.
      const { timeZone: _zone, ...rest } = options;
      try {
        f = new Intl.DateTimeFormat(locale, rest);
      } catch {
        f = new Intl.DateTimeFormat(undefined, rest);
      }
    }
    cache.set(key, f);
  }
  return f;
}
function unitFormat(locale: string | undefined, unit: 'day' | 'hour' | 'minute'): Intl.NumberFormat {
  const key = `n|${locale ?? ''}|${unit}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' });
    cache.set(key, f);
  }
  return f;
}

/** Bulgarian has no short month name in CLDR (a short month comes out as "12"): it gets the full name. */
function monthStyle(locale: string | undefined): 'short' | 'long' {
  return (locale ?? '').toLowerCase().startsWith('bg') ? 'long' : 'short';
}

function toDate(iso: string | number | Date | null | undefined): Date | null {
  if (iso === null || iso === undefined || iso === '') return null;
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export type InstantOptions = {
  locale?: string | undefined;
  timeZone?: string | undefined;
  /** "now", for leaving out this year's year and for `time` when the instant is today. */
  now?: number;
  /** date: no time; time: no date when the instant is today; full (default): date and time. Zone named except for date. */
  part?: 'full' | 'date' | 'time';
  /** Leave out the zone's name (where the zone is said once nearby, as in a column header's title). */
  zone?: boolean;
};

/** The one date-time shape: "Mon 7 Dec, 14:30 GMT+2" (en-GB), "пн, 7 дек., 14:30 GMT+3", "ср, 9 декември, 03:15 ч. Гринуич+2". */
export function formatInstant(iso: string | number | Date | null | undefined, o: InstantOptions = {}): string {
  const d = toDate(iso);
  if (!d) return '—';
  const { locale, timeZone } = o;
  const now = new Date(o.now ?? Date.now());
  const yearOf = (x: Date) => dtf('en-CA', { year: 'numeric', timeZone }).format(x);
  const dayOf = (x: Date) => dtf('en-CA', { dateStyle: 'short', timeZone }).format(x);
  const zone = o.zone === false ? {} : { timeZoneName: 'short' as const };
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  if (o.part === 'time' && dayOf(d) === dayOf(now)) return dtf(locale, { ...time, ...zone, timeZone }).format(d);
  const date: Intl.DateTimeFormatOptions = {
    weekday: 'short', day: 'numeric', month: monthStyle(locale), ...(yearOf(d) === yearOf(now) ? {} : { year: 'numeric' }), timeZone,
  };
  if (o.part === 'date') return dtf(locale, date).format(d);
  return dtf(locale, { ...date, ...time, ...zone }).format(d);
}

/** A duration in the locale's unit words, at most two units: "1h 20m", "12 д. 9 ч", "<1m". */
export function formatDurationIn(ms: number, locale: string | undefined, units: 'calendar' | 'business' = 'calendar'): string {
  const totalMin = Math.floor(Math.abs(ms) / 60_000);
  const u = (n: number, unit: 'day' | 'hour' | 'minute') => unitFormat(locale, unit).format(n);
  if (totalMin < 1) return `<${u(1, 'minute')}`;
  // Business time has no "day" unit: a business day is not 24 hours.
  const d = units === 'calendar' ? Math.floor(totalMin / 1440) : 0;
  const h = Math.floor((totalMin - d * 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return h > 0 ? `${u(d, 'day')} ${u(h, 'hour')}` : u(d, 'day');
  if (h > 0) return m > 0 ? `${u(h, 'hour')} ${u(m, 'minute')}` : u(h, 'hour');
  return u(m, 'minute');
}

/** A positive wall-clock duration in milliseconds, in the display locale ("1h 20m", "2d 3h", "<1m"). */
export function formatDuration(ms: number): string {
  return formatDurationIn(ms, prefs.locale);
}

/** Business minutes as hours and minutes only ("13h 20m"): a business day is not 24 h, so no day unit. */
export function formatBusinessMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined || !Number.isFinite(min)) return '—';
  return formatDurationIn(min * 60_000, prefs.locale, 'business');
}

/** Shows times in the signed-in person's zone (principal.time_zone); falls back to the browser's. */
export function setDisplayTimeZone(timeZone: string | null | undefined): void {
  prefs.timeZone = timeZone || undefined;
  try {
    if (prefs.timeZone) new Intl.DateTimeFormat(undefined, { timeZone: prefs.timeZone });
  } catch {
    prefs.timeZone = undefined;
  }
}

/** The Intl locale for dates and numbers (follows the UI language). */
export function setDisplayLocale(locale: string | null | undefined): void {
  prefs.locale = locale || undefined;
}

/** A file size in the display locale's units ("12 kB", "1.4 MB"). */
export function formatBytes(bytes: number): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [Math.max(bytes / 1000, 1), 'kilobyte'];
  return new Intl.NumberFormat(prefs.locale, { style: 'unit', unit, maximumFractionDigits: unit === 'megabyte' ? 1 : 0 }).format(value);
}

/** The zone times are shown in (IANA name). */
export function displayTimeZone(): string {
  return prefs.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Date and time in the display locale and zone, the zone named. */
export function formatDateTime(iso: string | number | null | undefined): string {
  return formatInstant(iso, { locale: prefs.locale, timeZone: prefs.timeZone });
}

/** Short form: only the time for today, otherwise date and time; both name the zone. */
export function formatWhen(iso: string | number | null | undefined, now = Date.now()): string {
  return formatInstant(iso, { locale: prefs.locale, timeZone: prefs.timeZone, now, part: 'time' });
}

/** For dense lists: the time today, otherwise the day ("Mon 7 Dec"); the full form belongs in a title. */
export function formatCompact(iso: string | number | null | undefined, now = Date.now()): string {
  const d = toDate(iso);
  if (!d) return '—';
  const today = formatInstant(d, { locale: prefs.locale, timeZone: prefs.timeZone, now, part: 'time', zone: false });
  const full = formatInstant(d, { locale: prefs.locale, timeZone: prefs.timeZone, now, zone: false });
  return today === full ? formatInstant(d, { locale: prefs.locale, timeZone: prefs.timeZone, now, part: 'date' }) : today;
}

export function label(key: string | null | undefined, entries?: { key: string; label: string }[]): string {
  if (!key) return '—';
  return entries?.find((e) => e.key === key)?.label ?? humanize(key);
}

export const REQUEST_TYPE_LABELS: Record<string, string> = {
  technical_question: 'Technical question',
  information_request: 'Information request',
  complaint: 'Complaint',
  suggestion: 'Suggestion or feedback',
  quote: 'Quote or proposal',
  custom_work: 'Custom work inquiry',
  urgent: 'Urgent',
};

export const STATUS_LABELS: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};
