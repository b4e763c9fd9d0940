// Rosters (planning spec §3): who works when. A roster is one agent's weekly pattern of shifts in their own
// zone (several a day: split shifts; an end at or before the start runs past midnight), dated exceptions
// (leave, sickness, a swap that replaces the day's shifts, an extra shift), the public holidays of their
// country, and on-call periods. Pure: every answer is a function of the roster and the instants given.
//
// A shift belongs to the local date it starts on; that date's exceptions and holiday decide whether it is
// worked. Local times resolve with Luxon: a start in a spring-forward gap moves forward by the gap, a time in
// the autumn fold is its first occurrence, so a 22:00–06:00 night is 7 real hours on the spring change and
// 9 on the autumn one.

import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { compileHolidays, type HolidayCalendar } from '../calendar/holidays.ts';
import { parseIsoDate } from '../calendar/civil-date.ts';

const DAY_MS = 86_400_000;
const MAX_SPAN_DAYS = 400;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00');
const isoDate = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'must be a date like 2026-12-24').refine((d) => parseIsoDate(d) !== null, 'is not a calendar date');
const localDateTime = z.string().regex(/^\d{4}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time like 2026-12-24T18:00');

function knownCountry(code: string): boolean {
  try {
    compileHolidays([{ country: code }], 'UTC');
    return true;
  } catch {
    return false;
  }
}

export const shiftTimesSchema = z.strictObject({ start: hhmm, end: hhmm });
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const EXCEPTION_KINDS = ['leave', 'sickness', 'swap', 'extra'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const rosterSchema = z.strictObject({
  zone: z.string().min(1).max(64).refine((z) => IANAZone.isValidZone(z), 'is not an IANA time zone'),
  /** ISO 3166-1 country (optionally "DE-BY"): its public holidays are days off unless an exception says otherwise. */
  country: z.string().regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'must be a country code like DE or DE-BY')
    .refine(knownCountry, 'is not a country date-holidays knows').nullable().default(null),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(shiftTimesSchema).max(6)).default({}),
  exceptions: z.array(z.strictObject({
    date: isoDate,
    kind: z.enum(EXCEPTION_KINDS),
    /** swap: the day's shifts instead of the pattern's ([] = a day off); extra: shifts added to the day. */
    shifts: z.array(shiftTimesSchema).max(6).default([]),
    note: z.string().max(200).optional(),
  })).max(2000).default([]),
  on_call: z.array(z.strictObject({ start: localDateTime, end: localDateTime })).max(2000).default([]),
});
export type Roster = z.output<typeof rosterSchema>;
export type RosterInput = z.input<typeof rosterSchema>;

/** Half-open [start, end) in UTC milliseconds. */
export type Span = { start: number; end: number };

export type Duty = {
  /** Inside a worked shift. */
  onShift: boolean;
  /** Inside an on-call period. */
  onCall: boolean;
  /** On shift or on call: the one notion routing, staff mail and escalations read. */
  onDuty: boolean;
  /** When the current shift or on-call period ends (null when off duty). */
  until: number | null;
};

type Compiled = { roster: Roster; holidays: HolidayCalendar | null };
const compiledCache = new WeakMap<Roster, Compiled>();

function compiled(roster: Roster): Compiled {
  let c = compiledCache.get(roster);
  if (!c) {
    const holidays = roster.country ? compileHolidays([{ country: roster.country }], roster.zone) : null;
    c = { roster, holidays };
    compiledCache.set(roster, c);
  }
  return c;
}

function localInstant(date: DateTime, time: string): DateTime {
  const [h, m] = time.split(':').map(Number);
  // Luxon resolves a gap forward and a fold to its first occurrence (the calendar engine's rule too).
  return date.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
}

function shiftSpan(date: DateTime, s: { start: string; end: string }): Span {
  const start = localInstant(date, s.start);
  const endDay = s.end <= s.start ? date.plus({ days: 1 }) : date;
  return { start: start.toMillis(), end: localInstant(endDay, s.end).toMillis() };
}

