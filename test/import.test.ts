import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../src/core/sla/index.ts';
import { openDb } from '../src/store/db.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Importing a history (specs/import-events.md) through the API and the CLI, on a generated event log with
// known answers: DST days in Europe/Berlin, a reopened case, a case waiting on the customer, a case going
// back in time, a bad date and an unmapped status. The expected SLA results come from the simulator's
// pure engine fed with the events written out by hand (in UTC), not from the importer.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'test/fixtures/import');
const CALENDAR = { timezone: 'Europe/Berlin', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) };
const METRICS = [{ name: 'first_response', target_minutes: 60 }, { name: 'resolution', target_minutes: 240, pause_statuses: ['pending'] }];
const NOW = '2026-01-01T00:00:00Z';

let t: TestApp;
let admin: string;
let csv: string;
let mapping: Record<string, unknown>;

const count = async (table: string): Promise<number> => Number((await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);
const counts = async () => ({
  tickets: await count('tickets'), events: await count('ticket_events'), groups: await count('groups'), users: await count('users'),
  contacts: await count('contacts'), types: await count("list_entries WHERE list = 'ticket_type'"), outbox: await count('outbox'), notifications: await count('notifications'),
});

async function runImport(body: Record<string, unknown>) {
  const started = await t.call('POST', '/api/v1/imports', admin, body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (let i = 0; i < 400; i++) {
    const got = await t.call('GET', `/api/v1/imports/${started.body.id}`, admin);
    expect(got.status).toBe(200);
    if (got.body.done) return got.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('import did not finish');
}

async function ticketOf(externalId: string) {
  const [row] = await t.ctx.db.query<{ number: number }>("SELECT number FROM tickets WHERE import_source = 'servicenow-incidents' AND external_id = $1", [externalId]);
  if (!row) throw new Error(`${externalId} was not imported`);
  const res = await t.call('GET', `/api/v1/tickets/${row.number}`, admin);
  expect(res.status).toBe(200);
  return res.body;
}

/** The simulator's answer for hand-written events under the same calendar and targets. */
function expected(events: { at: string; type: string; status?: string }[]) {
  const out = runSimulation({ calendar: CALENDAR, metrics: METRICS, pause_statuses: ['pending'], events, at: NOW });
  if (!out.ok) throw new Error(out.message);
  return out.result.metrics;
}
const pick = (m: Record<string, { status: string; elapsed_business_minutes: number | null; breached: boolean; completed_at: string | null; breached_at: string | null; due_at: string | null }>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { status: v.status, elapsed: v.elapsed_business_minutes, breached: v.breached, completed_at: v.completed_at, breached_at: v.breached_at, due_at: v.due_at }]));

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set(NOW);
  admin = await t.signIn('admin@test.dev');
  const cal = await t.call('POST', '/api/v1/sla/calendars', admin, { name: 'Berlin around the clock', spec: CALENDAR });
  expect(cal.status).toBe(201);
  const policy = await t.call('POST', '/api/v1/sla/policies', admin, { name: 'Imported', calendar_id: cal.body.id, metrics: METRICS });
  expect(policy.status).toBe(201);
  csv = await readFile(path.join(FIXTURES, 'incidents.csv'), 'utf8');
  mapping = JSON.parse(await readFile(path.join(FIXTURES, 'incidents-mapping.json'), 'utf8')) as Record<string, unknown>;
});
afterAll(() => t.close());

