// The `calendar` field: null/absent = 24/7; otherwise the calendar module validates and compiles it.
// Paths reported by the calendar module are relative to the calendar object, hence the prefix.

import {
  CalendarError,
  calendarSpecSchema,
  compileCalendar,
  type BusinessCalendar,
  type CalendarSpec,
} from '../calendar/index.ts';
import { failure, firstIssue, type ParseResult } from './parse-result.ts';

export type CalendarInput = { spec: CalendarSpec | null; compiled: BusinessCalendar };

export function validateCalendarInput(raw: unknown): ParseResult<CalendarInput> {
  if (raw === undefined || raw === null) return { ok: true, value: { spec: null, compiled: compileCalendar(null) } };
  if (typeof raw !== 'object' || Array.isArray(raw)) return failure('calendar', 'must be an object, or null for 24/7');
  const shape = firstIssue(calendarSpecSchema, raw, ['calendar']);
  if (!shape.ok) return shape;
  try {
    // The schema checks the shape only; compileCalendar checks times, zones, overlaps, countries.
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
