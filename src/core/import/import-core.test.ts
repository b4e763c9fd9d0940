import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCases, rowErrorText, type CaseHistory } from './case-history.ts';
import { parseCsv, parseCsvRecords } from './csv.ts';
import { checkColumns, parseMapping, type ImportMapping } from './mapping.ts';
import { csvRows, jsonRows } from './source-rows.ts';
import { DateTime } from 'luxon';
import { fromWall, parseTimestamp } from './timestamps.ts';

const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());

const MAPPING = {
  source: 'sn', case_id: 'number',
  timestamp: { column: 'updated', format: 'dd-MM-yyyy HH:mm', zone: 'Europe/Berlin' },
  order_by: ['mod'],
  fields: {
    status: { column: 'state', values: { New: 'new', Active: 'open', Waiting: 'pending', Resolved: 'solved', Closed: 'closed' } },
    priority: { column: 'prio', values: { '1 - Critical': 'urgent', '3 - Moderate': 'normal' } },
    group: { column: 'grp' }, assignee: { column: 'who' },
  },
  missing: ['?', ''],
};
const mapping = (over: Record<string, unknown> = {}, kind: 'events' | 'tickets' = 'events'): ImportMapping => {
  const r = parseMapping({ ...MAPPING, ...over }, kind);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.mapping;
};
const cases = (csv: string, m = mapping(), kind: 'events' | 'tickets' = 'events') => buildCases(m, csvRows(csv, ',').rows, kind);
const history = (csv: string, m = mapping(), kind: 'events' | 'tickets' = 'events'): CaseHistory => {
  const [c] = cases(csv, m, kind).cases;
  if (!c || !('history' in c)) throw new Error(`rejected: ${JSON.stringify(c)}`);
  return c.history;
};
const HEAD = 'number,state,mod,updated,prio,grp,who';

describe('CSV (RFC 4180)', () => {
  it('reads quoted delimiters, doubled quotes and line breaks, numbering records by the line they start on', () => {
    const t = parseCsv('a,b\r\n1,"x, ""y"""\r\n2,"multi\nline\nvalue"\n3,z\n');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.records.map((r) => [r.line, ...r.cells])).toEqual([[2, '1', 'x, "y"'], [3, '2', 'multi\nline\nvalue'], [6, '3', 'z']]);
    expect(t.problems).toEqual([]);
  });
  it('names the line of a record with the wrong number of values and of an unclosed quote', () => {
    const t = parseCsv('a,b\n1,2,3\n4,"open\n5,6\n');
    expect(t.problems).toEqual([{ line: 2, message: 'has 3 values, the header has 2' }, { line: 3, message: 'a quoted value is never closed (a missing ")' }]);
  });
  it('round-trips any table written by the RFC rules (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é') , maxLength: 8 });
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (rows) => {
      const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
      const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
      const read = parseCsvRecords(text);
      expect(read.records.map((r) => r.cells)).toEqual(rows);
      let line = 1;
      read.records.forEach((r, i) => {
        expect(r.line).toBe(line);
        line += rows[i]?.join('').split(/\r\n|\n|\r/).length ?? 1;
      });
    }));
  });
});

describe('timestamps', () => {
  it('reads a format in a zone, and refuses impossible dates', () => {
    expect(iso(parseTimestamp('01-03-2016 10:00', 'dd-MM-yyyy HH:mm', 'Europe/Berlin')?.at)).toBe('2016-03-01T09:00:00.000Z');
    expect(parseTimestamp('31-02-2016 10:00', 'dd-MM-yyyy HH:mm', 'UTC')).toBeNull();
    expect(iso(parseTimestamp('2016-03-01T10:00:00+02:00', undefined, 'Europe/Berlin')?.at)).toBe('2016-03-01T08:00:00.000Z');
  });
  it('moves a wall time in the spring gap forward by the gap, and gives both occurrences of an autumn one', () => {
    expect(iso(parseTimestamp('30-03-2025 02:30', 'dd-MM-yyyy HH:mm', 'Europe/Berlin')?.at)).toBe('2025-03-30T01:30:00.000Z');
    expect(iso(parseTimestamp('09-03-2025 02:30', 'dd-MM-yyyy HH:mm', 'America/New_York')?.at)).toBe('2025-03-09T07:30:00.000Z');
    const fold = parseTimestamp('26-10-2025 02:30', 'dd-MM-yyyy HH:mm', 'Europe/Berlin');
    expect([iso(fold?.at), iso(fold?.later)]).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-26T01:30:00.000Z']);
  });
});