describe('import through the API', () => {
  it('is for admins only, and refuses a wrong mapping at once naming its field', async () => {
    const agent = await t.signIn('alex@test.dev');
    expect((await t.call('POST', '/api/v1/imports', agent, { kind: 'events', file: csv, mapping })).status).toBe(403);
    const bad = await t.call('POST', '/api/v1/imports', admin, { kind: 'events', file: csv, mapping: { ...mapping, timestamp: { column: 'sys_updated_at', zone: 'Berlin' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('mapping.timestamp.zone');
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await counts();
    const report = await runImport({ kind: 'events', file_name: 'incidents.csv', file: csv, mapping, dry_run: true });
    expect(report).toMatchObject({ status: 'done', dry_run: true, tickets_total: 7, tickets_written: 4, tickets_rejected: 3, exit_code: 1 });
    expect(report.created).toEqual({ groups: 2, agents: 2, requesters: 3, types: 2 });
    expect(await counts()).toEqual(before);
  });

  it('writes every good case, rejects the others with line-numbered errors, and sends nothing', async () => {
    const before = await counts();
    const report = await runImport({ kind: 'events', file_name: 'incidents.csv', file: csv, mapping });
    expect(report).toMatchObject({ status: 'done', dry_run: false, rows_read: 18, tickets_total: 7, tickets_written: 4, tickets_existing: 0, tickets_rejected: 3, rows_rejected: 5, exit_code: 1 });
    expect(report.errors.map((e: { text: string }) => e.text)).toEqual([
      'line 16: timestamp: goes back in time: 2025-03-06T08:00:00Z is before 2025-03-06T09:00:00Z of line 15, which comes earlier by order_by',
      'line 17: opened_at: "31-02-2016 10:00" is not a date in "dd-MM-yyyy HH:mm"',
      'line 19: incident_state: "-100" has no mapping to a status (add it to fields.status.values; one of new, open, pending, on_hold, solved, closed)',
    ]);
    expect(report.policies).toEqual({ Imported: 4 });
    const after = await counts();
    expect(after.tickets - before.tickets).toBe(4);
    // Two new groups (Service Desk, Network), two agents, three requesters (the one by e-mail already existed), two types.
    expect([after.groups - before.groups, after.users - before.users, after.contacts - before.contacts, after.types - before.types]).toEqual([2, 2, 3, 2]);
    expect([after.outbox, after.notifications]).toEqual([before.outbox, before.notifications]);
    // Nothing already due is left for the SLA monitor to fire.
    expect(await count(`sla_clocks WHERE next_action_at <= '${NOW}'`)).toBe(0);
    // Imported agents are inactive and cannot sign in.
    const agents = await t.ctx.db.query<{ active: boolean; email: string }>("SELECT active, email FROM users WHERE name IN ('Resolver 12', 'Resolver 7')");
    expect(agents.map((a) => a.active)).toEqual([false, false]);
    const signIn = await t.call('POST', '/api/v1/auth/sign-in', null, { email: agents[0]?.email, password: 'imported:no-sign-in' });
    expect(signIn.status).toBe(401);
    // A requester the source knows only by name has no e-mail.
    expect((await t.ctx.db.query("SELECT email FROM contacts WHERE name = 'Caller 1'"))).toEqual([{ email: null }]);
  });

  it('shows an imported ticket with its source timestamps, channel, history and SLA as the engine computes them (DST spring day: 23 hours)', async () => {
    const tk = await ticketOf('DST-SPRING');
    expect(tk).toMatchObject({
      status: 'closed', channel: 'phone', created_at: '2025-03-30T00:30:00.000Z', solved_at: '2025-03-30T02:30:00.000Z', closed_at: '2025-04-02T07:00:00.000Z',
      type: 'category_55', priority: 'normal', group: { name: 'Service Desk' }, assignee: { name: 'Resolver 12' }, requester: { name: 'Caller 1', email: null },
      imported: { source: 'servicenow-incidents', external_id: 'DST-SPRING' },
    });
    const want = expected([
      { at: '2025-03-30T00:30:00Z', type: 'created' }, { at: '2025-03-30T00:45:00Z', type: 'status', status: 'open' },
      { at: '2025-03-30T02:30:00Z', type: 'status', status: 'solved' }, { at: '2025-04-02T07:00:00Z', type: 'status', status: 'closed' },
    ]);
    expect(pick(tk.sla.metrics)).toEqual(pick(want));
    expect(tk.sla.metrics.resolution).toMatchObject({ status: 'completed', elapsed_business_minutes: 120, breached: false });
    const events = await t.call('GET', `/api/v1/tickets/${tk.number}/events`, admin);
    const kinds = (events.body.data ?? events.body).map((e: { kind: string; created_at: string }) => `${e.kind}@${e.created_at}`);
    expect(kinds).toEqual([
      'created@2025-03-30T00:30:00.000Z', 'status_changed@2025-03-30T00:45:00.000Z', 'group_changed@2025-03-30T00:45:00.000Z', 'assignee_changed@2025-03-30T00:45:00.000Z',
      'status_changed@2025-03-30T02:30:00.000Z', 'status_changed@2025-04-02T07:00:00.000Z',
    ]);
  });

  it('takes an autumn wall time as its second occurrence when the source sequence says so', async () => {
    const tk = await ticketOf('DST-AUTUMN');
    expect(tk).toMatchObject({ status: 'solved', created_at: '2025-10-26T00:50:00.000Z', solved_at: '2025-10-26T01:10:00.000Z', priority: 'high', group: { name: 'Network' }, requester: { email: 'anna@acme.example' } });
    expect(tk.sla.metrics.resolution).toMatchObject({ status: 'completed', elapsed_business_minutes: 20 });
  });

  it('a reopened case resumes its resolution clock with the time already used', async () => {
    const tk = await ticketOf('REOPENED');
    const want = expected([
      { at: '2025-03-03T09:00:00Z', type: 'created' }, { at: '2025-03-03T11:00:00Z', type: 'status', status: 'solved' },
      { at: '2025-03-04T08:00:00Z', type: 'status', status: 'open' }, { at: '2025-03-04T09:00:00Z', type: 'status', status: 'solved' },
    ]);
    expect(pick(tk.sla.metrics)).toEqual(pick(want));
    expect(tk.sla.metrics.resolution).toMatchObject({ status: 'completed', elapsed_business_minutes: 180, breached: false });
    expect(tk).toMatchObject({ status: 'solved', channel: 'portal', solved_at: '2025-03-04T09:00:00.000Z', assignee: { name: 'Resolver 7' } });
  });

  it('a case still open is live work: its clock runs from the source (pending paused it) and is overdue, unfired', async () => {
    const tk = await ticketOf('WAITING');
    const want = expected([
      { at: '2025-03-05T09:00:00Z', type: 'created' }, { at: '2025-03-05T09:20:00Z', type: 'status', status: 'pending' }, { at: '2025-03-05T10:20:00Z', type: 'status', status: 'open' },
    ]);
    expect(pick(tk.sla.metrics)).toEqual(pick(want));
    expect(tk.sla.metrics.resolution).toMatchObject({ status: 'running', breached: true, due_at: '2025-03-05T14:00:00Z' });
    expect(tk.status).toBe('open');
  });

  it('importing the same file again creates nothing', async () => {
    const before = await counts();
    const report = await runImport({ kind: 'events', file_name: 'incidents.csv', file: csv, mapping });
    expect(report).toMatchObject({ tickets_written: 0, tickets_existing: 4, tickets_rejected: 3, exit_code: 1 });
    expect(report.created).toEqual({ groups: 0, agents: 0, requesters: 0, types: 0 });
    expect(await counts()).toEqual(before);
  });

  it('takes a multipart upload of a JSON ticket file', async () => {
    const tickets = JSON.stringify([
      { id: 'Z-1', subject: 'Printer on fire', state: 'closed', created: '2024-05-02T09:00:00Z', solved: '2024-05-02T10:30:00Z', closed: '2024-05-09T10:30:00Z', via: 'email' },
      { id: 'Z-2', subject: 'VPN', state: 'open', created: '2024-05-03T09:00:00Z', solved: null, closed: null, via: 'phone' },
    ]);
    const ticketMapping = { source: 'zendesk', case_id: 'id', fields: { created_at: { column: 'created' }, solved_at: { column: 'solved' }, closed_at: { column: 'closed' }, status: { column: 'state' }, subject: { column: 'subject' }, channel: { column: 'via' } } };
    const boundary = 'x-replyby-test';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n${filename ? 'Content-Type: application/json\r\n' : ''}\r\n${value}\r\n`;
    const payload = `${part('kind', 'tickets')}${part('mapping', JSON.stringify(ticketMapping))}${part('file', tickets, 'tickets.json')}--${boundary}--\r\n`;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { authorization: `Bearer ${admin}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode, res.body).toBe(202);
    let report: Record<string, unknown> = {};
    for (let i = 0; i < 400 && !report.done; i++) {
      report = (await t.call('GET', `/api/v1/imports/${JSON.parse(res.body).id}`, admin)).body;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(report).toMatchObject({ file_name: 'tickets.json', kind: 'tickets', tickets_written: 2, exit_code: 0 });
    const [row] = await t.ctx.db.query<{ number: number }>("SELECT number FROM tickets WHERE import_source = 'zendesk' AND external_id = 'Z-1'");
    const tk = (await t.call('GET', `/api/v1/tickets/${row?.number}`, admin)).body;
    expect(tk).toMatchObject({ subject: 'Printer on fire', status: 'closed', channel: 'email', solved_at: '2024-05-02T10:30:00.000Z', closed_at: '2024-05-09T10:30:00.000Z', stage: 'archived' });
    expect(tk.sla.metrics.resolution).toMatchObject({ status: 'completed', elapsed_business_minutes: 90 });
  });
});

describe('import from the command line (spawned)', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'replyby-import-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  const cli = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, REPLYBY_DATA_DIR: path.join(dir, 'data'), REPLYBY_LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/replyby.mjs'), 'import', ...args], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

  it('exits 2 on a wrong mapping, 1 with line-numbered errors when some cases are rejected, and a dry run writes nothing', async () => {
    await writeFile(path.join(dir, 'bad-mapping.json'), JSON.stringify({ ...mapping, fields: { ...(mapping.fields as object), status: { column: 'incident_state', values: { New: 'fresh' } } } }));
    const wrong = await cli(['events', path.join(FIXTURES, 'incidents.csv'), '--mapping', path.join(dir, 'bad-mapping.json')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('mapping: fields.status.values.New: must be one of new, open, pending, on_hold, solved, closed');

    const dry = await cli(['events', path.join(FIXTURES, 'incidents.csv'), '--mapping', path.join(FIXTURES, 'incidents-mapping.json'), '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, tickets_written: 4, tickets_rejected: 3 });

    const first = await cli(['events', path.join(FIXTURES, 'incidents.csv'), '--mapping', path.join(FIXTURES, 'incidents-mapping.json'), '--batch', '2', '--json']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('line 17: opened_at: "31-02-2016 10:00" is not a date in "dd-MM-yyyy HH:mm"');
    expect(first.stderr).toMatch(/rows 18\/18 +tickets written 4\/7/);
    expect(JSON.parse(first.stdout)).toMatchObject({ tickets_written: 4, tickets_existing: 0 });

    const db = await openDb({ dataDir: path.join(dir, 'data') });
    try {
      const [row] = await db.query<{ tickets: number; outbox: number; imports: number }>(
        "SELECT (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM outbox) AS outbox, (SELECT count(*)::int FROM imports) AS imports");
      // The dry run wrote nothing, not even its record; the refused mapping and the real run are recorded.
      expect(row).toEqual({ tickets: 4, outbox: 0, imports: 2 });
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('a requester without an e-mail address (imported)', () => {
  it('gets no mail: a reply is marked failed at once, with the reason, and nothing is sent', async () => {
    const app = await startTestApp();
    try {
      const agentToken = await app.signIn('alex@test.dev');
      const created = await app.call('POST', '/api/v1/tickets', agentToken, { subject: 'Imported person', message: 'hi', requester: { email: 'noaddress@customers.example' } });
      expect(created.status).toBe(201);
      await app.ctx.db.query("UPDATE contacts SET email = NULL WHERE email = 'noaddress@customers.example'");
      await app.ctx.db.query("UPDATE outbox SET done_at = now() WHERE done_at IS NULL"); // the acknowledgement went out while it had one
      const reply = await app.call('POST', `/api/v1/tickets/${created.body.number}/messages`, agentToken, { body: 'We are on it', internal: false });
      expect(reply.status).toBe(201);
      const sent: unknown[] = [];
      await runDueJobs(app.ctx, async (mail) => { sent.push(mail); });
      expect(sent).toEqual([]);
      const [job] = await app.ctx.db.query<{ failed_at: Date | null; attempts: number; last_error: string }>("SELECT failed_at, attempts, last_error FROM outbox WHERE kind = 'mail.agent_reply'");
      expect(job?.failed_at).not.toBeNull();
      expect(job?.last_error).toContain('no e-mail address');
      const [m] = await app.ctx.db.query<{ delivery_status: string }>('SELECT delivery_status FROM messages WHERE id = $1', [reply.body.id]);
      expect(m?.delivery_status).toBe('failed');
    } finally {
      await app.close();
    }
  });
});
