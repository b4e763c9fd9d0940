import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHistory } from '../src/app/import/import-history.ts';
import { exportCommand, fileOut } from '../src/cli/commands/export.ts';
import { reimportMapping, type ExportTicket } from '../src/core/reports/export-format.ts';
import { parseCsv } from '../src/core/import/csv.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// GET /api/v1/exports/tickets and `replyby export tickets` (issue 18 item 4, docs/export.md) on three tickets
// whose history is known: T1 e-mail, answered and solved; T2 phone, high, its subject a spreadsheet formula;
// T3 e-mail, never answered, created a day later. T1 and T2 are created at the same instant (the test clock),
// so paging one ticket at a time must break the tie by id.

let t: TestApp;
let agent: string;
let sup: string;
const numbers: Record<string, number> = {};

async function ok(method: 'POST' | 'PATCH', url: string, token: string, body: unknown) {
  const res = await t.call(method, url, token, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, unknown>;
}

async function raw(url: string, token: string | null = sup): Promise<{ status: number; type: string; text: string }> {
  const res = await t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), text: res.body };
}
const jsonl = (text: string): ExportTicket[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportTicket);

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
  t.clock.set('2025-03-10T08:00:00Z');
  numbers.T1 = (await ok('POST', '/api/v1/tickets', agent, { subject: 'Printer on fire', message: 'T1 is broken', requester: { email: 'anna@acme.example' } })).number as number;
  numbers.T2 = (await ok('POST', '/api/v1/tickets', agent, { subject: '=HYPERLINK("http://x")', message: 'line one\nline "two", three', requester: { email: 'ben@globex.example' }, channel: 'phone', priority: 'high' })).number as number;
  t.clock.set('2025-03-10T08:30:00Z');
  await ok('POST', `/api/v1/tickets/${numbers.T1}/messages`, agent, { body: 'On our way', internal: false });
  t.clock.set('2025-03-10T11:00:00Z');
  await ok('PATCH', `/api/v1/tickets/${numbers.T1}`, agent, { status: 'solved' });
  t.clock.set('2025-03-11T09:00:00Z');
  numbers.T3 = (await ok('POST', '/api/v1/tickets', agent, { subject: 'Invoice', message: 'Where is my invoice?', requester: { email: 'oleg@acme.example' } })).number as number;
  t.clock.set('2025-03-12T12:00:00Z');
});
afterAll(() => t.close());

