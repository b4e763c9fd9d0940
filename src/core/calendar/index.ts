export * from './types.ts';
export { compileCalendar, ALWAYS_OPEN, SEARCH_HORIZON_YEARS } from './compile.ts';
export { calendarSpecSchema, calendarInputSchema, holidaySpecSchema } from './calendar-schema.ts';
export { parseIcsHolidays, IcsParseError } from './ics-holidays.ts';
export type { IcsHolidayOptions } from './ics-holidays.ts';