describe('mapping', () => {
  it('names every wrong field', () => {
    const r = parseMapping({ case_id: '', timestamp: { column: 't', zone: 'Mars/Olympus' }, fields: { status: { column: 's', values: { X: 'done' } }, colour: { column: 'c' } } }, 'events');
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['source', 'case_id', 'timestamp.zone', 'fields.status.values.X', 'fields']));
  });
  it('an event log needs a timestamp and a status; a ticket file does not', () => {
    expect(parseMapping({ source: 's', case_id: 'id', fields: {} }, 'events')).toMatchObject({ ok: false, problems: [{ path: 'timestamp' }, { path: 'fields.status' }] });
    expect(parseMapping({ source: 's', case_id: 'id', fields: {} }, 'tickets').ok).toBe(true);
  });
  it('names a mapped column the file lacks', () => {
    expect(checkColumns(mapping(), ['number', 'state', 'mod', 'updated', 'prio', 'grp']).map((p) => p.path)).toEqual(['fields.assignee.column']);
  });
});

describe('event log → history', () => {
  it('turns differences between consecutive rows into changes at each row\'s time, ordered by time then order_by', () => {
    const h = history(`${HEAD}
C1,Active,2,01-03-2016 10:00,1 - Critical,Net,Ann
C1,New,0,01-03-2016 09:00,3 - Moderate,?,?
C1,Active,1,01-03-2016 10:00,1 - Critical,Net,?
C1,Resolved,3,01-03-2016 12:00,1 - Critical,Net,Ann`);
    expect(iso(h.createdAt)).toBe('2016-03-01T08:00:00.000Z');
    expect(h.initial).toMatchObject({ status: 'new', priority: 'normal', group: null, assignee: null });
    expect(h.changes.map((c) => [c.field, c.before, c.after, iso(c.at), c.ref])).toEqual([
      ['status', 'new', 'open', '2016-03-01T09:00:00.000Z', 'line 4'],
      ['priority', 'normal', 'urgent', '2016-03-01T09:00:00.000Z', 'line 4'],
      ['group', null, 'Net', '2016-03-01T09:00:00.000Z', 'line 4'],
      ['assignee', null, 'Ann', '2016-03-01T09:00:00.000Z', 'line 2'],
      ['status', 'open', 'solved', '2016-03-01T11:00:00.000Z', 'line 5'],
    ]);
    expect([h.final.status, iso(h.solvedAt), h.closedAt]).toEqual(['solved', '2016-03-01T11:00:00.000Z', null]);
  });
  it('keeps a reopened case\'s history (solved → open → solved) and its last solution', () => {
    const h = history(`${HEAD}
R,New,0,01-03-2016 09:00,?,?,?
R,Resolved,1,01-03-2016 10:00,?,?,?
R,Active,2,02-03-2016 09:00,?,?,?
R,Resolved,3,02-03-2016 11:00,?,?,?`);
    expect(h.changes.map((c) => c.after)).toEqual(['solved', 'open', 'solved']);
    expect(iso(h.solvedAt)).toBe('2016-03-02T10:00:00.000Z');
  });
  it('rejects a case whose rows go back in time against order_by, naming the line', () => {
    const out = cases(`${HEAD}
B,New,0,01-03-2016 09:00,?,?,?
B,Active,1,01-03-2016 08:00,?,?,?`);
    const [c] = out.cases;
    expect(c && 'errors' in c ? c.errors.map(rowErrorText) : []).toEqual([
      'line 3: timestamp: goes back in time: 2016-03-01T07:00:00Z is before 2016-03-01T08:00:00Z of line 2, which comes earlier by order_by',
    ]);
  });
  it('takes the second occurrence of an autumn wall time when order_by puts it after a later-looking one', () => {
    const h = history(`${HEAD}
D,New,0,26-10-2025 02:50,?,?,?
D,Resolved,1,26-10-2025 02:10,?,?,?`);
    expect([iso(h.createdAt), iso(h.solvedAt)]).toEqual(['2025-10-26T00:50:00.000Z', '2025-10-26T01:10:00.000Z']);
  });
  it('rejects an unmapped status and a bad date with line-numbered errors, all of one case', () => {
    const out = cases(`${HEAD}
E,New,0,01-03-2016 09:00,?,?,?
E,Frozen,1,31-02-2016 10:00,?,?,?
F,New,0,01-03-2016 09:00,?,?,?`);
    const [e, f] = out.cases;
    expect(e && 'errors' in e ? e.errors.map(rowErrorText) : []).toEqual([
      'line 3: updated: "31-02-2016 10:00" is not a date in "dd-MM-yyyy HH:mm"',
      'line 3: state: "Frozen" has no mapping to a status (add it to fields.status.values; one of new, open, pending, on_hold, solved, closed)',
    ]);
    expect(f && 'history' in f).toBe(true);
  });
  it('accepts a status given by its own name without a values entry', () => {
    expect(history(`${HEAD}\nG,pending,0,01-03-2016 09:00,?,?,?`).final.status).toBe('pending');
  });
});

