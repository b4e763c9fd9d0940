// The JSON shape of a calendar. Shape only: times, dates, zones, overlaps and countries are
// checked by compileCalendar, which reports the same kind of path relative to the calendar.

import { z } from 'zod';
import type { CalendarSpec } from './types.ts';

const hoursInterval = z.tuple([z.string(), z.string()]).readonly();
// null reads as a closed day, like a missing or empty one.
const dayHours = z.array(hoursInterval).readonly().nullable().transform((v) => v ?? undefined);

// Strict objects: a misspelt weekday ("Mon") or key ("holiday") would otherwise silently close
// a day or drop every holiday.
const weeklyHours = z.strictObject({
  mon: dayHours.optional(),
  tue: dayHours.optional(),
  wed: dayHours.optional(),
  thu: dayHours.optional(),
  fri: dayHours.optional(),
  sat: dayHours.optional(),
  sun: dayHours.optional(),
});

export const holidaySpecSchema = z.union([
  z.string(),
  z.strictObject({ date: z.string(), yearly: z.boolean().optional(), name: z.string().optional() }),
  z.strictObject({ country: z.string(), region: z.string().optional(), name: z.string().optional() }),
  z.strictObject({ ics: z.string() }),
]);

// Strict, so a misspelt "holiday" cannot silently drop every holiday; the descriptive keys other
// systems put on a calendar (name, id, description) are accepted and ignored.
export const calendarSpecSchema = z.strictObject({
  name: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  timezone: z.string(),
  hours: weeklyHours,
  // null reads as no holidays, like an absent or empty list.
  holidays: z.array(holidaySpecSchema).readonly().nullable().transform((v) => v ?? undefined).optional(),
});

/** `calendar` as it appears in an input document: absent or null means 24/7. */
export const calendarInputSchema = calendarSpecSchema.nullish();

// Compile-time proof that parsed input is accepted by compileCalendar.
const _assignable = (parsed: z.infer<typeof calendarSpecSchema>): CalendarSpec => parsed;
void _assignable;
