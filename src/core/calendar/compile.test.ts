import { describe, expect, it } from 'vitest';
import { CalendarError, CalendarHorizonError, compileCalendar } from './index.ts';
import type { CalendarSpec, HoursInterval } from './index.ts';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant in test: ${iso}`);
  return t;
};
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const HOUR = 3_600_000;
const MIN = 60_000;

const nineToFive: HoursInterval[] = [['09:00', '17:00']];
const weekdays = (hours: readonly HoursInterval[]): CalendarSpec['hours'] => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
});
const everyDay = (hours: readonly HoursInterval[]): CalendarSpec['hours'] => ({
  ...weekdays(hours),
  sat: hours,
  sun: hours,
});
const berlinOffice: CalendarSpec = { timezone: 'Europe/Berlin', hours: weekdays(nineToFive) };

type AddCase = { name: string; spec: CalendarSpec | null; from: string; minutes: number; due: string };

describe('addBusinessMs', () => {
  const cases: AddCase[] = [
    { name: 'spec example 1: 24/7 is plain arithmetic', spec: null, from: '2025-03-07T10:00:00Z', minutes: 60, due: '2025-03-07T11:00:00Z' },
    { name: 'spec example 2: Friday 16:30 + 60 min → Monday 09:30', spec: berlinOffice, from: '2025-03-07T16:30:00+01:00', minutes: 60, due: '2025-03-10T09:30:00+01:00' },
    { name: 'spec example 3: Friday 16:00 + 60 min → Friday 17:00, not Monday 09:00', spec: berlinOffice, from: '2025-03-07T16:00:00+01:00', minutes: 60, due: '2025-03-07T17:00:00+01:00' },
    {
      name: 'spec example 5: 120 min from 01:30 on the spring-forward Sunday → 04:30',
      spec: { timezone: 'Europe/Berlin', hours: everyDay([['00:00', '24:00']]) },
      from: '2025-03-30T01:30:00+01:00',
      minutes: 120,
      due: '2025-03-30T04:30:00+02:00',
    },
    { name: 'start on a Saturday waits for Monday 09:00', spec: berlinOffice, from: '2025-03-08T12:00:00+01:00', minutes: 30, due: '2025-03-10T09:30:00+01:00' },
    { name: 'start exactly at closing counts from the next opening', spec: berlinOffice, from: '2025-03-07T17:00:00+01:00', minutes: 480, due: '2025-03-10T17:00:00+01:00' },
    { name: 'a full day from opening ends at closing', spec: berlinOffice, from: '2025-03-10T09:00:00+01:00', minutes: 480, due: '2025-03-10T17:00:00+01:00' },
    { name: 'across the spring change week (CET → CEST)', spec: berlinOffice, from: '2025-03-28T16:00:00+01:00', minutes: 120, due: '2025-03-31T10:00:00+02:00' },
    { name: 'across the autumn change week (CEST → CET)', spec: berlinOffice, from: '2025-10-24T16:00:00+02:00', minutes: 120, due: '2025-10-27T10:00:00+01:00' },
    {
      name: 'New York every day 00:00–24:00 over spring forward (23 h day)',
      spec: { timezone: 'America/New_York', hours: everyDay([['00:00', '24:00']]) },
      from: '2025-03-09T00:00:00-05:00',
      minutes: 23 * 60,
      due: '2025-03-10T00:00:00-04:00',
    },
    {
      name: 'New York every day 00:00–24:00 over fall back (25 h day)',
      spec: { timezone: 'America/New_York', hours: everyDay([['00:00', '24:00']]) },
      from: '2025-11-02T00:00:00-04:00',
      minutes: 25 * 60,
      due: '2025-11-03T00:00:00-05:00',
    },
    { name: 'Asia/Kolkata (+05:30) weekend skip', spec: { timezone: 'Asia/Kolkata', hours: weekdays(nineToFive) }, from: '2025-03-07T16:30:00+05:30', minutes: 60, due: '2025-03-10T09:30:00+05:30' },
    { name: 'Asia/Kathmandu (+05:45) weekend skip', spec: { timezone: 'Asia/Kathmandu', hours: weekdays(nineToFive) }, from: '2025-03-07T16:30:00+05:45', minutes: 60, due: '2025-03-10T09:30:00+05:45' },
    {
      name: 'Australia/Lord_Howe 30-minute spring forward: 00:00–06:00 holds 5.5 h',
      spec: { timezone: 'Australia/Lord_Howe', hours: everyDay([['00:00', '06:00']]) },
      from: '2025-10-05T00:00:00+10:30',
      minutes: 330,
      due: '2025-10-05T06:00:00+11:00',
    },
    {
      name: 'Australia/Lord_Howe 30-minute fall back: 00:00–06:00 holds 6.5 h',
      spec: { timezone: 'Australia/Lord_Howe', hours: everyDay([['00:00', '06:00']]) },
      from: '2025-04-06T00:00:00+11:00',
      minutes: 390,
      due: '2025-04-06T06:00:00+10:30',
    },
    {
      name: 'lunch break: 12:00 + 60 min → 14:00',
      spec: { timezone: 'Europe/Berlin', hours: weekdays([['09:00', '12:30'], ['13:30', '17:00']]) },
      from: '2025-03-10T12:00:00+01:00',
      minutes: 60,
      due: '2025-03-10T14:00:00+01:00',
    },
    {
      name: 'lunch break: a due landing on 12:30 stays at 12:30',
      spec: { timezone: 'Europe/Berlin', hours: weekdays([['09:00', '12:30'], ['13:30', '17:00']]) },
      from: '2025-03-10T12:00:00+01:00',
      minutes: 30,
      due: '2025-03-10T12:30:00+01:00',
    },
    {
      name: 'split shift 06:00–10:00 and 18:00–22:00',
      spec: { timezone: 'Europe/Berlin', hours: { sat: [['06:00', '10:00'], ['18:00', '22:00']] } },
      from: '2025-03-08T09:00:00+01:00',
      minutes: 120,
      due: '2025-03-08T19:00:00+01:00',
    },
    {
      name: 'overnight 22:00–06:00: Friday night runs into Saturday, then Monday night',
      spec: { timezone: 'Europe/Berlin', hours: weekdays([['22:00', '06:00']]) },
      from: '2025-03-07T23:00:00+01:00',
      minutes: 8 * 60,
      due: '2025-03-10T23:00:00+01:00',
    },
    {
      name: 'overnight tail merged with the next day 05:00–09:00',
      spec: { timezone: 'Europe/Berlin', hours: { mon: [['22:00', '06:00']], tue: [['05:00', '09:00']] } },
      from: '2025-03-10T22:00:00+01:00',
      minutes: 11 * 60,
      due: '2025-03-11T09:00:00+01:00',
    },
    {
      name: '"24:00" runs into the next day without a break',
      spec: { timezone: 'Europe/Berlin', hours: { wed: [['09:00', '24:00']], thu: [['00:00', '03:00']] } },
      from: '2025-03-12T23:00:00+01:00',
      minutes: 120,
      due: '2025-03-13T01:00:00+01:00',
    },
    {
      name: '"23:59" is the minute 23:59, so a minute is missing before midnight',
      spec: { timezone: 'Europe/Berlin', hours: { wed: [['09:00', '23:59']], thu: [['00:00', '03:00']] } },
      from: '2025-03-12T23:00:00+01:00',
      minutes: 120,
      due: '2025-03-13T01:01:00+01:00',
    },
    {
      name: 'seconds are exact',
      spec: berlinOffice,
      from: '2025-03-07T16:59:30.250+01:00',
      minutes: 1,
      due: '2025-03-10T09:00:30.250+01:00',
    },
    {
      name: 'across a year boundary with an overnight shift on New Year\'s Eve',
      spec: { timezone: 'Europe/Berlin', hours: everyDay([['22:00', '02:00']]) },
      from: '2025-12-31T23:00:00+01:00',
      minutes: 4 * 60,
      due: '2026-01-01T23:00:00+01:00',
    },
  ];
  it.each(cases)('$name', ({ spec, from, minutes, due }) => {
    expect(iso(compileCalendar(spec).addBusinessMs(at(from), minutes * MIN))).toBe(iso(at(due)));
  });

  it('add(t, 0) is t whether open or closed', () => {
    const cal = compileCalendar(berlinOffice);
    for (const t of ['2025-03-08T12:00:00Z', '2025-03-10T10:00:00+01:00', '2025-03-10T17:00:00+01:00']) {
      expect(cal.addBusinessMs(at(t), 0)).toBe(at(t));
    }
  });

  it('rejects negative and non-finite inputs', () => {
    const cal = compileCalendar(berlinOffice);
    expect(() => cal.addBusinessMs(0, -1)).toThrow(RangeError);
    expect(() => cal.addBusinessMs(Number.NaN, 1)).toThrow(RangeError);
  });
});

type BetweenCase = { name: string; spec: CalendarSpec; from: string; to: string; ms: number };

describe('businessMsBetween', () => {
  const berlinNight = (hours: HoursInterval[]): CalendarSpec => ({ timezone: 'Europe/Berlin', hours: everyDay(hours) });
  const nyNight = (hours: HoursInterval[]): CalendarSpec => ({ timezone: 'America/New_York', hours: everyDay(hours) });
  const cases: BetweenCase[] = [
    { name: 'Friday 16:00 → Monday 10:00 is 2 h', spec: berlinOffice, from: '2025-03-07T16:00:00+01:00', to: '2025-03-10T10:00:00+01:00', ms: 2 * HOUR },
    { name: 'Berlin 00:00–06:00 on the spring-forward day holds 5 h', spec: berlinNight([['00:00', '06:00']]), from: '2025-03-30T00:00:00+01:00', to: '2025-03-31T00:00:00+02:00', ms: 5 * HOUR },
    { name: 'Berlin 00:00–06:00 on the fall-back day holds 7 h', spec: berlinNight([['00:00', '06:00']]), from: '2025-10-26T00:00:00+02:00', to: '2025-10-27T00:00:00+01:00', ms: 7 * HOUR },
    { name: 'New York 00:00–06:00 on the spring-forward day holds 5 h', spec: nyNight([['00:00', '06:00']]), from: '2025-03-09T00:00:00-05:00', to: '2025-03-10T00:00:00-04:00', ms: 5 * HOUR },
    { name: 'New York 00:00–06:00 on the fall-back day holds 7 h', spec: nyNight([['00:00', '06:00']]), from: '2025-11-02T00:00:00-04:00', to: '2025-11-03T00:00:00-05:00', ms: 7 * HOUR },
    { name: 'Berlin 00:00–24:00 on the spring-forward day holds 23 h', spec: berlinNight([['00:00', '24:00']]), from: '2025-03-30T00:00:00+01:00', to: '2025-03-31T00:00:00+02:00', ms: 23 * HOUR },
    { name: 'gap start: 02:30–05:00 on spring-forward day opens at 03:30 (1.5 h)', spec: berlinNight([['02:30', '05:00']]), from: '2025-03-30T00:00:00+01:00', to: '2025-03-31T00:00:00+02:00', ms: 1.5 * HOUR },
    { name: 'overlap start: 02:30–05:00 on fall-back day opens at the first 02:30 (3.5 h)', spec: berlinNight([['02:30', '05:00']]), from: '2025-10-26T00:00:00+02:00', to: '2025-10-27T00:00:00+01:00', ms: 3.5 * HOUR },
    { name: 'overlap end: 00:00–02:30 on fall-back day ends at the first 02:30 (2.5 h)', spec: berlinNight([['00:00', '02:30']]), from: '2025-10-26T00:00:00+02:00', to: '2025-10-27T00:00:00+01:00', ms: 2.5 * HOUR },
    { name: 'New York gap start 02:30 → 03:30 EDT', spec: nyNight([['02:30', '05:00']]), from: '2025-03-09T00:00:00-05:00', to: '2025-03-10T00:00:00-04:00', ms: 1.5 * HOUR },
    { name: 'New York overlap 01:30–03:00 starts at the first 01:30 (2.5 h)', spec: nyNight([['01:30', '03:00']]), from: '2025-11-02T00:00:00-04:00', to: '2025-11-03T00:00:00-05:00', ms: 2.5 * HOUR },
    { name: 'gap swallows a whole interval 02:15–02:45', spec: berlinNight([['02:15', '02:45']]), from: '2025-03-30T00:00:00+01:00', to: '2025-03-31T00:00:00+02:00', ms: 30 * MIN },
    { name: 'lunch break day holds 7 h', spec: { timezone: 'Europe/Berlin', hours: weekdays([['09:00', '12:30'], ['13:30', '17:00']]) }, from: '2025-03-10T00:00:00+01:00', to: '2025-03-11T00:00:00+01:00', ms: 7 * HOUR },
    { name: 'empty when b <= a', spec: berlinOffice, from: '2025-03-10T12:00:00+01:00', to: '2025-03-10T11:00:00+01:00', ms: 0 },
    { name: 'a whole 2025 of Mon–Fri 09–17 (261 weekdays × 8 h)', spec: berlinOffice, from: '2025-01-01T00:00:00+01:00', to: '2026-01-01T00:00:00+01:00', ms: 261 * 8 * HOUR },
    { name: 'several years: 2024–2026 (262 + 261 + 261 weekdays)', spec: berlinOffice, from: '2024-01-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00', ms: (262 + 261 + 261) * 8 * HOUR },
  ];
  it.each(cases)('$name', ({ spec, from, to, ms }) => {
    expect(compileCalendar(spec).businessMsBetween(at(from), at(to))).toBe(ms);
  });
});

type OpenCase = { name: string; spec: CalendarSpec; t: string; open: boolean; next: string | null };

describe('isOpen and nextOpening', () => {
  const lunch: CalendarSpec = { timezone: 'Europe/Berlin', hours: weekdays([['09:00', '12:30'], ['13:30', '17:00']]) };
  const nights: CalendarSpec = { timezone: 'Europe/Berlin', hours: weekdays([['22:00', '06:00']]) };
  const berlinNight: CalendarSpec = { timezone: 'Europe/Berlin', hours: everyDay([['02:30', '05:00']]) };
  const cases: OpenCase[] = [
    { name: 'opening instant is open', spec: berlinOffice, t: '2025-03-10T09:00:00+01:00', open: true, next: '2025-03-10T09:00:00+01:00' },
    { name: 'a millisecond before opening is closed', spec: berlinOffice, t: '2025-03-10T08:59:59.999+01:00', open: false, next: '2025-03-10T09:00:00+01:00' },
    { name: 'a millisecond before closing is open', spec: berlinOffice, t: '2025-03-10T16:59:59.999+01:00', open: true, next: '2025-03-10T16:59:59.999+01:00' },
    { name: 'closing instant is closed (half-open)', spec: berlinOffice, t: '2025-03-10T17:00:00+01:00', open: false, next: '2025-03-11T09:00:00+01:00' },
    { name: 'Friday closing → Monday', spec: berlinOffice, t: '2025-03-07T17:00:00+01:00', open: false, next: '2025-03-10T09:00:00+01:00' },
    { name: 'start of lunch is closed', spec: lunch, t: '2025-03-10T12:30:00+01:00', open: false, next: '2025-03-10T13:30:00+01:00' },
    { name: 'end of lunch is open', spec: lunch, t: '2025-03-10T13:30:00+01:00', open: true, next: '2025-03-10T13:30:00+01:00' },
    { name: 'Saturday 05:00 in the Friday-night shift', spec: nights, t: '2025-03-08T05:00:00+01:00', open: true, next: '2025-03-08T05:00:00+01:00' },
    { name: 'Saturday 06:00 ends the week → Monday 22:00', spec: nights, t: '2025-03-08T06:00:00+01:00', open: false, next: '2025-03-10T22:00:00+01:00' },
    { name: 'Monday 03:00 is not open (no Sunday shift)', spec: nights, t: '2025-03-10T03:00:00+01:00', open: false, next: '2025-03-10T22:00:00+01:00' },
    { name: 'gap-shifted opening: 02:30 becomes 03:30', spec: berlinNight, t: '2025-03-30T00:00:00+01:00', open: false, next: '2025-03-30T03:30:00+02:00' },
    { name: 'overlap: first 02:15 is before the opening', spec: berlinNight, t: '2025-10-26T02:15:00+02:00', open: false, next: '2025-10-26T02:30:00+02:00' },
    { name: 'overlap: second 02:15 is inside', spec: berlinNight, t: '2025-10-26T02:15:00+01:00', open: true, next: '2025-10-26T02:15:00+01:00' },
  ];
  it.each(cases)('$name', ({ spec, t, open, next }) => {
    const cal = compileCalendar(spec);
    expect(cal.isOpen(at(t))).toBe(open);
    expect(iso(cal.nextOpening(at(t)))).toBe(next === null ? null : iso(at(next)));
  });

  it('24/7 is always open', () => {
    const cal = compileCalendar(null);
    expect(cal.isOpen(123)).toBe(true);
    expect(cal.nextOpening(123)).toBe(123);
  });
});

describe('search horizon', () => {
  // A daily ICS rule closes every date: valid input, but nothing ever opens.
  const everyDayClosed: CalendarSpec = {
    timezone: 'Europe/Berlin',
    hours: weekdays(nineToFive),
    holidays: [{ ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' }],
  };
  it('nextOpening returns null', () => {
    expect(compileCalendar(everyDayClosed).nextOpening(at('2025-01-01T00:00:00Z'))).toBeNull();
  });
  it('addBusinessMs throws CalendarHorizonError', () => {
    expect(() => compileCalendar(everyDayClosed).addBusinessMs(at('2025-01-01T00:00:00Z'), MIN)).toThrow(CalendarHorizonError);
  });
  it('a far but reachable opening is found (holidays for three years)', () => {
    const dates = Array.from({ length: 3 * 366 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));
    const cal = compileCalendar({ ...berlinOffice, holidays: dates });
    expect(iso(cal.nextOpening(at('2025-01-01T00:00:00Z')))).toBe(iso(at('2028-01-04T09:00:00+01:00')));
  });
});

type InvalidCase = { name: string; spec: unknown; path: string };

describe('invalid calendars', () => {
  const withHours = (hours: unknown): unknown => ({ timezone: 'Europe/Berlin', hours });
  const withHolidays = (third: unknown): unknown => ({ ...berlinOffice, holidays: ['2025-12-25', { date: '2025-12-24', yearly: true }, third] });
  const cases: InvalidCase[] = [
    { name: 'unknown IANA zone', spec: { timezone: 'Mars/Olympus_Mons', hours: weekdays(nineToFive) }, path: 'timezone' },
    { name: 'raw offset instead of a zone', spec: { timezone: '+02:00', hours: weekdays(nineToFive) }, path: 'timezone' },
    { name: '"25:00"', spec: withHours({ mon: [['09:00', '25:00']] }), path: 'hours.mon[0][1]' },
    { name: '"9:00" without leading zero', spec: withHours({ mon: [['9:00', '17:00']] }), path: 'hours.mon[0][0]' },
    { name: '"12:60"', spec: withHours({ mon: [['09:00', '12:60']] }), path: 'hours.mon[0][1]' },
    { name: '"24:00" as a start', spec: withHours({ mon: [['24:00', '06:00']] }), path: 'hours.mon[0][0]' },
    { name: 'not a pair', spec: withHours({ mon: [['09:00']] }), path: 'hours.mon[0]' },
    { name: 'overlapping intervals of one day', spec: withHours({ tue: [['09:00', '12:00'], ['11:00', '13:00']] }), path: 'hours.tue[1]' },
    { name: 'overnight overlapping a later interval of the same day', spec: withHours({ tue: [['22:00', '06:00'], ['23:00', '23:30']] }), path: 'hours.tue[1]' },
    { name: 'no open hours at all (empty object)', spec: withHours({}), path: 'hours' },
    { name: 'no open hours at all (empty days)', spec: withHours({ mon: [], sun: [] }), path: 'hours' },
    { name: 'unknown weekday', spec: withHours({ monday: [['09:00', '17:00']] }), path: 'hours.monday' },
    { name: 'bad holiday date string', spec: withHolidays('2025-02-30'), path: 'holidays[2]' },
    { name: 'bad holiday date format', spec: withHolidays('25-12-2025'), path: 'holidays[2]' },
    { name: 'bad yearly holiday date', spec: withHolidays({ date: '2025-13-01', yearly: true }), path: 'holidays[2].date' },
    { name: 'unknown country', spec: withHolidays({ country: 'XX' }), path: 'holidays[2].country' },
    { name: 'unknown region', spec: withHolidays({ country: 'DE', region: 'ZZ' }), path: 'holidays[2].region' },
    { name: 'not iCalendar text', spec: withHolidays({ ics: 'hello' }), path: 'holidays[2].ics' },
    { name: 'unknown holiday shape', spec: withHolidays({ when: '2025-01-01' }), path: 'holidays[2]' },
  ];
  it.each(cases)('$name → $path', ({ spec, path }) => {
    let caught: unknown;
    try {
      compileCalendar(spec as CalendarSpec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CalendarError);
    expect((caught as CalendarError).path).toBe(path);
  });

  it('accepts an overnight tail overlapping the next day (merged, not an error)', () => {
    expect(() => compileCalendar({ timezone: 'Europe/Berlin', hours: { mon: [['22:00', '06:00']], tue: [['05:00', '09:00']] } })).not.toThrow();
  });
});