describe('ticket file → history', () => {
  const tm = mapping({
    timestamp: undefined, order_by: [],
    fields: {
      created_at: { column: 'opened', format: 'yyyy-MM-dd HH:mm', zone: 'UTC' }, solved_at: { column: 'resolved', format: 'yyyy-MM-dd HH:mm' },
      closed_at: { column: 'closed', format: 'yyyy-MM-dd HH:mm' }, status: { column: 'state', values: { Closed: 'closed', Open: 'open', Resolved: 'solved' } },
    },
  }, 'tickets');
  const H = 'number,state,opened,resolved,closed';
  it('implies created, solved and closed events from the timestamps', () => {
    const h = history(`${H}\nT1,Closed,2024-01-02 09:00,2024-01-02 12:00,2024-01-05 12:00`, tm, 'tickets');
    expect(h.changes.map((c) => [c.after, iso(c.at)])).toEqual([['solved', '2024-01-02T12:00:00.000Z'], ['closed', '2024-01-05T12:00:00.000Z']]);
    expect([h.initial.status, h.final.status, iso(h.solvedAt), iso(h.closedAt)]).toEqual(['new', 'closed', '2024-01-02T12:00:00.000Z', '2024-01-05T12:00:00.000Z']);
  });
  it('a closed ticket without its instants is closed at the latest time the file gives', () => {
    const h = history(`${H}\nT2,Closed,2024-01-02 09:00,?,?`, tm, 'tickets');
    expect(h.changes.map((c) => c.after)).toEqual(['closed']);
    expect(iso(h.closedAt)).toBe('2024-01-02T09:00:00.000Z');
  });
  it('rejects a ticket solved before it was created, and a second row of the same ticket', () => {
    const out = cases(`${H}\nT3,Resolved,2024-01-02 09:00,2024-01-01 09:00,?\nT4,Open,2024-01-02 09:00,?,?\nT4,Open,2024-01-02 09:00,?,?`, tm, 'tickets');
    expect(out.cases.map((c) => ('errors' in c ? c.errors.map(rowErrorText)[0] : 'ok'))).toEqual([
      'line 2: resolved: goes back in time: 2024-01-01T09:00:00Z is before the case was created (2024-01-02T09:00:00Z)',
      'line 4: number: "T4" is also on line 3 (a ticket file has one row per ticket)',
    ]);
  });
  it('reads a JSON ticket file as records', () => {
    const t = jsonRows('[{"number": "J1", "state": "Open", "opened": "2024-01-02 09:00", "resolved": null, "closed": null}]');
    if ('error' in t) throw new Error(t.error);
    const [c] = buildCases(tm, t.rows, 'tickets').cases;
    expect(c && 'history' in c ? [c.ref, c.history.final.status] : c).toEqual(['record 1', 'open']);
  });
});

describe('fromWall over a whole year (the per-hour offset memo)', () => {
  // Every quarter hour of 2026 read as wall time in zones with whole-hour, half-hour and 30-minute-DST transitions:
  // the instant it came from is the answer or, in the hour repeated when clocks go back, its second occurrence.
  it.each(['Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kolkata'])('%s', (zone) => {
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t < start + 365 * 86_400_000; t += 15 * 60_000) {
      const local = DateTime.fromMillis(t, { zone });
      const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
      const got = fromWall(wall, zone);
      expect(got.at === t || got.later === t, `${zone} ${new Date(t).toISOString()} → ${new Date(got.at).toISOString()}`).toBe(true);
    }
  });
});
