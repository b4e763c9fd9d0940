import { describe, expect, it } from 'vitest';
import { jsonRows } from '../import/source-rows.ts';
import { exportChunk, RawJson, type ExportTicket } from './export-format.ts';

const ticket = (n: number, events: number): ExportTicket => ({
  number: n, ref: `#${n}`, subject: n === 2 ? '@SUM(A1)' : `T${n}`, status: 'open', priority: 'normal', urgency: 'normal', type: 'question', channel: 'email',
  group: null, assignee: null, requester: 'a@b.example', requester_name: 'A', organization: null, tags: ['x', 'y'], language: 'en',
  created_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z', first_responded_at: null, solved_at: null, closed_at: null,
  imported: null, description: 'hi',
  events: Array.from({ length: events }, (_, i) => ({ seq: i + 1, kind: 'created', actor_kind: 'system', actor: null, before: null, after: { status: 'new' }, created_at: '2025-01-01T00:00:00.000Z' })),
  messages: [],
});

describe('exportChunk', () => {
  it('puts the CSV header on the first page only, one row per event for kind=events', () => {
    const first = exportChunk('csv', 'events', [ticket(1, 2)], true);
    const next = exportChunk('csv', 'events', [ticket(2, 1)], false);
    expect(first.split('\r\n')[0]).toBe('ticket,seq,kind,actor_kind,actor,before,after,created_at');
    expect(first.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(next).toBe('#2,1,created,system,,,"{""status"":""new""}",2025-01-01T00:00:00.000Z\r\n');
  });

  it('keeps tickets formula-safe and JSON Lines one object per line', () => {
    expect(exportChunk('csv', 'tickets', [ticket(2, 0)], false)).toMatch(/^#2,2,'@SUM\(A1\),open,/);
    const text = exportChunk('jsonl', 'tickets', [ticket(1, 1), ticket(2, 0)], true);
    expect(text.split('\n').map((l) => (l ? (JSON.parse(l) as ExportTicket).number : null))).toEqual([1, 2, null]);
  });
});

describe('JSON Lines with the JSON PostgreSQL wrote', () => {
  it('splices before/after as they are: the line is the ticket JSON.stringify would write, key for key', () => {
    const parsed = { ...ticket(3, 0), events: [
      { seq: 1, kind: 'status_changed', actor_kind: 'user', actor: 'a"b@c.example', before: { status: 'new' }, after: { status: 'open', note: 'line\nbreak "q"' }, created_at: '2025-01-01T00:00:00.123Z' },
      { seq: 2, kind: 'created', actor_kind: 'system', actor: null, before: null, after: [1, 2.5, null], created_at: '2025-01-01T00:00:01.000Z' }] };
    // As jsonb::text writes them: one line, a space after each colon and comma, keys in jsonb's order.
    const pgText = ['{"status": "new"}', '{"note": "line\\nbreak \\"q\\"", "status": "open"}', null, '[1, 2.5, null]'];
    const raw = { ...parsed, events: parsed.events.map((e, i) => ({ ...e, before: pgText[2 * i] ? new RawJson(pgText[2 * i] ?? '') : null, after: new RawJson(pgText[2 * i + 1] ?? '') })) };
    const line = exportChunk('jsonl', 'tickets', [raw], true);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(Object.keys(parsed));
    expect(JSON.parse(line)).toEqual(JSON.parse(exportChunk('jsonl', 'tickets', [parsed], true)));
    expect(exportChunk('csv', 'events', [raw], false)).toContain('"{""status"": ""new""}"');
  });
});

describe('jsonRows reads JSON Lines', () => {
  it('one record per line, named by its line; a broken line is that line\'s problem', () => {
    const table = jsonRows('{"number":1,"events":[{"seq":1}]}\n\n{"number":2}\nnot json\n');
    expect(table).not.toHaveProperty('error');
    if ('error' in table) return;
    expect(table.rows.map((r) => [r.ref, r.values.number])).toEqual([['line 1', '1'], ['line 3', '2']]);
    expect(table.rows[0]?.values.events).toBe('[{"seq":1}]');
    expect(table.problems).toEqual([{ ref: 'line 4', message: 'is not an object' }]);
  });

  it('a single line is one ticket; a JSON array is still a ticket file', () => {
    const one = jsonRows('{"number":7}\n');
    expect('error' in one ? one.error : one.rows.map((r) => r.ref)).toEqual(['line 1']);
    const arr = jsonRows('[{"number":7}]');
    expect('error' in arr ? arr.error : arr.rows.map((r) => r.ref)).toEqual(['record 1']);
  });
});
