// Holiday sources compiled into "is this local date closed?", cached per local year.

import Holidays from 'date-holidays';
import { civilFromDays, daysFromCivil, parseIsoDate, DAY_MS } from './civil-date.ts';
import { compileIcsFeed, IcsParseError } from './ics-holidays.ts';
import type { IcsFeed } from './ics-holidays.ts';
import { CalendarError } from './types.ts';
import type { HolidaySpec } from './types.ts';

export type HolidayCalendar = {
  /** True when the local date (day number) is a holiday. */
  isHoliday(day: number): boolean;
};

type YearSource = (year: number) => Iterable<number>;

/** Month and day packed as month * 100 + day, the key of a yearly holiday. */
function monthDayKey(day: number): number {
  const c = civilFromDays(day);
  return c.month * 100 + c.day;
}

let countryCatalog: Holidays | null = null;

function catalog(): Holidays {
  countryCatalog ??= new Holidays();
  return countryCatalog;
}

function countrySource(countryInput: unknown, regionInput: unknown, path: string): YearSource {
  // `{ "country": "DE-BY" }` (one ISO 3166-2 code) means country DE, region BY.
  const combined = typeof countryInput === 'string' && regionInput === undefined ? /^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$/.exec(countryInput) : null;
  const country = combined ? combined[1] : countryInput;
  const region = combined ? combined[2] : regionInput;
  if (typeof country !== 'string' || !Object.hasOwn(catalog().getCountries() ?? {}, country.toUpperCase())) {
    throw new CalendarError(`${path}.country`, `unknown country ${JSON.stringify(countryInput)} (expected an ISO 3166-1 code known to date-holidays)`);
  }
  const code = country.toUpperCase();
  let state: string | undefined;
  if (region !== undefined) {
    // Accept both "BY" and the ISO 3166-2 spelling "DE-BY".
    const bare = typeof region === 'string' ? region.toUpperCase().replace(new RegExp(`^${code}-`), '') : '';
    if (!Object.hasOwn(catalog().getStates(code) ?? {}, bare)) {
      throw new CalendarError(`${path}.region`, `unknown region ${JSON.stringify(region)} of ${code}`);
    }
    state = bare;
  }
  const library = state === undefined ? new Holidays(code) : new Holidays(code, state);
  return (year) => {
    const days: number[] = [];
    // A multi-day holiday (Eid, Lunar New Year) may begin in the previous year.
    for (const y of [year - 1, year]) {
      for (const holiday of library.getHolidays(y)) {
        // Only 'public' days close a business: 'bank' (bank staff only), 'optional' (employee's
        // choice), 'school' and 'observance' (no day off) would close offices that are open.
        // Public holidays that begin mid-day (CN Women's Day afternoon, Christmas Eve afternoon
        // in GT/IS) are half days, often for part of the population; closing the whole date would
        // be wrong more often than right, so they are not counted.
        if (holiday.type !== 'public') continue;
        const [datePart = '', timePart = ''] = holiday.date.split(' ');
        if (timePart !== '00:00:00') continue;
        const first = parseIsoDate(datePart);
        if (first === null) continue;
        // Whole days only: a holiday that ends part-way through its last day (TR's 3.75-day Ramazan
        // Bayramı ends at 18:00) leaves that day open; the two hours of slack absorb a DST change.
        const length = Math.max(1, Math.floor((holiday.end.getTime() - holiday.start.getTime() + 2 * 3_600_000) / DAY_MS));
        for (let d = first; d < first + length; d++) days.push(d);
      }
    }
    return days;
  };
}

function icsSource(ics: unknown, timezone: string, path: string): YearSource {
  if (typeof ics !== 'string') throw new CalendarError(`${path}.ics`, 'expected iCalendar text');
  let feed: IcsFeed;
  try {
    feed = compileIcsFeed(ics, timezone);
  } catch (error) {
    if (error instanceof IcsParseError) throw new CalendarError(`${path}.ics`, error.message);
    throw error;
  }
  return (year) => feed.closedDays(daysFromCivil(year, 1, 1), daysFromCivil(year, 12, 31));
}

function parseDate(text: unknown, path: string): number {
  const day = typeof text === 'string' ? parseIsoDate(text) : null;
  if (day === null) throw new CalendarError(path, `${JSON.stringify(text)} is not a valid YYYY-MM-DD date`);
  return day;
}

export function compileHolidays(specs: readonly HolidaySpec[] | undefined, timezone: string): HolidayCalendar {
  if (specs === undefined || specs === null) return { isHoliday: () => false };
  if (!Array.isArray(specs)) throw new CalendarError('holidays', 'expected a list');
  const single = new Set<number>();
  const yearly = new Set<number>();
  const sources: YearSource[] = [];
  specs.forEach((spec: unknown, i) => {
    const path = `holidays[${i}]`;
    if (typeof spec === 'string') single.add(parseDate(spec, path));
    else if (typeof spec !== 'object' || spec === null) throw new CalendarError(path, 'expected a date, {date}, {country} or {ics}');
    else if ('date' in spec) {
      const day = parseDate(spec.date, `${path}.date`);
      if ('yearly' in spec && spec.yearly === true) yearly.add(monthDayKey(day));
      else single.add(day);
    } else if ('country' in spec) {
      sources.push(countrySource(spec.country, 'region' in spec ? spec.region : undefined, path));
    } else if ('ics' in spec) sources.push(icsSource(spec.ics, timezone, path));
    else throw new CalendarError(path, 'expected a date, {date}, {country} or {ics}');
  });
  if (sources.length === 0 && yearly.size === 0) return { isHoliday: (day) => single.has(day) };

  const byYear = new Map<number, Set<number>>();
  const yearSet = (year: number): Set<number> => {
    let set = byYear.get(year);
    if (set === undefined) {
      set = new Set<number>();
      const first = daysFromCivil(year, 1, 1);
      const last = daysFromCivil(year, 12, 31);
      for (const source of sources) for (const d of source(year)) if (d >= first && d <= last) set.add(d);
      byYear.set(year, set);
    }
    return set;
  };
  // Yearly 02-29 closes Feb 29 only; in other years there is no such date to close.
  return {
    isHoliday(day) {
      if (single.has(day)) return true;
      if (yearly.size > 0 && yearly.has(monthDayKey(day))) return true;
      return sources.length > 0 && yearSet(civilFromDays(day).year).has(day);
    },
  };
}
