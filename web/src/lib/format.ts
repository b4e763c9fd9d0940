import { humanize } from './api.ts';

/** "1h 20m", "2d 3h", "45m", "<1m" for a positive duration in milliseconds. */
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

export function formatMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined || !Number.isFinite(min)) return '—';
  return formatDuration(min * 60_000);
}

let dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
let timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
let dayKey = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short' });

/** Shows times in the signed-in person's zone (principal.time_zone); falls back to the browser's. */
export function setDisplayTimeZone(timeZone: string | null | undefined): void {
  const tz = timeZone || undefined;
  try {
    dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz });
    timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: tz });
    dayKey = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', timeZone: tz });
  } catch {
    // unknown zone: keep the browser's
  }
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/** Short form: only the time for today, otherwise date and time. */
export function formatWhen(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return dayKey.format(d) === dayKey.format(new Date(now)) ? timeOnly.format(d) : dateTime.format(d);
}

export function label(key: string | null | undefined, entries?: { key: string; label: string }[]): string {
  if (!key) return '—';
  return entries?.find((e) => e.key === key)?.label ?? humanize(key);
}

/** Channel names as people write them (review 2026-12-01 item 19: "Channel: Api"). */
export const CHANNEL_LABELS: { key: string; label: string }[] = [
  { key: 'email', label: 'E-mail' }, { key: 'web_form', label: 'Web form' }, { key: 'widget', label: 'Widget' },
  { key: 'api', label: 'API' }, { key: 'portal', label: 'Portal' }, { key: 'phone', label: 'Phone' },
];

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

/** Customer-facing status wording. */
export const CUSTOMER_STATUS_LABELS: Record<string, string> = {
  new: 'Received',
  open: 'In progress',
  pending: 'Waiting for your reply',
  on_hold: 'In progress',
  solved: 'Solved',
  closed: 'Closed',
};
