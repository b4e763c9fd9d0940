// The `calendar` field: null/absent = 24/7; otherwise the calendar module validates and compiles it.
// Paths reported by the calendar module are relative to the calendar object, hence the prefix.

import { z } from 'zod';
import { CalendarError, compileCalendar, type BusinessCalendar, type CalendarSpec } from '../calendar/index.ts';
import { failure, firstIssue, type ParseResult } from './parse-result.ts';

// TODO(calendar): replace with `calendarSpecSchema` from ../calendar/index.ts once it lands; this
// is only the coarse shape, the calendar module remains the authority on every rule.
const calendarShapeSchema: z.ZodType<CalendarSpec> = z.object(
  {
    timezone: z.string({ error: (iss) => (iss.input === undefined ? 'required' : 'must be a string') }),
    hours: z.record(
      z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
      z.array(z.tuple([z.string(), z.string()])),
    ).optional().transform((h) => h ?? {}),
    holidays: z.array(z.union([
      z.string(),
      z.object({ date: z.string(), yearly: z.boolean().optional(), name: z.string().optional() }),
      z.object({ country: z.string(), region: z.string().optional() }),
      z.object({ ics: z.string() }),
    ])).optional(),
  },
  { error: 'must be an object or null' },
);

export type CalendarInput = { spec: CalendarSpec | null; compiled: BusinessCalendar };

export function validateCalendarInput(raw: unknown): ParseResult<CalendarInput> {
  if (raw === undefined || raw === null) return { ok: true, value: { spec: null, compiled: compileCalendar(null) } };
  const shape = firstIssue(calendarShapeSchema, raw, ['calendar']);
  if (!shape.ok) return shape;
  try {
    return { ok: true, value: { spec: shape.value, compiled: compileCalendar(shape.value) } };
  } catch (error) {
    if (error instanceof CalendarError) {
      const path = error.path === '' ? 'calendar' : error.path.startsWith('[') ? `calendar${error.path}` : `calendar.${error.path}`;
      // CalendarError's own message already starts with its relative path; keep only the detail.
      const detail = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
      return failure(path, detail);
    }
    throw error;
  }
}
