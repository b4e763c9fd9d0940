// The business-calendar contract shared by the SLA engine, the simulator, the queue and the monitor.
// All instants are epoch milliseconds in UTC; local time exists only inside the calendar.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:MM" local wall-clock; "24:00" is the end of the day. */
export type LocalTime = string;
export type HoursInterval = readonly [LocalTime, LocalTime];

export type HolidaySpec =
  | string // "YYYY-MM-DD", one local date
  | { date: string; yearly?: boolean; name?: string }
  | { country: string; region?: string }
  | { ics: string }; // iCalendar text; every event (recurring ones expanded) closes its local dates

export type CalendarSpec = {
  timezone: string;
  hours: Partial<Record<Weekday, readonly HoursInterval[]>>;
  holidays?: readonly HolidaySpec[];
};

export interface BusinessCalendar {
  /** True when business time accrues at instant t (intervals are half-open [start, end)). */
  isOpen(t: number): boolean;
  /** t itself when open, otherwise the start of the next open interval; null if none within the horizon. */
  nextOpening(t: number): number | null;
  /**
   * The earliest instant at which the business time accrued from `t` reaches `ms`
   * (so a due that lands on the end of an interval stays there; add(t, 0) === t).
   */
  addBusinessMs(t: number, ms: number): number;
  /** Business milliseconds in [a, b); 0 when b <= a. */
  businessMsBetween(a: number, b: number): number;
}

/** Thrown for an invalid calendar; `path` is relative to the calendar object (e.g. "hours.mon[1]"). */
export class CalendarError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'CalendarError';
  }
}

/**
 * Thrown by addBusinessMs when the calendar has no open time within its search horizon
 * (e.g. holidays on every open day); `from` is the instant the search started at.
 */
export class CalendarHorizonError extends Error {
  constructor(
    readonly from: number,
    readonly years: number,
  ) {
    super(`no open business hours within ${years} years after ${new Date(from).toISOString()}`);
    this.name = 'CalendarHorizonError';
  }
}
