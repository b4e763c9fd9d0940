import { describe, expect, it } from 'vitest';
import { onDuty, rosterSchema } from './roster.ts';
import { parseRosterCsv, parseRosterIcs } from './roster-import.ts';

const at = (iso: string) => new Date(iso).getTime();

describe('parseRosterCsv', () => {
  it('reads weekly split shifts, exceptions and on call per agent', () => {
    const csv = [
      'agent,kind,day,start,end,zone,country',
      'ana@example.com,weekly,mon,09:00,12:00,Europe/Sofia,BG',
      'ana@example.com,weekly,mon,13:00,17:00,,',
      'ana@example.com,leave,2026-12-14,,,,',
      'ana@example.com,swap,2026-12-15,,,,',
      'ana@example.com,on_call,2026-12-12,22:00,06:00,,',
      'bo@example.com,weekly,sat,10:00,14:00,UTC,',
    ].join('\n');
    const { rosters, problems } = parseRosterCsv(csv);
    expect(problems).toEqual([]);
    expect(rosters.map((r) => r.agent)).toEqual(['ana@example.com', 'bo@example.com']);
    const ana = rosterSchema.parse(rosters[0]?.roster);
    expect(ana.weekly.mon).toEqual([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]);
    expect(ana.exceptions).toEqual([{ date: '2026-12-14', kind: 'leave', shifts: [] }, { date: '2026-12-15', kind: 'swap', shifts: [] }]);
    expect(ana.on_call).toEqual([{ start: '2026-12-12T22:00', end: '2026-12-13T06:00' }]);
    expect(onDuty(ana, at('2026-12-07T08:00:00Z')).onShift).toBe(true);
    expect(onDuty(ana, at('2026-12-14T08:00:00Z')).onShift).toBe(false);
  });

  it('names the line of every bad row and returns no roster of an agent without a zone', () => {
    const csv = [
      'agent,kind,day,start,end,zone',
      'ana@example.com,weekly,monday,09:00,17:00,UTC',
      'ana@example.com,weekly,tue,9am,17:00,',
      'ana@example.com,holiday,2026-12-24,,,',
      'ana@example.com,extra,2026-02-30,09:00,12:00,',
      'ana@example.com,weekly,wed,09:00,17:00,Mars/Base',
      'not-an-address,weekly,mon,09:00,17:00,UTC',
      'cy@example.com,weekly,mon,09:00,17:00,',
      'ana@example.com,weekly,thu,09:00',
    ].join('\n');
    const { problems } = parseRosterCsv(csv);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(problems[0]?.message).toMatch(/day "monday" must be mon/);
    expect(problems[1]?.message).toMatch(/start "9am"/);
    expect(problems[2]?.message).toMatch(/kind "holiday"/);
    expect(problems[3]?.message).toMatch(/2026-02-30/);
    expect(problems[4]?.message).toMatch(/Mars\/Base/);
    expect(problems[6]?.message).toMatch(/no zone for cy@example.com/);
    expect(problems[7]?.message).toMatch(/values/);
    // The current roster's zone stands in for a file that gives none.
    expect(parseRosterCsv('agent,kind,day,start,end\ncy@example.com,weekly,mon,09:00,17:00', () => 'Asia/Shanghai').rosters[0]?.roster.zone).toBe('Asia/Shanghai');
    expect(parseRosterCsv('who,kind,day\nx@y.z,weekly,mon').problems[0]).toEqual({ line: 1, message: expect.stringMatching(/no "agent" column/) });
  });
});

const ics = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');

describe('parseRosterIcs', () => {
  it('turns a weekly RRULE into the pattern, EXDATEs into leave, single events into extras, on call and sickness', () => {
    const text = ics(
      'BEGIN:VEVENT', 'UID:1', 'DTSTART;TZID=Europe/Berlin:20261207T090000', 'DTEND;TZID=Europe/Berlin:20261207T170000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE', 'EXDATE;TZID=Europe/Berlin:20261208T090000', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:2', 'DTSTART:20261212T090000Z', 'DTEND:20261212T130000Z', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:3', 'DTSTART;VALUE=DATE:20261216', 'DTEND;VALUE=DATE:20261218', 'CATEGORIES:SICKNESS', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:4', 'DTSTART:20261219T180000', 'DTEND:20261220T060000', 'CATEGORIES:On-call', 'END:VEVENT',
    );
    const { roster, problems } = parseRosterIcs(text, 'Europe/Berlin');
    expect(problems).toEqual([]);
    const r = rosterSchema.parse(roster);
    expect(r.weekly).toEqual({ mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }] });
    expect(r.exceptions).toEqual([
      { date: '2026-12-08', kind: 'leave', shifts: [] },
      { date: '2026-12-12', kind: 'extra', shifts: [{ start: '10:00', end: '14:00' }] }, // 09:00Z is 10:00 in Berlin
      { date: '2026-12-16', kind: 'sickness', shifts: [] },
      { date: '2026-12-17', kind: 'sickness', shifts: [] },
    ]);
    expect(r.on_call).toEqual([{ start: '2026-12-19T18:00', end: '2026-12-20T06:00' }]);
  });

  it('refuses unsupported events by the line of their BEGIN:VEVENT', () => {
    const text = ics(
      'BEGIN:VEVENT', 'UID:1', 'DTSTART:20261207T090000', 'DTEND:20261207T170000', 'RRULE:FREQ=DAILY', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:2', 'DTSTART:20261207T090000', 'DTEND:20261207T170000', 'RRULE:FREQ=WEEKLY;INTERVAL=2', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:3', 'DTSTART:20261207T090000', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:4', 'DTSTART;VALUE=DATE:20261207', 'END:VEVENT',
    );
    const { roster, problems } = parseRosterIcs(text, 'UTC');
    expect(roster).toBeNull();
    expect(problems.map((p) => p.line)).toEqual([4, 10, 16, 20]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/only weekly/), expect.stringMatching(/INTERVAL/), expect.stringMatching(/neither DTEND nor DURATION/), expect.stringMatching(/all-day/),
    ]);
    expect(parseRosterIcs('BEGIN:VCALENDAR\nnonsense line\nEND:VCALENDAR', 'UTC').problems[0]?.line).toBe(2);
  });
});
