import { compileHolidays } from './holidays.ts';
import type { HolidayCalendar } from './holidays.ts';
import { CalendarError, CalendarHorizonError } from './types.ts';
import type { BusinessCalendar, CalendarSpec } from './types.ts';
import { parseWeeklyHours } from './weekly-hours.ts';
import type { WeeklyHours } from './weekly-hours.ts';
import {
  accruedAt,
  buildYearChunk,
  instantOfAccrued,
  nextOpeningInChunk,
  utcYearOf,
} from './year-chunk.ts';
import type { YearChunk } from './year-chunk.ts';
import { intlOffsetFn, isValidTimeZone } from './zone-offsets.ts';
import type { OffsetFn } from './zone-offsets.ts';

/**
 * How many consecutive years without any open time we search before giving up. Valid weekly hours
 * are only closed for years by holidays on every open date (a daily ICS rule, say): a mistake, and
 * an SLA due date a decade away is as useless as none.
 */
export const SEARCH_HORIZON_YEARS = 10;

export const ALWAYS_OPEN: BusinessCalendar = {
  isOpen: () => true,
  nextOpening: (t) => t,
  addBusinessMs: (t, ms) => t + ms,
  businessMsBetween: (a, b) => (b > a ? b - a : 0),
};

const MAX_INSTANT = 8.64e15; // the range of Date

function assertInstant(name: string, value: number): void {
  if (!(Math.abs(value) <= MAX_INSTANT)) throw new RangeError(`${name} must be epoch ms within the Date range, got ${value}`);
}

class CompiledCalendar implements BusinessCalendar {
  private readonly chunks = new Map<number, YearChunk>();
  // Most queries hit the year of the previous one; checking it first skips the Date and the Map.
  private last: YearChunk | null = null;

  constructor(
    private readonly weekly: WeeklyHours,
    private readonly holidays: HolidayCalendar,
    private readonly offset: OffsetFn,
  ) {}

  private chunkOfYear(year: number): YearChunk {
    let chunk = this.chunks.get(year);
    if (chunk === undefined) {
      chunk = buildYearChunk(year, this.weekly, this.holidays, this.offset);
      this.chunks.set(year, chunk);
    }
    return chunk;
  }

  private chunkAt(t: number): YearChunk {
    const last = this.last;
    if (last !== null && t >= last.start && t < last.end) return last;
    const chunk = this.chunkOfYear(utcYearOf(t));
    this.last = chunk;
    return chunk;
  }

  isOpen(t: number): boolean {
    assertInstant('t', t);
    return nextOpeningInChunk(this.chunkAt(t), t) === t;
  }

  nextOpening(t: number): number | null {
    assertInstant('t', t);
    const first = this.chunkAt(t);
    const found = nextOpeningInChunk(first, t);
    if (found !== null) return found;
    for (let year = first.year + 1; year <= first.year + SEARCH_HORIZON_YEARS; year++) {
      const chunk = this.chunkOfYear(year);
      const opening = chunk.starts[0];
      if (opening !== undefined) return opening;
    }
    return null;
  }

  addBusinessMs(t: number, ms: number): number {
    assertInstant('t', t);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a finite non-negative number, got ${ms}`);
    if (ms === 0) return t;
    let chunk = this.chunkAt(t);
    let target = accruedAt(chunk, t) + ms;
    let emptyYears = 0;
    while (target > chunk.total) {
      target -= chunk.total;
      emptyYears = chunk.total === 0 ? emptyYears + 1 : 0;
      if (emptyYears > SEARCH_HORIZON_YEARS) throw new CalendarHorizonError(t, SEARCH_HORIZON_YEARS);
      chunk = this.chunkOfYear(chunk.year + 1);
    }
    return instantOfAccrued(chunk, target);
  }

  businessMsBetween(a: number, b: number): number {
    assertInstant('a', a);
    assertInstant('b', b);
    if (b <= a) return 0;
    const first = this.chunkAt(a);
    if (b <= first.end) return accruedAt(first, b) - accruedAt(first, a);
    let sum = first.total - accruedAt(first, a);
    const lastYear = utcYearOf(b);
    for (let year = first.year + 1; year < lastYear; year++) sum += this.chunkOfYear(year).total;
    return sum + accruedAt(this.chunkOfYear(lastYear), b);
  }
}

function readTimezone(timezone: unknown): string {
  if (typeof timezone !== 'string' || !isValidTimeZone(timezone)) {
    throw new CalendarError('timezone', `unknown IANA time zone ${JSON.stringify(timezone)}`);
  }
  return timezone;
}

/**
 * Validates a calendar and returns its business-time functions; `null` (or absent) is 24/7.
 * Throws CalendarError with a path relative to the calendar object. Years of open intervals are
 * built lazily on first use and cached in the returned calendar.
 */
export function compileCalendar(spec: CalendarSpec | null | undefined): BusinessCalendar {
  if (spec === null || spec === undefined) return ALWAYS_OPEN;
  if (typeof spec !== 'object' || Array.isArray(spec)) throw new CalendarError('', 'expected an object or null');
  const timezone = readTimezone(spec.timezone);
  const weekly = parseWeeklyHours(spec.hours);
  const holidays = compileHolidays(spec.holidays, timezone);
  return new CompiledCalendar(weekly, holidays, intlOffsetFn(timezone));
}
