// Rosters from files (planning spec §3): a CSV of many agents' shifts, or one agent's iCalendar feed.
// Pure: text in, roster documents (not yet validated against rosterSchema) and line-numbered problems out.
// The caller applies them all or none.

import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import { parseCsv } from '../import/csv.ts';
import { EXCEPTION_KINDS, WEEKDAYS, type RosterInput } from './roster.ts';

export type ImportProblem = { line: number; message: string };
type Shift = { start: string; end: string };
type Exception = { date: string; kind: (typeof EXCEPTION_KINDS)[number]; shifts: Shift[]; note?: string };

/** One agent's roster as read from a file, with the line each agent first appears on (for later errors). */
export type ImportedRoster = { agent: string; line: number; roster: RosterInput };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const validDate = (d: string) => DATE.test(d) && DateTime.fromISO(d).isValid;
const nextDay = (d: string) => DateTime.fromISO(d).plus({ days: 1 }).toISODate() ?? d;

export const ROSTER_CSV_KINDS = ['weekly', ...EXCEPTION_KINDS, 'on_call'] as const;
const ROSTER_CSV_COLUMNS = ['agent', 'kind', 'day', 'start', 'end', 'zone', 'country', 'note'] as const;

type Draft = { line: number; zone: string | null; country: string | null; weekly: Record<string, Shift[]>; exceptions: Exception[]; onCall: { start: string; end: string }[] };

/**
 * The CSV import. Columns (header row, columns in whatever order; `agent`, `kind` and `day` required):
 * `agent` (e-mail), `kind` (weekly | leave | sickness | swap | extra | on_call), `day` (mon…sun for weekly, a date
 * otherwise), `start`/`end` (HH:MM; an end at or before the start runs past midnight), `zone` and `country` (the
 * agent's; the first row that gives them sets them), `note`. Each agent named is given exactly the roster the file
 * describes. `zoneOf(agent)`: the zone of the agent's current roster, used when the file gives none.
 */
