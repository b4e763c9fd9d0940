import { describe, expect, it } from 'vitest';
import { IcsParseError, parseIcsHolidays } from './index.ts';

const ics = (...lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n');

describe('parseIcsHolidays', () => {
  it.each([
    {
      name: 'yearly all-day rule over three years',
      text: ics('BEGIN:VEVENT', 'UID:a', 'DTSTART;VALUE=DATE:20200101', 'RRULE:FREQ=YEARLY', 'END:VEVENT'),
      dates: ['2024-01-01', '2025-01-01', '2026-01-01'],
    },
    {
      name: 'multi-day all-day event, DTEND exclusive',
      text: ics('BEGIN:VEVENT', 'UID:b', 'DTSTART;VALUE=DATE:20241231', 'DTEND;VALUE=DATE:20250102', 'END:VEVENT'),
      dates: ['2024-12-31', '2025-01-01'],
    },
    {
      name: 'timed event ending at midnight touches one date',
      text: ics('BEGIN:VEVENT', 'UID:c', 'DTSTART:20250505T200000', 'DTEND:20250506T000000', 'END:VEVENT'),
      dates: ['2025-05-05'],
    },
    {
      name: 'moved occurrence (RECURRENCE-ID override)',
      text: ics(
        'BEGIN:VEVENT', 'UID:d', 'DTSTART;VALUE=DATE:20250601', 'RRULE:FREQ=YEARLY;COUNT=2', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:d', 'RECURRENCE-ID;VALUE=DATE:20260601', 'DTSTART;VALUE=DATE:20260603', 'END:VEVENT',
      ),
      dates: ['2025-06-01', '2026-06-03'],
    },
    { name: 'empty calendar', text: ics(), dates: [] },
  ])('$name', ({ text, dates }) => {
    expect(parseIcsHolidays(text, { timezone: 'Europe/Berlin', fromYear: 2024, toYear: 2026 })).toEqual(dates);
  });

  it.each(['', 'hello', 'BEGIN:VEVENT\r\nEND:VEVENT\r\n', ics('BEGIN:VEVENT', 'UID:x', 'END:VEVENT')])('rejects %j', (text) => {
    expect(() => parseIcsHolidays(text, { timezone: 'Europe/Berlin', fromYear: 2025, toYear: 2025 })).toThrow(IcsParseError);
  });
});