describe('GET /api/v1/exports/tickets', () => {
  it('streams JSON Lines: one ticket per line in creation order, its events and messages nested', async () => {
    const res = await raw('/api/v1/exports/tickets?format=jsonl');
    expect(res.status, res.text).toBe(200);
    expect(res.type).toMatch(/^application\/x-ndjson/);
    const lines = jsonl(res.text);
    expect(lines.map((l) => l.number).slice(2)).toEqual([numbers.T3]);
    expect(new Set(lines.slice(0, 2).map((l) => l.number))).toEqual(new Set([numbers.T1, numbers.T2]));
    const t1 = lines.find((l) => l.number === numbers.T1);
    expect(t1).toMatchObject({ ref: `#${numbers.T1}`, subject: 'Printer on fire', status: 'solved', channel: 'api', requester: 'anna@acme.example', organization: 'Acme',
      created_at: '2025-03-10T08:00:00.000Z', first_responded_at: '2025-03-10T08:30:00.000Z', solved_at: '2025-03-10T11:00:00.000Z', description: 'T1 is broken', imported: null });
    expect(t1?.messages.map((m) => [m.author_kind, m.author, m.body_text, m.created_at])).toEqual([
      ['contact', 'anna@acme.example', 'T1 is broken', '2025-03-10T08:00:00.000Z'], ['user', 'alex@test.dev', 'On our way', '2025-03-10T08:30:00.000Z']]);
    // The events are the ticket's log, in order, as the database holds it.
    const [{ n } = { n: 0 }] = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_events e JOIN tickets x ON x.id = e.ticket_id WHERE x.number = $1', [numbers.T1]);
    expect(t1?.events.length).toBe(n);
    expect(t1?.events.map((e) => e.seq)).toEqual([...(t1?.events.map((e) => e.seq) ?? [])].sort((a, b) => a - b));
    expect(t1?.events.some((e) => e.kind === 'status_changed' && (e.after as { status: string }).status === 'solved' && e.actor === 'alex@test.dev')).toBe(true);
  });

  it('pages by (created_at, id): one ticket per page gives the same export as one page', async () => {
    const whole = await raw('/api/v1/exports/tickets?format=jsonl');
    const paged = await raw('/api/v1/exports/tickets?format=jsonl&batch=1');
    expect(paged.text).toBe(whole.text);
    const csvWhole = await raw('/api/v1/exports/tickets?format=csv&kind=events');
    const csvPaged = await raw('/api/v1/exports/tickets?format=csv&kind=events&batch=2');
    expect(csvPaged.text).toBe(csvWhole.text);
  });

  it('writes CSV one file per kind, formula-safe, rows matching the JSON Lines', async () => {
    const lines = jsonl((await raw('/api/v1/exports/tickets?format=jsonl')).text);
    const tickets = await raw('/api/v1/exports/tickets?format=csv');
    expect(tickets.type).toMatch(/^text\/csv/);
    const table = parseCsv(tickets.text, ',');
    expect(table.problems).toEqual([]);
    expect(table.header.slice(0, 4)).toEqual(['ticket', 'number', 'subject', 'status']);
    const t2 = table.records.find((r) => r.cells[1] === String(numbers.T2));
    expect(t2?.cells[2]).toBe('\'=HYPERLINK("http://x")');
    expect(t2?.cells.slice(3, 8)).toEqual(['new', 'high', 'normal', expect.any(String), 'phone']);
    const events = parseCsv((await raw('/api/v1/exports/tickets?format=csv&kind=events')).text, ',');
    expect(events.records.length).toBe(lines.reduce((a, l) => a + l.events.length, 0));
    const messages = parseCsv((await raw('/api/v1/exports/tickets?format=csv&kind=messages')).text, ',');
    expect(messages.header).toEqual(['ticket', 'kind', 'author_kind', 'author', 'created_at', 'body_text']);
    expect(messages.records.map((r) => r.cells[5])).toContain('line one\nline "two", three');
  });

  it('filters like the reports: period on created_at, channel, priority', async () => {
    const day = jsonl((await raw('/api/v1/exports/tickets?format=jsonl&from=2025-03-11T00:00:00Z&to=2025-03-12T00:00:00Z')).text);
    expect(day.map((l) => l.number)).toEqual([numbers.T3]);
    const phone = jsonl((await raw('/api/v1/exports/tickets?format=jsonl&channel=phone')).text);
    expect(phone.map((l) => l.number)).toEqual([numbers.T2]);
    const none = await raw('/api/v1/exports/tickets?format=csv&priority=urgent');
    expect(none.text.split('\r\n').filter(Boolean)).toHaveLength(1); // the header alone
  });

  it('is for supervisors and admins; bad parameters are a 400 naming the field', async () => {
    expect((await raw('/api/v1/exports/tickets?format=jsonl', null)).status).toBe(401);
    expect((await raw('/api/v1/exports/tickets?format=jsonl', agent)).status).toBe(403);
    expect((await raw('/api/v1/exports/tickets?format=jsonl', await t.signIn('admin@test.dev'))).status).toBe(200);
    const cases: [string, string][] = [
      ['format=xml', 'format'], ['', 'format'], ['format=jsonl&kind=events', 'kind'], ['format=csv&kind=people', 'kind'],
      ['format=csv&from=yesterday', 'from'], ['format=csv&from=2025-03-12T00:00:00Z&to=2025-03-11T00:00:00Z', 'to'],
      ['format=csv&channel=fax', 'channel'], ['format=csv&batch=0', 'batch'], ['format=csv&color=red', ''],
    ];
    for (const [query, field] of cases) {
      const res = await t.call('GET', `/api/v1/exports/tickets?${query}`, sup);
      expect(res.status, query).toBe(400);
      if (field) expect(res.body.error.path, query).toBe(field);
    }
  });
});

