import { humanize } from './api.ts';

/** "1h 20m", "2d 3h", "45m", "<1m" for a positive duration in milliseconds (wall-clock units). */
export function formatDuration(ms: number): string {
  const totalMin = Math.floor(Math.abs(ms) / 60_000);
  if (totalMin < 1) return '<1m';
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

/** Business minutes as hours and minutes only ("13h 20m"): a business day is not 24 h, so no "d" unit. */
export function formatBusinessMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined || !Number.isFinite(min)) return '—';
  const total = Math.floor(Math.abs(min));
  if (total < 1) return '<1m';
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

type Prefs = { locale: string | undefined; timeZone: string | undefined };
const prefs: Prefs = { locale: undefined, timeZone: undefined };
let dateTime: Intl.DateTimeFormat;
let timeOnly: Intl.DateTimeFormat;
let dayKey: Intl.DateTimeFormat;

function rebuild(): void {
  const { locale, timeZone } = prefs;
  try {
    // timeZoneName: every time shown names its zone, so "14:00" is never ambiguous.
    const parts = { hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone } as const;
    dateTime = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', ...parts });
    timeOnly = new Intl.DateTimeFormat(locale, parts);
    dayKey = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', timeZone });
  } catch {
    // unknown zone or locale: keep the previous formatters
    prefs.timeZone = undefined;
  }
}
rebuild();

/** Shows times in the signed-in person's zone (principal.time_zone); falls back to the browser's. */
export function setDisplayTimeZone(timeZone: string | null | undefined): void {
  prefs.timeZone = timeZone || undefined;
  rebuild();
}

/** The Intl locale for dates and numbers (follows the UI language). */
export function setDisplayLocale(locale: string | null | undefined): void {
  prefs.locale = locale || undefined;
  rebuild();
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

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/** Short form: only the time for today, otherwise date and time; both name the zone. */
export function formatWhen(iso: string | number | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return dayKey.format(d) === dayKey.format(new Date(now)) ? timeOnly.format(d) : dateTime.format(d);
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
