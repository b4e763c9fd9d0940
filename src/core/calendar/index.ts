// Business calendars: weekly local hours + holidays → UTC open intervals.
//
// A calendar compiles, per UTC year and on first use, into sorted half-open [start, end) UTC
// intervals with prefix sums of their durations, so isOpen / nextOpening / addBusinessMs /
// businessMsBetween are binary searches inside a year plus one step per year crossed. Local
// times resolve deterministically (overlap → first occurrence, gap → forward by the gap),
// independent of the current date; 24/7 (null) is plain arithmetic.

export * from './types.ts';
export { compileCalendar, ALWAYS_OPEN, SEARCH_HORIZON_YEARS } from './compile.ts';
export { compileHolidays } from './holidays.ts';
export type { HolidayCalendar } from './holidays.ts';
export { parseIsoDate } from './civil-date.ts';
export { calendarSpecSchema, calendarInputSchema, holidaySpecSchema } from './calendar-schema.ts';
export { parseIcsHolidays, IcsParseError } from './ics-holidays.ts';
export type { IcsHolidayOptions } from './ics-holidays.ts';
