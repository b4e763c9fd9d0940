// Every problem of a calendar at once, for forms that mark all wrong fields together. compileCalendar
// stops at the first problem; here each part (zone, each weekday, each holiday) is compiled on its
// own with a known-good rest, then the whole (for what only the whole can get wrong, e.g. no open hours).

import { compileCalendar } from './compile.ts';
import { CalendarError, type CalendarSpec } from './types.ts';

export type CalendarProblem = { path: string; message: string };

const PROBE_HOURS: CalendarSpec['hours'] = { mon: [['00:00', '24:00']] };

/** The problems of a calendar that has passed the shape schema, in form order; [] when it compiles. */
export function calendarProblems(spec: CalendarSpec): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  const attempt = (candidate: CalendarSpec, rename: (path: string) => string = (p) => p): boolean => {
    try {
      compileCalendar(candidate);
      return true;
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      const path = rename(err.path);
      if (!out.some((p) => p.path === path)) out.push({ path, message: err.message.replace(`${err.path}: `, '') });
      return false;
    }
  };
  const zoneOk = attempt({ timezone: spec.timezone, hours: PROBE_HOURS });
  const timezone = zoneOk ? spec.timezone : 'UTC';
  for (const [day, list] of Object.entries(spec.hours ?? {})) {
    if (list && list.length) attempt({ timezone: 'UTC', hours: { [day]: list } as CalendarSpec['hours'] });
  }
  (spec.holidays ?? []).forEach((holiday, i) =>
    attempt({ timezone, hours: PROBE_HOURS, holidays: [holiday] }, (p) => p.replace(/^holidays\[0\]/, `holidays[${i}]`)));
  if (out.length === 0) attempt(spec);
  return out;
}
