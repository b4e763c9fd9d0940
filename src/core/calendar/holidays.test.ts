import { describe, expect, it } from 'vitest';
import { compileCalendar } from './index.ts';
import type { CalendarSpec, HolidaySpec, HoursInterval } from './index.ts';

const at = (iso: string): number => Date.parse(iso);
const nineToFive: HoursInterval[] = [['09:00', '17:00']];
const office = (timezone: string, holidays: HolidaySpec[]): CalendarSpec => ({
  timezone,
  hours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
  holidays,
});

const ics = (...lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//replyby//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const icsFeed = ics(
  'BEGIN:VEVENT',
  'UID:independence@test',
  'DTSTART;VALUE=DATE:20200704',
  'DTEND;VALUE=DATE:20200705',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Yearly',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:christmas-2025@test',
  'DTSTART;VALUE=DATE:20251224',
  'DTEND;VALUE=DATE:20251227',
  'SUMMARY:Christmas break (DTEND exclusive: 24, 25, 26)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:timed@test',
  'DTSTART:20251111T220000Z',
  'DTEND:20251112T010000Z',
  'SUMMARY:Timed, 23:00–02:00 Berlin: touches the 11th and the 12th',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:ny@test',
  'DTSTART;TZID=America/New_York:20251204T200000',
  'DTEND;TZID=America/New_York:20251204T210000',
  'SUMMARY:20:00 New York is 02:00 next day in Berlin',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTART;VALUE=DATE:20250901',
  'RRULE:FREQ=WEEKLY;COUNT=3',
  'EXDATE;VALUE=DATE:20250908',
  'SUMMARY:Three Mondays, the second excluded',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:cancelled@test',
  'DTSTART;VALUE=DATE:20251002',
  'STATUS:CANCELLED',
  'SUMMARY:Cancelled events close nothing',
  'END:VEVENT',
);

type OpenCase = { name: string; spec: CalendarSpec; t: string; open: boolean };