describe('replyby export tickets', () => {
  const run = async (args: string[]) => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const stderr: string[] = [];
    const code = await exportCommand(args, { stdout, stderr: { write: (s: string) => stderr.push(s) } as unknown as NodeJS.WritableStream, openOut: fileOut },
      async () => ({ ctx: t.ctx, close: async () => undefined }));
    return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: stderr.join('') };
  };

  it('writes the same export as the API to standard output or a file', async () => {
    const api = await raw('/api/v1/exports/tickets?format=jsonl&channel=email');
    const out = await run(['tickets', '--format', 'jsonl', '--channel=email']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(api.text);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'export-')), 'events.csv');
    const toFile = await run(['tickets', '--format=csv', '--kind', 'events', '--out', file]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe((await raw('/api/v1/exports/tickets?format=csv&kind=events')).text);
  });

  it('ends quietly with exit 0 when the reader closes the pipe early (`| head`)', async () => {
    let taken = 0;
    const closedPipe = new Writable({
      write(_chunk, _enc, done) {
        taken += 1;
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const stderr: string[] = [];
    const code = await exportCommand(['tickets', '--format', 'jsonl'], { stdout: closedPipe, stderr: { write: (s: string) => stderr.push(s) } as unknown as NodeJS.WritableStream, openOut: fileOut },
      async () => ({ ctx: t.ctx, close: async () => undefined }));
    expect(code).toBe(0);
    expect(taken).toBe(1);
    expect(stderr.join('')).toBe('');
  });

  it('exits 2 naming the option when the command line is wrong', async () => {
    for (const [args, text] of [[['tickets'], /--format/], [['people', '--format', 'csv'], /"tickets"/], [['tickets', '--format', 'xml'], /--format: must be one of/],
      [['tickets', '--format', 'csv', '--group-id', 'x'], /--group-id: must be a UUID/], [['tickets', '--format', 'csv', '--colour', 'red'], /unknown option --colour/]] as const) {
      const res = await run([...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(text);
      expect(res.stdout).toBe('');
    }
  });
});

describe('round trip: export → import', () => {
  // Into the same database under another source (a second database costs this file seconds of PGlite start-up):
  // the imported copies are told apart by `imported`, and group, requester and type are found by name as they
  // would be created in a fresh one.
  it('brings back each ticket\'s fields, dates and opening message', async () => {
    const exported = (await raw('/api/v1/exports/tickets?format=jsonl')).text;
    const report = await importHistory(t.ctx, null, { kind: 'tickets', fileName: 'tickets.jsonl', text: exported, mapping: reimportMapping('replyby-test'), dryRun: false });
    expect(report.errors).toEqual([]);
    expect(report.tickets_written).toBe(3);
    const all = jsonl((await raw('/api/v1/exports/tickets?format=jsonl')).text);
    const back = all.filter((l) => l.imported?.source === 'replyby-test');
    const before = jsonl(exported);
    const same = (l: ExportTicket) => ({ subject: l.subject, status: l.status, priority: l.priority, urgency: l.urgency, type: l.type, channel: l.channel, group: l.group,
      requester: l.requester, created_at: l.created_at, solved_at: l.solved_at, closed_at: l.closed_at, description: l.description });
    expect(back.map(same).sort(bySubject)).toEqual(before.map(same).sort(bySubject));
    expect(back.map((l) => l.imported?.external_id).sort()).toEqual(before.map((l) => String(l.number)).sort());
    // The history is rebuilt by the importer — created, the opening message, the solve —, not copied event by event.
    const t1 = back.find((l) => l.subject === 'Printer on fire');
    expect(t1?.events.map((e) => e.kind)).toEqual(['created', 'message_added', 'status_changed']);
    expect(t1?.events.map((e) => e.created_at)).toEqual(['2025-03-10T08:00:00.000Z', '2025-03-10T08:00:00.000Z', '2025-03-10T11:00:00.000Z']);
    // Importing the same export again creates nothing.
    const again = await importHistory(t.ctx, null, { kind: 'tickets', fileName: 'tickets.jsonl', text: exported, mapping: reimportMapping('replyby-test'), dryRun: false });
    expect(again.tickets_existing).toBe(3);
  });
});

const bySubject = (a: { subject: string }, b: { subject: string }) => a.subject.localeCompare(b.subject);
