// Parsing and validation of the weekly opening hours into minute ranges per weekday.

import { CalendarError, WEEKDAYS } from './types.ts';
import type { CalendarSpec } from './types.ts';

/** Minutes from the local midnight of the day the range starts on; `end` may exceed 1440 (overnight). */
export type MinuteRange = { readonly start: number; readonly end: number };

/** Index 0 = Monday … 6 = Sunday, each sorted by start. */
export type WeeklyHours = readonly (readonly MinuteRange[])[];

const DAY_MINUTES = 1440;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes of a strict "HH:MM"; "24:00" only where an end is expected. Null when invalid. */
export function parseLocalTime(text: unknown, isEnd: boolean): number | null {
  if (typeof text !== 'string') return null;
  if (text === '24:00') return isEnd ? DAY_MINUTES : null;
  const m = HH_MM.exec(text);
  return m === null ? null : Number(m[1]) * 60 + Number(m[2]);
}

function timeError(path: string, text: unknown, isEnd: boolean): CalendarError {
  const shown = typeof text === 'string' ? `"${text}"` : String(text);
  if (text === '24:00') return new CalendarError(path, '"24:00" is only valid as the end of an interval');
  const what = isEnd ? 'HH:MM between 00:00 and 24:00' : 'HH:MM between 00:00 and 23:59';
  return new CalendarError(path, `${shown} is not a valid time (expected ${what})`);
}

/** One [start, end] pair; an end not after the start is an overnight shift into the next day. */
export function parseInterval(raw: unknown, path: string): MinuteRange {
  if (!Array.isArray(raw) || raw.length !== 2) {
    throw new CalendarError(path, 'expected a ["HH:MM", "HH:MM"] pair');
  }
  const [rawStart, rawEnd] = raw as unknown[];
  const start = parseLocalTime(rawStart, false);
  if (start === null) throw timeError(`${path}[0]`, rawStart, false);
  const end = parseLocalTime(rawEnd, true);
  if (end === null) throw timeError(`${path}[1]`, rawEnd, true);
  return { start, end: end > start ? end : end + DAY_MINUTES };
}

function overlaps(a: MinuteRange, b: MinuteRange): boolean {
  return a.start < b.end && b.start < a.end;
}

function parseDay(raw: unknown, path: string): MinuteRange[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new CalendarError(path, 'expected a list of ["HH:MM", "HH:MM"] intervals');
  const ranges: MinuteRange[] = [];
  raw.forEach((item: unknown, i) => {
    const range = parseInterval(item, `${path}[${i}]`);
    // The later-listed interval is the one reported, so the message points at what was added last.
    if (ranges.some((r) => overlaps(r, range))) {
      throw new CalendarError(`${path}[${i}]`, 'overlaps an earlier interval of the same day');
    }
    ranges.push(range);
  });
  return ranges.sort((a, b) => a.start - b.start);
}

export function parseWeeklyHours(hours: CalendarSpec['hours'] | unknown): WeeklyHours {
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) {
    throw new CalendarError('hours', 'expected an object with weekdays mon … sun');
  }
  const record = hours as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      throw new CalendarError(`hours.${key}`, `unknown weekday (expected one of ${WEEKDAYS.join(', ')})`);
    }
  }
  const week = WEEKDAYS.map((day) => parseDay(record[day], `hours.${day}`));
  if (week.every((ranges) => ranges.length === 0)) {
    throw new CalendarError('hours', 'the calendar has no open hours at all');
  }
  return week;
}
