import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { importHistory } from '../../src/app/import/import-history.ts';
import { exportTickets } from '../../src/app/reports/export-tickets.ts';
import type { Db } from '../../src/store/db.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// On PostgreSQL the export is one statement built in SQL and streamed by COPY (app/reports/export-copy-sql.ts); on
// PGlite it is keyset pages built in node (core/reports/export-format.ts, csv.ts), which test/export.test.ts pins.
// Here both run over the same PostgreSQL database and must write the same bytes, on texts chosen to break one of
// them: JSON escapes (quotes, backslashes, control characters, U+2028, astral characters), CSV quoting and formula
// defusing (=, +, -, @, tab first; commas, quotes, CR and LF inside), empty strings against nulls, tags, an imported
// ticket, instants with microseconds, and ticket creation times that tie.

let t: TestApp;
let sup: string;
let copyCtx: AppContext;
let pagedCtx: AppContext;

const NASTY = 'quote " backslash \\ tab \t bell \u0007 nul-ish \u001f line\u2028sep ünï 中文 😀 -1';

async function ok(method: 'POST' | 'PATCH', url: string, body: unknown) {
  const res = await t.call(method, url, sup, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, unknown>;
}

async function text(ctx: AppContext, query: Record<string, string>): Promise<string> {
  const out = exportTickets(ctx, null, query);
  const parts: Buffer[] = [];
  for await (const chunk of out.chunks) parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(parts).toString('utf8');
}

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  const paged: Db = { ...t.ctx.db };
  delete paged.copyText;
  copyCtx = t.ctx;
  pagedCtx = { ...t.ctx, db: paged };
  t.clock.set('2025-03-10T08:00:00Z');
  const a = (await ok('POST', '/api/v1/tickets', { subject: `=HYPERLINK("x") ${NASTY}`, message: `first\r\nsecond, "third"\n${NASTY}`, requester: { email: 'anna@acme.example' } })).number as number;
  const b = (await ok('POST', '/api/v1/tickets', { subject: '+plus', message: '@at the start', requester: { email: 'ben@globex.example', name: 'Ben' }, channel: 'phone', priority: 'high' })).number as number;
  const c = (await ok('POST', '/api/v1/tickets', { subject: '-minus', message: 'minus', requester: { email: 'oleg@acme.example' } })).number as number;
  t.clock.set('2025-03-10T09:15:00Z');
  await ok('POST', `/api/v1/tickets/${a}/messages`, { body: `reply with ${NASTY}`, internal: false });
  await ok('POST', `/api/v1/tickets/${b}/messages`, { body: 'internal, note', internal: true });
  await ok('PATCH', `/api/v1/tickets/${a}`, { status: 'solved' });
  await ok('PATCH', `/api/v1/tickets/${c}`, { priority: 'low' });
  // What the API does not write: tags with a quote, an empty language against a null one, microseconds.
  await t.ctx.db.query(`UPDATE tickets SET tags = ARRAY['vip', 'say "hi"', '=x'], language = '' WHERE number = $1`, [a]);
  await t.ctx.db.query(`UPDATE contacts SET name = E'\\tTab name' WHERE email = 'oleg@acme.example'`);
  await t.ctx.db.query(`UPDATE tickets SET language = NULL, created_at = created_at + interval '123456 microseconds' WHERE number = $1`, [c]);
  t.clock.set('2025-03-11T10:00:00Z');
  const file = ['case,created,status,subject,description', `EXT-1,2025-02-01T10:00:00Z,solved,"Imported, ""old""","=1+1 opening"`].join('\n');
  const report = await importHistory(t.ctx, null, {
    kind: 'tickets', fileName: 'old.csv', text: file, dryRun: false,
    mapping: { source: 'old-desk', case_id: 'case', timestamp: { column: 'created' }, fields: { created_at: { column: 'created' }, status: { column: 'status' }, subject: { column: 'subject' }, description: { column: 'description' } } },
  });
  expect(report.errors).toEqual([]);
});
afterAll(() => t.close());

describe('the export on PostgreSQL: COPY built in SQL against the paged reference', () => {
  it('is the COPY path here (the database has it) and writes every ticket', async () => {
    expect(copyCtx.db.copyText).toBeTypeOf('function');
    const lines = (await text(copyCtx, { format: 'jsonl' })).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { subject: string; tags: string[]; imported: unknown });
    expect(lines).toHaveLength(4);
    expect(lines[0]?.subject).toBe('Imported, "old"');
    expect(lines.some((l) => l.subject === `=HYPERLINK("x") ${NASTY}` && l.tags.includes('say "hi"'))).toBe(true);
  });

  const queries: Record<string, string>[] = [
    { format: 'jsonl' }, { format: 'csv' }, { format: 'csv', kind: 'events' }, { format: 'csv', kind: 'messages' },
    { format: 'jsonl', from: '2025-03-10T00:00:00Z', to: '2025-03-11T00:00:00Z' }, { format: 'csv', kind: 'messages', channel: 'phone' },
    { format: 'jsonl', priority: 'low' }, { format: 'csv', from: '2025-03-12T00:00:00Z' },
  ];
  for (const q of queries) {
    it(`writes the same bytes as the paged path: ${new URLSearchParams(q).toString()}`, async () => {
      const [copied, paged] = [await text(copyCtx, q), await text(pagedCtx, { ...q, batch: '1' })];
      expect(copied.length).toBeGreaterThan(0);
      expect(copied).toBe(paged);
    });
  }

  it('runs two COPY exports at once at most; a third streams by pages, the same bytes, and COPY is used again once one ends', async () => {
    let copies = 0;
    const base = t.ctx.db;
    const copyText = base.copyText;
    if (!copyText) throw new Error('PostgreSQL has copyText');
    const db: Db = { ...base, copyText: (sql, params) => { copies += 1; return copyText(sql, params); } };
    const ctx = { ...t.ctx, db };
    // Two downloads in progress: each has taken its first chunk and holds its COPY.
    const held = [1, 2].map(() => exportTickets(ctx, null, { format: 'jsonl' }).chunks[Symbol.asyncIterator]());
    for (const chunks of held) expect((await chunks.next()).done).toBe(false);
    expect(copies).toBe(2);
    expect(await text(ctx, { format: 'jsonl' })).toBe(await text(pagedCtx, { format: 'jsonl' }));
    expect(copies).toBe(2);
    for (const chunks of held) await chunks.return?.(undefined);
    expect(await text(ctx, { format: 'jsonl' })).toBe(await text(pagedCtx, { format: 'jsonl' }));
    expect(copies).toBe(3);
  });

  it('defuses formulas and quotes cells in the CSV it builds', async () => {
    const csv = await text(copyCtx, { format: 'csv' });
    expect(csv).toContain(`,"'=HYPERLINK(""x"") quote "" backslash`);
    expect(csv).toContain(',\'+plus,');
    expect(csv).toContain(',\'-minus,');
    expect(csv).toContain('"vip say ""hi"" =x"');
    expect(csv).toContain(',oleg@acme.example,\'\tTab name,');
    const messages = await text(copyCtx, { format: 'csv', kind: 'messages' });
    expect(messages).toContain(",'=1+1 opening\r\n");
    expect(messages).toMatch(/,"first\r?\nsecond, ""third""\n/);
    expect(messages).toContain(',\'@at the start\r\n');
  });
});