describe('holidays close whole local dates', () => {
  const cases: OpenCase[] = [
    { name: 'single date closed', spec: office('Europe/Berlin', ['2025-12-25']), t: '2025-12-25T10:00:00+01:00', open: false },
    { name: 'single date: day after open', spec: office('Europe/Berlin', ['2025-12-25']), t: '2025-12-26T10:00:00+01:00', open: true },
    { name: 'single date: same date next year open', spec: office('Europe/Berlin', ['2025-12-25']), t: '2026-12-25T10:00:00+01:00', open: true },
    { name: 'yearly: 2025', spec: office('Europe/Berlin', [{ date: '2024-12-24', yearly: true }]), t: '2025-12-24T10:00:00+01:00', open: false },
    { name: 'yearly: 2026', spec: office('Europe/Berlin', [{ date: '2024-12-24', yearly: true }]), t: '2026-12-24T10:00:00+01:00', open: false },
    { name: 'yearly: before the given year too', spec: office('Europe/Berlin', [{ date: '2024-12-24', yearly: true }]), t: '2020-12-24T10:00:00+01:00', open: false },
    { name: 'non-yearly {date} is one date', spec: office('Europe/Berlin', [{ date: '2025-12-24', name: 'Eve' }]), t: '2026-12-24T10:00:00+01:00', open: true },
    { name: 'DE-BY: Epiphany 2025-01-06 closed', spec: office('Europe/Berlin', [{ country: 'DE', region: 'BY' }]), t: '2025-01-06T10:00:00+01:00', open: false },
    { name: 'DE-BE: Epiphany 2025-01-06 open', spec: office('Europe/Berlin', [{ country: 'DE', region: 'BE' }]), t: '2025-01-06T10:00:00+01:00', open: true },
    { name: 'DE-BE: Women\'s Day 2024-03-08 closed', spec: office('Europe/Berlin', [{ country: 'DE', region: 'BE' }]), t: '2024-03-08T10:00:00+01:00', open: false },
    { name: 'region in ISO 3166-2 spelling "DE-BY"', spec: office('Europe/Berlin', [{ country: 'DE', region: 'DE-BY' }]), t: '2025-01-06T10:00:00+01:00', open: false },
    { name: 'DE-BY: Christmas Eve is a bank holiday only → open', spec: office('Europe/Berlin', [{ country: 'DE', region: 'BY' }]), t: '2025-12-24T10:00:00+01:00', open: true },
    { name: 'DE-BY: Good Friday 2026 (movable) closed', spec: office('Europe/Berlin', [{ country: 'DE', region: 'BY' }]), t: '2026-04-03T10:00:00+02:00', open: false },
    { name: 'RU: Russia Day 2025-06-12 closed', spec: office('Europe/Moscow', [{ country: 'RU' }]), t: '2025-06-12T10:00:00+03:00', open: false },
    { name: 'RU: 2025-06-11 open', spec: office('Europe/Moscow', [{ country: 'RU' }]), t: '2025-06-11T10:00:00+03:00', open: true },
    { name: 'CN: National Day 2025-10-01 closed', spec: office('Asia/Shanghai', [{ country: 'CN' }]), t: '2025-10-01T10:00:00+08:00', open: false },
    { name: 'CN: Spring Festival 2025-01-29 closed', spec: office('Asia/Shanghai', [{ country: 'CN' }]), t: '2025-01-29T10:00:00+08:00', open: false },
    { name: 'CN: Army Day afternoon (half day, military only) is not a closed date', spec: office('Asia/Shanghai', [{ country: 'CN' }]), t: '2025-08-01T10:00:00+08:00', open: true },
    { name: 'BG: Liberation Day 2025-03-03 closed', spec: office('Europe/Sofia', [{ country: 'BG' }]), t: '2025-03-03T10:00:00+02:00', open: false },
    { name: 'US-CA: César Chávez Day 2025-03-31 closed', spec: office('America/Los_Angeles', [{ country: 'US', region: 'CA' }]), t: '2025-03-31T10:00:00-07:00', open: false },
    { name: 'US-NY: 2025-03-31 open', spec: office('America/New_York', [{ country: 'US', region: 'NY' }]), t: '2025-03-31T10:00:00-04:00', open: true },
    { name: 'one ISO 3166-2 code as the country: {country: "DE-BY"}', spec: office('Europe/Berlin', [{ country: 'DE-BY' }]), t: '2025-01-06T10:00:00+01:00', open: false },
    { name: 'TR: Ramazan Bayramı 2025 (sunset Mar 29 + 90 h) closes Mar 30–Apr 1', spec: office('Europe/Istanbul', [{ country: 'TR' }]), t: '2025-04-01T10:00:00+03:00', open: false },
    { name: 'TR: … and not Apr 2, where it ends at noon', spec: office('Europe/Istanbul', [{ country: 'TR' }]), t: '2025-04-02T10:00:00+03:00', open: true },
    { name: 'TR: Kurban Bayramı 2025 closes Jun 6–9', spec: office('Europe/Istanbul', [{ country: 'TR' }]), t: '2025-06-09T10:00:00+03:00', open: false },
    { name: 'TR: … and Jun 10 is open', spec: office('Europe/Istanbul', [{ country: 'TR' }]), t: '2025-06-10T10:00:00+03:00', open: true },
    { name: 'lower-case country code', spec: office('Europe/Berlin', [{ country: 'de' }]), t: '2025-10-03T10:00:00+02:00', open: false },
    { name: 'ICS yearly RRULE: 2025-07-04', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-07-04T10:00:00+02:00', open: false },
    { name: 'ICS yearly RRULE: 2030-07-04', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2030-07-04T10:00:00+02:00', open: false },
    { name: 'ICS yearly RRULE: 2025-07-03 open', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-07-03T10:00:00+02:00', open: true },
    { name: 'ICS all-day event first date', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-12-24T10:00:00+01:00', open: false },
    { name: 'ICS all-day event last date', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-12-26T10:00:00+01:00', open: false },
    { name: 'ICS all-day DTEND is exclusive', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-12-29T10:00:00+01:00', open: true },
    { name: 'ICS timed event: start date', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-11-11T10:00:00+01:00', open: false },
    { name: 'ICS timed event: end date (touched after midnight)', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-11-12T10:00:00+01:00', open: false },
    { name: 'ICS timed event: following date open', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-11-13T10:00:00+01:00', open: true },
    { name: 'ICS TZID event converted to the calendar zone: Berlin date is the 5th', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-12-05T10:00:00+01:00', open: false },
    { name: 'ICS TZID event: Berlin 4th is open', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-12-04T10:00:00+01:00', open: true },
    { name: 'ICS TZID event in its own zone: New York date is the 4th', spec: office('America/New_York', [{ ics: icsFeed }]), t: '2025-12-04T10:00:00-05:00', open: false },
    { name: 'ICS weekly COUNT: first Monday', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-09-01T10:00:00+02:00', open: false },
    { name: 'ICS weekly EXDATE: second Monday open', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-09-08T10:00:00+02:00', open: true },
    { name: 'ICS weekly COUNT: third Monday', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-09-15T10:00:00+02:00', open: false },
    { name: 'ICS weekly COUNT: fourth Monday open', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-09-22T10:00:00+02:00', open: true },
    { name: 'ICS cancelled event closes nothing', spec: office('Europe/Berlin', [{ ics: icsFeed }]), t: '2025-10-02T10:00:00+02:00', open: true },
  ];
  it.each(cases)('$name', ({ spec, t, open }) => {
    expect(compileCalendar(spec).isOpen(at(t))).toBe(open);
  });
});

describe('holidays and overnight shifts', () => {
  const nights: CalendarSpec = {
    timezone: 'Europe/Berlin',
    hours: { mon: [['22:00', '06:00']], tue: [['22:00', '06:00']], wed: [['22:00', '06:00']] },
    holidays: ['2025-03-11'],
  };
  const cal = compileCalendar(nights);
  it.each([
    { name: 'the tail of Monday night stays on the Tuesday holiday', t: '2025-03-11T05:00:00+01:00', open: true },
    { name: 'the shift starting on the holiday is removed', t: '2025-03-11T23:00:00+01:00', open: false },
    { name: 'and so is its tail on Wednesday morning', t: '2025-03-12T05:00:00+01:00', open: false },
  ])('$name', ({ t, open }) => {
    expect(cal.isOpen(at(t))).toBe(open);
  });
  it('after the tail ends, the next opening is Wednesday 22:00', () => {
    expect(cal.nextOpening(at('2025-03-11T06:00:00+01:00'))).toBe(at('2025-03-12T22:00:00+01:00'));
  });
  it('a holiday on New Year\'s Day keeps the tail of the New Year\'s Eve shift', () => {
    const nye = compileCalendar({ timezone: 'Europe/Berlin', hours: { wed: [['22:00', '06:00']], thu: [['22:00', '06:00']] }, holidays: [{ date: '2020-01-01', yearly: true }] });
    expect(nye.businessMsBetween(at('2025-12-31T00:00:00+01:00'), at('2026-01-03T00:00:00+01:00'))).toBe(8 * 3_600_000);
  });
});