export function parseRosterCsv(text: string, zoneOf: (agent: string) => string | null = () => null): { rosters: ImportedRoster[]; problems: ImportProblem[] } {
  const table = parseCsv(text);
  const problems: ImportProblem[] = [...table.problems];
  const col = new Map(table.header.map((h, i) => [h.toLowerCase(), i]));
  for (const need of ['agent', 'kind', 'day'] as const) if (!col.has(need)) problems.push({ line: 1, message: `the header has no "${need}" column` });
  const unknown = table.header.filter((h) => !(ROSTER_CSV_COLUMNS as readonly string[]).includes(h.toLowerCase()));
  if (unknown.length) problems.push({ line: 1, message: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (expected ${ROSTER_CSV_COLUMNS.join(', ')})` });
  if (problems.some((p) => p.line === 1)) return { rosters: [], problems };

  const drafts = new Map<string, Draft>();
  for (const record of table.records) {
    const cell = (name: (typeof ROSTER_CSV_COLUMNS)[number]) => {
      const i = col.get(name);
      return i === undefined ? '' : (record.cells[i] ?? '').trim();
    };
    const fail = (message: string) => problems.push({ line: record.line, message });
    const agent = cell('agent').toLowerCase();
    if (record.cells.every((c) => c.trim() === '')) continue;
    if (!/^[^@\s]+@[^@\s]+$/.test(agent)) { fail(`agent ${JSON.stringify(cell('agent'))} is not an e-mail address`); continue; }
    let draft = drafts.get(agent);
    if (!draft) drafts.set(agent, (draft = { line: record.line, zone: null, country: null, weekly: {}, exceptions: [], onCall: [] }));
    const zone = cell('zone');
    if (zone) {
      if (!IANAZone.isValidZone(zone)) fail(`zone ${JSON.stringify(zone)} is not an IANA time zone`);
      else if (draft.zone && draft.zone !== zone) fail(`zone ${zone} differs from ${draft.zone} given earlier for ${agent}`);
      else draft.zone = zone;
    }
    const country = cell('country').toUpperCase();
    if (country) {
      if (draft.country && draft.country !== country) fail(`country ${country} differs from ${draft.country} given earlier for ${agent}`);
      else draft.country = country;
    }
    const kind = cell('kind').toLowerCase();
    const day = cell('day').toLowerCase();
    const start = cell('start');
    const end = cell('end');
    const note = cell('note');
    const times = (optional: boolean): Shift | null | false => {
      if (optional && !start && !end) return null;
      if (!TIME.test(start)) { fail(`start ${JSON.stringify(start)} must be a time like 09:00`); return false; }
      if (!TIME.test(end)) { fail(`end ${JSON.stringify(end)} must be a time like 17:00`); return false; }
      return { start, end };
    };
    if (kind === 'weekly') {
      if (!(WEEKDAYS as readonly string[]).includes(day)) { fail(`day ${JSON.stringify(cell('day'))} must be mon, tue, wed, thu, fri, sat or sun for a weekly shift`); continue; }
      const s = times(false);
      if (s) (draft.weekly[day] ??= []).push(s);
      continue;
    }
    if (!(ROSTER_CSV_KINDS as readonly string[]).includes(kind)) { fail(`kind ${JSON.stringify(cell('kind'))} must be one of ${ROSTER_CSV_KINDS.join(', ')}`); continue; }
    if (!validDate(day)) { fail(`day ${JSON.stringify(cell('day'))} must be a date like 2026-12-24 for ${kind}`); continue; }
    if (kind === 'on_call') {
      const s = times(false);
      if (s) draft.onCall.push({ start: `${day}T${s.start}`, end: `${s.end <= s.start ? nextDay(day) : day}T${s.end}` });
      continue;
    }
    const exceptionKind = kind as Exception['kind'];
    const s = exceptionKind === 'leave' || exceptionKind === 'sickness' ? null : times(exceptionKind === 'swap');
    if (s === false) continue;
    if (exceptionKind === 'extra' && !s) continue;
    // Several swap rows of one date make one swapped day of several shifts.
    const same = exceptionKind === 'swap' ? draft.exceptions.find((e) => e.kind === 'swap' && e.date === day) : undefined;
    if (same) { if (s) same.shifts.push(s); continue; }
    draft.exceptions.push({ date: day, kind: exceptionKind, shifts: s ? [s] : [], ...(note ? { note } : {}) });
  }
  const rosters: ImportedRoster[] = [];
  for (const [agent, d] of drafts) {
    const zone = d.zone ?? zoneOf(agent);
    if (!zone) { problems.push({ line: d.line, message: `no zone for ${agent}: give it in the zone column` }); continue; }
    rosters.push({ agent, line: d.line, roster: { zone, country: d.country, weekly: d.weekly, exceptions: d.exceptions, on_call: d.onCall } });
  }
  return { rosters, problems: problems.sort((a, b) => a.line - b.line) };
}

/** 1-based line of each BEGIN:VEVENT, in order (unfolded lines never start a component). */
function eventLines(text: string): number[] {
  const out: number[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => { if (/^BEGIN:VEVENT\s*$/i.test(l)) out.push(i + 1); });
  return out;
}

function localOf(time: ICAL.Time, tzid: string | null, zone: string): DateTime {
  const fields = { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute };
  // UTC ("…Z") or a named IANA zone is converted; a floating time or an unknown TZID is the agent's own zone.
  const source = time.zone?.tzid === 'UTC' ? 'UTC' : tzid && IANAZone.isValidZone(tzid) ? tzid : zone;
  return DateTime.fromObject(fields, { zone: source }).setZone(zone);
}

const ICAL_DAYS: Record<string, (typeof WEEKDAYS)[number]> = { MO: 'mon', TU: 'tue', WE: 'wed', TH: 'thu', FR: 'fri', SA: 'sat', SU: 'sun' };
const hm = (t: DateTime) => t.toFormat('HH:mm');

/**
 * One agent's roster from iCalendar: a weekly recurring event (RRULE FREQ=WEEKLY, BYDAY optional, INTERVAL 1,
 * no COUNT/UNTIL) is a shift of the pattern and its EXDATEs are days of leave; a single event is an extra shift,
 * or with CATEGORIES LEAVE / SICKNESS (all-day, every date it covers) an absence, or with CATEGORIES ON-CALL an
 * on-call period. Times in UTC or a named zone are converted to the agent's `zone`; floating times are in it.
 */
export function parseRosterIcs(text: string, zone: string, country: string | null = null): { roster: RosterInput | null; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  let root: ICAL.Component;
  try {
    const jcal: unknown = ICAL.parse(text);
    if (!Array.isArray(jcal) || jcal.length === 0 || Array.isArray(jcal[0])) throw new Error('expected one VCALENDAR');
    root = new ICAL.Component(jcal);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // ical.js names the offending text (last quoted in its message), not its line: find it.
    const quoted = [...message.matchAll(/"([^"]+)"/g)].pop()?.[1];
    const index = quoted ? text.split(/\r\n|\n|\r/).findIndex((l) => l.includes(quoted)) : -1;
    return { roster: null, problems: [{ line: index >= 0 ? index + 1 : 1, message: `not valid iCalendar text (${message})` }] };
  }
  const lines = eventLines(text);
  const weekly: Record<string, Shift[]> = {};
  const exceptions: Exception[] = [];
  const onCall: { start: string; end: string }[] = [];
  root.getAllSubcomponents('vevent').forEach((ev, i) => {
    const line = lines[i] ?? 1;
    const fail = (message: string) => problems.push({ line, message });
    const dtstart = ev.getFirstProperty('dtstart');
    const startTime = dtstart?.getFirstValue();
    if (!dtstart || !(startTime instanceof ICAL.Time)) { fail('the event has no DTSTART'); return; }
    const tz = (p: ICAL.Property | null) => { const v = p?.getParameter('tzid'); return typeof v === 'string' ? v : null; };
    const dtend = ev.getFirstProperty('dtend');
    const endTime = dtend?.getFirstValue();
    const duration = ev.getFirstPropertyValue('duration');
    const start = localOf(startTime, tz(dtstart), zone);
    let end: DateTime;
    if (endTime instanceof ICAL.Time) end = localOf(endTime, tz(dtend), zone);
    else if (duration instanceof ICAL.Duration) end = start.plus({ seconds: duration.toSeconds() });
    else if (startTime.isDate) end = start.plus({ days: 1 });
    else { fail('the event has neither DTEND nor DURATION'); return; }
    if (end <= start) { fail('the event ends before it starts'); return; }
    const categories = ev.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => String(v).toUpperCase().replace(/[\s_]/g, '-')));
    const rrule = ev.getFirstPropertyValue('rrule');
    if (categories.includes('ON-CALL')) {
      if (rrule) { fail('a recurring on-call event is not supported: list each on-call period'); return; }
      onCall.push({ start: start.toFormat("yyyy-MM-dd'T'HH:mm"), end: end.toFormat("yyyy-MM-dd'T'HH:mm") });
      return;
    }
    const absence = categories.find((c) => c === 'LEAVE' || c === 'SICKNESS');
    if (absence) {
      if (rrule) { fail(`a recurring ${absence.toLowerCase()} event is not supported`); return; }
      for (let d = start.startOf('day'); d < end; d = d.plus({ days: 1 })) exceptions.push({ date: d.toISODate() ?? '', kind: absence === 'LEAVE' ? 'leave' : 'sickness', shifts: [] });
      return;
    }
    if (startTime.isDate) { fail('an all-day event is a shift only with CATEGORIES LEAVE, SICKNESS or ON-CALL'); return; }
    if (end.diff(start, 'hours').hours > 24) { fail('a shift is at most 24 hours long'); return; }
    const shift = { start: hm(start), end: hm(end) };
    if (!rrule) { exceptions.push({ date: start.toISODate() ?? '', kind: 'extra', shifts: [shift] }); return; }
    if (!(rrule instanceof ICAL.Recur) || rrule.freq !== 'WEEKLY') { fail('only weekly recurrence (RRULE:FREQ=WEEKLY) makes a shift pattern'); return; }
    if ((rrule.interval ?? 1) !== 1) { fail('RRULE INTERVAL must be 1 (a pattern repeats every week)'); return; }
    if (rrule.count || rrule.until) { fail('RRULE COUNT and UNTIL are not supported: a pattern lasts until it is changed'); return; }
    const byday = rrule.parts.BYDAY;
    const days = (Array.isArray(byday) ? byday.map(String) : []).map((d) => ICAL_DAYS[d.toUpperCase()]);
    if (days.some((d) => d === undefined)) { fail('BYDAY must name weekdays (MO, TU, …) without ordinals'); return; }
    for (const d of days.length ? days : [WEEKDAYS[start.weekday - 1]]) if (d) (weekly[d] ??= []).push(shift);
    for (const ex of ev.getAllProperties('exdate')) {
      for (const v of ex.getValues()) if (v instanceof ICAL.Time) exceptions.push({ date: localOf(v, tz(ex), zone).toISODate() ?? '', kind: 'leave', shifts: [] });
    }
  });
  if (lines.length === 0) problems.push({ line: 1, message: 'the calendar has no events' });
  return { roster: problems.length ? null : { zone, country, weekly, exceptions, on_call: onCall }, problems };
}
