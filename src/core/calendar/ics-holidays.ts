// iCalendar holiday feeds: every event (recurrences expanded) closes the local dates it touches.
// Pure: the caller fetches the text; the feed is expanded lazily, only as far as compiled years need.

import ICAL from 'ical.js';
import { DAY_MS, daysFromCivil, formatIsoDate } from './civil-date.ts';
import { intlOffsetFn, isValidTimeZone, localToUtc } from './zone-offsets.ts';
import type { OffsetFn } from './zone-offsets.ts';

type IcalTime = ICAL.Time;
type IcalEvent = ICAL.Event;

/** Inclusive range of local day numbers. */
export type DayRange = readonly [first: number, last: number];

export class IcsParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IcsParseError';
  }
}

// A runaway rule (FREQ=MINUTELY without end) must not hang compilation.
const MAX_OCCURRENCES_PER_EVENT = 200_000;

type Expansion = {
  readonly event: IcalEvent;
  readonly iterator: ICAL.RecurExpansion;
  readonly ranges: DayRange[];
  lastStartDay: number;
  done: boolean;
};

export type IcsFeed = {
  /** Closed local day numbers within [fromDay, toDay] (inclusive), in no particular order. */
  closedDays(fromDay: number, toDay: number): number[];
};

function parseComponent(text: string): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (error) {
    throw new IcsParseError(`not valid iCalendar text (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(jcal) || jcal.length === 0 || Array.isArray(jcal[0])) {
    throw new IcsParseError('not valid iCalendar text (expected one VCALENDAR)');
  }
  const root = new ICAL.Component(jcal);
  if (root.name !== 'vcalendar') throw new IcsParseError('not valid iCalendar text (expected BEGIN:VCALENDAR)');
  return root;
}

function isCancelled(component: ICAL.Component): boolean {
  const status = component.getFirstPropertyValue('status');
  return typeof status === 'string' && status.toUpperCase() === 'CANCELLED';
}

function tzidOf(component: ICAL.Component, property: 'dtstart' | 'dtend'): string | null {
  const param = component.getFirstProperty(property)?.getParameter('tzid');
  return typeof param === 'string' ? param : null;
}

/**
 * The calendar-local wall clock (as "local ms") of an iCalendar time. UTC times and times with an
 * IANA TZID are converted into the calendar's zone; floating times, and TZIDs that are not IANA
 * names (Outlook's "W. Europe Standard Time"), are taken as calendar-local wall clock — ical.js
 * cannot convert them without registering the feed's VTIMEZONEs in its global service.
 */
function toCalendarLocalMs(time: IcalTime, tzid: string | null, calendarOffset: OffsetFn): number {
  const wall = daysFromCivil(time.year, time.month, time.day) * DAY_MS + ((time.hour * 60 + time.minute) * 60 + time.second) * 1000;
  if (time.isDate) return wall;
  if (time.zone?.tzid === 'UTC') return wall + calendarOffset(wall);
  if (tzid !== null && isValidTimeZone(tzid)) {
    const utc = localToUtc(intlOffsetFn(tzid), wall);
    return utc + calendarOffset(utc);
  }
  return wall;
}

function dayRange(start: IcalTime, end: IcalTime | null, component: ICAL.Component, calendarOffset: OffsetFn): DayRange {
  const startLocal = toCalendarLocalMs(start, tzidOf(component, 'dtstart'), calendarOffset);
  const endTzid = tzidOf(component, 'dtend') ?? tzidOf(component, 'dtstart');
  const endLocal = end === null ? startLocal : toCalendarLocalMs(end, endTzid, calendarOffset);
  const first = Math.floor(startLocal / DAY_MS);
  // DTEND is exclusive: an event ending at midnight does not touch the next date.
  const last = Math.floor((Math.max(endLocal, startLocal + 1) - 1) / DAY_MS);
  return [first, Math.max(first, last)];
}

function makeEvents(root: ICAL.Component): IcalEvent[] {
  const masters = new Map<string, IcalEvent>();
  const exceptions: IcalEvent[] = [];
  const events: IcalEvent[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    if (component.getFirstProperty('dtstart') === null) throw new IcsParseError(`event ${event.uid ?? '(no UID)'} has no DTSTART`);
    if (event.isRecurrenceException()) exceptions.push(event);
    else {
      events.push(event);
      masters.set(event.uid, event);
    }
  }
  for (const exception of exceptions) {
    const master = masters.get(exception.uid);
    // An override without its series still names a real occurrence, so it closes its dates.
    if (master === undefined) events.push(exception);
    else master.relateException(exception);
  }
  return events.filter((event) => !isCancelled(event.component));
}

function expandUntil(expansion: Expansion, toDay: number, calendarOffset: OffsetFn): void {
  while (!expansion.done && expansion.lastStartDay <= toDay) {
    // Typed as always returning a Time, but ical.js returns undefined/null once a rule ends.
    const next = expansion.iterator.next() as IcalTime | null | undefined;
    if (next === null || next === undefined || expansion.ranges.length >= MAX_OCCURRENCES_PER_EVENT) {
      expansion.done = true;
      return;
    }
    const details = expansion.event.getOccurrenceDetails(next);
    const range = dayRange(details.startDate, details.endDate, details.item.component, calendarOffset);
    expansion.lastStartDay = range[0];
    if (!isCancelled(details.item.component)) expansion.ranges.push(range);
  }
}

/** Throws IcsParseError for text that is not an iCalendar feed. */
export function compileIcsFeed(text: string, timezone: string): IcsFeed {
  const calendarOffset = intlOffsetFn(timezone);
  const fixed: DayRange[] = [];
  const expansions: Expansion[] = [];
  for (const event of makeEvents(parseComponent(text))) {
    if (event.isRecurring()) {
      expansions.push({ event, iterator: event.iterator(), ranges: [], lastStartDay: -Infinity, done: false });
    } else {
      fixed.push(dayRange(event.startDate, event.endDate, event.component, calendarOffset));
    }
  }
  return {
    closedDays(fromDay, toDay) {
      const days: number[] = [];
      const collect = (ranges: readonly DayRange[]): void => {
        for (const [first, last] of ranges) {
          for (let d = Math.max(first, fromDay); d <= Math.min(last, toDay); d++) days.push(d);
        }
      };
      collect(fixed);
      for (const expansion of expansions) {
        expandUntil(expansion, toDay, calendarOffset);
        collect(expansion.ranges);
      }
      return days;
    },
  };
}

export type IcsHolidayOptions = { timezone: string; fromYear: number; toYear: number };

/**
 * The closed local dates ("YYYY-MM-DD", sorted, unique) of an iCalendar feed over whole years,
 * e.g. to import a feed fetched from a file or URL as plain date holidays.
 */
export function parseIcsHolidays(text: string, options: IcsHolidayOptions): string[] {
  if (!isValidTimeZone(options.timezone)) throw new IcsParseError(`unknown time zone "${options.timezone}"`);
  const feed = compileIcsFeed(text, options.timezone);
  const days = feed.closedDays(daysFromCivil(options.fromYear, 1, 1), daysFromCivil(options.toYear, 12, 31));
  return [...new Set(days)].sort((a, b) => a - b).map(formatIsoDate);
}
