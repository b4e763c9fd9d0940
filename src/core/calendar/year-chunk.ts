// One UTC calendar year of open intervals: sorted, merged, half-open [start, end) instants,
// with prefix sums of their durations so every query inside the year is a binary search.

import { DAY_MS, MINUTE_MS, utcDayOf, weekdayIndex } from './civil-date.ts';
import type { HolidayCalendar } from './holidays.ts';
import type { WeeklyHours } from './weekly-hours.ts';
import { localToUtc, offsetTimeline } from './zone-offsets.ts';
import type { OffsetFn } from './zone-offsets.ts';

export type YearChunk = {
  readonly year: number;
  /** [start, end) of the chunk: UTC year boundaries. Intervals are clipped to it. */
  readonly start: number;
  readonly end: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** cum[i] = open ms in the chunk before interval i; cum[n] = total. */
  readonly cum: Float64Array;
  readonly total: number;
};

// Local dates whose intervals can reach into the UTC year: offsets are within ±15 h and an
// interval (overnight included) ends at most two local days after its date starts.
const MARGIN_BEFORE_DAYS = 3;
const MARGIN_AFTER_DAYS = 2;

export function utcYearStart(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.getTime();
}

export function utcYearOf(t: number): number {
  return new Date(t).getUTCFullYear();
}

type Raw = { s: number; e: number };

function collectIntervals(
  firstDay: number,
  lastDay: number,
  weekly: WeeklyHours,
  holidays: HolidayCalendar,
  offsetAt: OffsetFn,
): Raw[] {
  const raw: Raw[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const ranges = weekly[weekdayIndex(day)];
    // A holiday removes what starts on it; the tail of yesterday's overnight shift was
    // generated from yesterday and so stays.
    if (ranges === undefined || ranges.length === 0 || holidays.isHoliday(day)) continue;
    const midnight = day * DAY_MS;
    for (const r of ranges) {
      const s = localToUtc(offsetAt, midnight + r.start * MINUTE_MS);
      const e = localToUtc(offsetAt, midnight + r.end * MINUTE_MS);
      // Both ends inside one DST gap, or a start pushed past its end by the gap: nothing is open.
      if (e > s) raw.push({ s, e });
    }
  }
  return raw.sort((a, b) => a.s - b.s);
}

/** Merges overlapping and touching intervals (overnight tails into the next day's hours). */
function mergeAndClip(raw: readonly Raw[], lo: number, hi: number): Raw[] {
  const out: Raw[] = [];
  for (const { s, e } of raw) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last.e) last.e = Math.max(last.e, e);
    else out.push({ s, e });
  }
  const clipped: Raw[] = [];
  for (const { s, e } of out) {
    const cs = Math.max(s, lo);
    const ce = Math.min(e, hi);
    if (ce > cs) clipped.push({ s: cs, e: ce });
  }
  return clipped;
}

export function buildYearChunk(year: number, weekly: WeeklyHours, holidays: HolidayCalendar, baseOffset: OffsetFn): YearChunk {
  const start = utcYearStart(year);
  const end = utcYearStart(year + 1);
  const firstDay = utcDayOf(start) - MARGIN_BEFORE_DAYS;
  const lastDay = utcDayOf(end) + MARGIN_AFTER_DAYS;
  // localToUtc probes a day either side of each local time, itself up to 15 h off UTC.
  const offsetAt = offsetTimeline(baseOffset, (firstDay - 2) * DAY_MS, (lastDay + 4) * DAY_MS);
  const intervals = mergeAndClip(collectIntervals(firstDay, lastDay, weekly, holidays, offsetAt), start, end);
  const n = intervals.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  const cum = new Float64Array(n + 1);
  intervals.forEach(({ s, e }, i) => {
    starts[i] = s;
    ends[i] = e;
    cum[i + 1] = (cum[i] ?? 0) + (e - s);
  });
  return { year, start, end, starts, ends, cum, total: cum[n] ?? 0 };
}

/** Number of intervals whose start is <= t (so t lies in interval k-1 or after it). */
export function countStartsAtOrBefore(chunk: YearChunk, t: number): number {
  const { starts } = chunk;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Open ms in [chunk.start, t), for t within the chunk. */
export function accruedAt(chunk: YearChunk, t: number): number {
  const k = countStartsAtOrBefore(chunk, t);
  if (k === 0) return 0;
  const i = k - 1;
  const s = chunk.starts[i] ?? 0;
  const e = chunk.ends[i] ?? 0;
  return (chunk.cum[i] ?? 0) + (t < e ? t - s : e - s);
}

/**
 * The earliest instant at which the chunk's accrued time reaches `target` (0 < target <= total):
 * inside the first interval whose cumulative end reaches it, so a target met exactly at an
 * interval's end is that end, not the next opening.
 */
export function instantOfAccrued(chunk: YearChunk, target: number): number {
  const { cum } = chunk;
  let lo = 0;
  let hi = cum.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid + 1] ?? Infinity) >= target) hi = mid;
    else lo = mid + 1;
  }
  return (chunk.starts[lo] ?? 0) + (target - (cum[lo] ?? 0));
}

/** t itself when open, else the next interval start in the chunk, else null. */
export function nextOpeningInChunk(chunk: YearChunk, t: number): number | null {
  const k = countStartsAtOrBefore(chunk, t);
  if (k > 0 && t < (chunk.ends[k - 1] ?? -Infinity)) return t;
  return k < chunk.starts.length ? (chunk.starts[k] ?? null) : null;
}