/** The shifts worked on one local date ("YYYY-MM-DD"), after exceptions and holidays. */
export function shiftsOnDate(roster: Roster, isoDay: string): { start: string; end: string }[] {
  const c = compiled(roster);
  const day = DateTime.fromISO(isoDay, { zone: roster.zone });
  const weekday = WEEKDAYS[day.weekday - 1] ?? 'mon';
  const exceptions = roster.exceptions.filter((e) => e.date === isoDay);
  const dayNumber = parseIsoDate(isoDay);
  const holiday = c.holidays !== null && dayNumber !== null && c.holidays.isHoliday(dayNumber);
  let shifts = holiday ? [] : [...(roster.weekly[weekday] ?? [])];
  // Leave or sickness clears the day; a swap states it outright; extras add to whatever remains.
  if (exceptions.some((e) => e.kind === 'leave' || e.kind === 'sickness')) shifts = [];
  else {
    const swap = exceptions.find((e) => e.kind === 'swap');
    if (swap) shifts = [...swap.shifts];
  }
  for (const e of exceptions) if (e.kind === 'extra') shifts.push(...e.shifts);
  return shifts;
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Worked shifts overlapping [from, to), merged, as UTC spans (a shift that began the day before is included). */
export function shiftSpans(roster: Roster, from: number, to: number): Span[] {
  if (to <= from) return [];
  if (to - from > MAX_SPAN_DAYS * DAY_MS) throw new RangeError(`a roster is expanded over at most ${MAX_SPAN_DAYS} days`);
  const spans: Span[] = [];
  let day = DateTime.fromMillis(from, { zone: roster.zone }).startOf('day').minus({ days: 1 });
  while (day.toMillis() < to) {
    const iso = day.toISODate() ?? '';
    for (const s of shiftsOnDate(roster, iso)) spans.push(shiftSpan(day, s));
    day = day.plus({ days: 1 });
  }
  return mergeSpans(spans).filter((s) => s.end > from && s.start < to);
}

export function onCallSpans(roster: Roster): Span[] {
  return mergeSpans(roster.on_call.map((p) => ({
    start: DateTime.fromISO(p.start, { zone: roster.zone }).toMillis(),
    end: DateTime.fromISO(p.end, { zone: roster.zone }).toMillis(),
  })));
}

const containing = (spans: readonly Span[], at: number) => spans.find((s) => s.start <= at && at < s.end);

/** Is the agent working (or on call) at `at`? */
export function onDuty(roster: Roster, at: number): Duty {
  const shift = containing(shiftSpans(roster, at, at + 1), at);
  const call = containing(onCallSpans(roster), at);
  const until = shift && call ? Math.max(shift.end, call.end) : (shift ?? call)?.end ?? null;
  return { onShift: shift !== undefined, onCall: call !== undefined, onDuty: shift !== undefined || call !== undefined, until };
}

/**
 * The first instant at or after `at` when the agent is on duty (`at` itself when on duty now), looking
 * `horizonDays` ahead; null when no shift or on-call period starts within it.
 */
export function nextOnDuty(roster: Roster, at: number, horizonDays = 31): number | null {
  if (onDuty(roster, at).onDuty) return at;
  const starts = [...shiftSpans(roster, at, at + horizonDays * DAY_MS), ...onCallSpans(roster)]
    .map((s) => s.start).filter((s) => s >= at && s < at + horizonDays * DAY_MS);
  return starts.length ? Math.min(...starts) : null;
}

export type RosteredInterval = { start: number; staff: number };

/**
 * Staff rostered per interval of [from, to): the sum over agents of the share of the interval they are on
 * shift (an agent on for 15 minutes of a 30-minute interval counts 0.5). On-call time is not rostered staff:
 * it is cover for emergencies, not capacity the plan may count on.
 */
export function rosteredIntervals(rosters: readonly Roster[], from: number, to: number, intervalMinutes: number): RosteredInterval[] {
  const step = intervalMinutes * 60_000;
  if (!(step > 0)) throw new RangeError('intervalMinutes must be positive');
  const n = Math.max(0, Math.ceil((to - from) / step));
  const staff = new Array<number>(n).fill(0);
  for (const roster of rosters) {
    for (const s of shiftSpans(roster, from, from + n * step)) {
      const first = Math.max(0, Math.floor((s.start - from) / step));
      const last = Math.min(n - 1, Math.floor((s.end - 1 - from) / step));
      for (let i = first; i <= last; i++) {
        const a = from + i * step;
        const overlap = Math.min(s.end, a + step) - Math.max(s.start, a);
        if (overlap > 0) staff[i] = (staff[i] ?? 0) + overlap / step;
      }
    }
  }
  return staff.map((v, i) => ({ start: from + i * step, staff: Math.round(v * 1e9) / 1e9 }));
}
