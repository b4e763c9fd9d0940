import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { renderAcknowledgement } from '../src/app/email/render-acknowledgement.ts';
import { checkSurge } from '../src/app/planning/check-surge.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Surge mode and degraded mode (issue 19 items 5–6, docs/surge.md) and the printable queue's CSV (issue 18 item 4).
// One Support agent (alex) whose recent handling time is 30 minutes (three staff on the whole team); a 24/7
// policy promising a first reply within 4 hours (low priority: 24 hours; urgent: 30 minutes).

let t: TestApp;
let agent: string;
let sup: string;
let admin: string;

const at = (iso: string) => t.clock.set(iso);
async function ok(method: 'POST' | 'PATCH' | 'PUT', url: string, token: string, body?: unknown) {
  const res = await t.call(method, url, token, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, any>;
}
const create = (subject: string, extra: Record<string, unknown> = {}) =>
  ok('POST', '/api/v1/tickets', agent, { subject, message: `${subject}: please help`, requester: { email: 'anna@acme.example' }, ...extra });
const surgeAlerts = async () => (await t.ctx.db.query<{ user_id: string }>("SELECT user_id FROM notifications WHERE kind = 'surge.started' ORDER BY user_id")).map((r) => r.user_id);

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
  admin = await t.signIn('admin@test.dev');
  await ok('POST', '/api/v1/sla/policies', sup, { name: 'Urgent', conditions: [{ field: 'priority', values: ['urgent'] }], metrics: [{ name: 'first_response', target_minutes: 30 }] });
  await ok('POST', '/api/v1/sla/policies', sup, { name: 'Low', conditions: [{ field: 'priority', values: ['low'] }], metrics: [{ name: 'first_response', target_minutes: 1440 }] });
  await ok('POST', '/api/v1/sla/policies', sup, { name: 'All', metrics: [{ name: 'first_response', target_minutes: 240 }] });
  // The handling time: assigned at 08:00, answered at 08:30.
  at('2025-03-10T08:00:00Z');
  const h = await create('History');
  await ok('PATCH', `/api/v1/tickets/${h.number}`, agent, { assignee_id: t.fixtures.users.agentSupport });
  at('2025-03-10T08:30:00Z');
  await ok('POST', `/api/v1/tickets/${h.number}/messages`, agent, { body: 'Fixed', internal: false });
});
afterAll(() => t.close());

describe('a surge declared by hand', () => {
  it('is for supervisors, alerts them once, shows its message, and ends by hand', async () => {
    at('2025-03-10T09:00:00Z');
    expect((await t.call('POST', '/api/v1/planning/surges', agent, {})).status).toBe(403);
    expect((await t.call('POST', '/api/v1/planning/surges', sup, { message: 'x'.repeat(1001) })).body.error.path).toBe('message');
    const s = await ok('POST', '/api/v1/planning/surges', sup, { message: 'A storm took out the power grid; answers are slower today.' });
    expect(s).toMatchObject({ cause: 'manual', started_at: '2025-03-10T09:00:00.000Z', ended_at: null });
    const again = await t.call('POST', '/api/v1/planning/surges', sup, {});
    expect(again.status).toBe(409);
    // Once each to the supervisor and the admin (in-app; the mail job and webhooks go through the same notify).
    expect(await surgeAlerts()).toEqual([t.fixtures.users.admin, t.fixtures.users.supervisor].sort());
    const staffMail = await t.ctx.db.query("SELECT 1 FROM outbox WHERE kind = 'notify.email'");
    expect(staffMail.length).toBeGreaterThan(0);
    const status = await t.call('GET', '/api/v1/status', null);
    expect(status.body.surge).toEqual({ active: true, message: 'A storm took out the power grid; answers are slower today.', started_at: '2025-03-10T09:00:00.000Z' });
  });

  it('makes new acknowledgements promise the honest later time from the whole backlog', async () => {
    // Ten low-priority requests wait (due tomorrow): none is ahead of a normal one in the queue's order.
    at('2025-03-10T09:05:00Z');
    for (let i = 0; i < 10; i += 1) await create(`Backlog ${i}`, { priority: 'low' });
    at('2025-03-10T09:10:00Z');
    const n = await create('New during the surge');
    // 10 tickets × 30 minutes ÷ 1 agent = 300 minutes: later than the 4-hour commitment, so "within 5 hours".
    expect(n.promise).toMatchObject({ basis: 'queue', reason: 'surge', ahead: 10, target_minutes: 300, promised_at: '2025-03-10T14:10:00.000Z' });
    const mail = await renderAcknowledgement(t.ctx, n.id as string);
    expect(mail?.text).toContain('10 requests are ahead of yours');
    at('2025-03-10T09:15:00Z');
    await ok('POST', '/api/v1/planning/surges/end', sup);
    expect((await t.call('POST', '/api/v1/planning/surges/end', sup)).status).toBe(409);
    expect((await t.call('GET', '/api/v1/status', null)).body.surge.active).toBe(false);
    // Without the surge the same request gets the published commitment.
    at('2025-03-10T09:20:00Z');
    const after = await create('New after the surge');
    expect(after.promise).toMatchObject({ basis: 'sla', reason: null, promised_at: '2025-03-10T13:20:00.000Z' });
  });

  it('is reported: arrivals during it and the promises made, kept and broken', async () => {
    const res = await t.call('GET', '/api/v1/planning/surges', sup);
    expect(res.status).toBe(200);
    expect(res.body.surges).toHaveLength(1);
    expect(res.body.surges[0]).toMatchObject({
      cause: 'manual', end_reason: 'manual', started_at: '2025-03-10T09:00:00.000Z', ended_at: '2025-03-10T09:15:00.000Z', arrived: 11,
      promises: { made: 11, kept: 0, broken: 0, waiting: 11, later_because_of_surge: 1 },
    });
    expect((await t.call('GET', '/api/v1/planning/surges', agent)).status).toBe(403);
  });
});

describe('a surge detected by the worker', () => {
  it('starts on a backlog the team cannot answer before its promises, alerts once, and ends after 30 calm minutes', async () => {
    await t.ctx.db.query('DELETE FROM notifications');
    // Four urgent requests at 09:30, each due 10:00: the fourth needs 4 × 30 minutes of work, 3 staff × 30 minutes to do it in.
    at('2025-03-10T09:30:00Z');
    const rush = [];
    for (let i = 0; i < 3; i += 1) rush.push(await create(`Rush ${i}`, { priority: 'urgent' }));
    expect(await checkSurge(t.ctx)).toEqual({ started: null, ended: null, groups: [] }); // three tickets, three staff: each starts at once
    rush.push(await create('Rush 3', { priority: 'urgent' }));
    expect(await checkSurge(t.ctx)).toMatchObject({ started: expect.any(String), ended: null });
    t.clock.advanceMinutes(1);
    expect(await checkSurge(t.ctx)).toEqual({ started: null, ended: null, groups: [] });
    expect(await surgeAlerts()).toHaveLength(2);
    // The team answers the rush: calm from 10:00, the surge ends at 10:30, not before.
    at('2025-03-10T10:00:00Z');
    for (const r of rush) await ok('POST', `/api/v1/tickets/${r.number}/messages`, agent, { body: 'On it', internal: false });
    await checkSurge(t.ctx);
    at('2025-03-10T10:29:00Z');
    expect((await checkSurge(t.ctx)).ended).toBeNull();
    at('2025-03-10T10:30:00Z');
    expect((await checkSurge(t.ctx)).ended).toEqual(expect.any(String));
    const report = await t.call('GET', '/api/v1/planning/surges', sup);
    expect(report.body.surges[0]).toMatchObject({ cause: 'backlog', end_reason: 'calm', ended_at: '2025-03-10T10:30:00.000Z' });
    expect(report.body.surges[0].signals.backlog.ratio).toBeGreaterThan(1);
  });
});

describe('degraded (read-only) mode', () => {
  it('refuses every write with 503 read_only, keeps reads, sign-in, the switch and inbound mail', async () => {
    at('2025-03-10T11:00:00Z');
    expect((await t.call('PUT', '/api/v1/admin/read-only', sup, { enabled: true })).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/admin/read-only', admin, { enabled: 'yes' })).body.error.path).toBe('enabled');
    await ok('PUT', '/api/v1/admin/read-only', admin, { enabled: true, message: 'Database failover in progress' });
    const refused = await t.call('POST', '/api/v1/tickets', agent, { subject: 'x', message: 'y', requester: { email: 'anna@acme.example' } });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('read_only');
    expect(refused.body.error.message).toContain('read-only (degraded) mode');
    expect((await t.call('PATCH', '/api/v1/tickets/1', agent, { status: 'solved' })).status).toBe(503);
    expect((await t.call('DELETE', '/api/v1/views/saved/00000000-0000-0000-0000-000000000000', agent)).status).toBe(503);
    expect((await t.call('POST', '/api/v1/portal/sign-in', null, { email: 'anna@acme.example', password: 'secret-pass-1' })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/queue', agent)).status).toBe(200);
    expect((await t.call('GET', '/api/v1/status', null)).body.read_only).toEqual({ enabled: true, message: 'Database failover in progress', since: '2025-03-10T11:00:00.000Z' });
    // Mail is stored raw and processed as usual: the request is on the printed queue the team works from.
    const raw = Buffer.from('From: Oleg <oleg@acme.example>\r\nTo: help@replyby.test\r\nSubject: Cannot log in\r\nMessage-ID: <ro.1@acme.example>\r\nDate: Mon, 10 Mar 2025 11:00:00 +0000\r\n\r\nThe login page fails.\r\n');
    const inbound = await receiveMail(t.ctx, { raw, source: 'test' });
    expect(inbound.ticketNumber).not.toBeNull();
    const [stored] = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_mail WHERE id = $1 AND raw IS NOT NULL', [inbound.id]);
    expect(stored?.n).toBe(1);
    await ok('PUT', '/api/v1/admin/read-only', admin, { enabled: false });
    expect((await t.call('GET', '/api/v1/status', null)).body.read_only.enabled).toBe(false);
    expect((await t.call('POST', '/api/v1/planning/surges/end', sup)).status).toBe(409); // writes reach the use cases again
  });
});

describe('GET /api/v1/queue.csv', () => {
  it('is the whole queue in its own order, next due first, with the promise per ticket', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/queue.csv', headers: { authorization: `Bearer ${sup}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('ticket,subject,status,priority,type,group,assignee,requester,requester_email,created_at,due_at,promised_reply_at');
    const json = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await t.call('GET', `/api/v1/queue?limit=7${cursor ? `&cursor=${cursor}` : ''}`, sup);
      json.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(json.map((x) => x.display_number));
    const dues = lines.slice(1).map((l) => l.split(',')[10]).filter(Boolean);
    expect([...dues].sort()).toEqual(dues);
    expect(lines.find((l) => l.includes('New after the surge'))).toContain('2025-03-10T13:20:00.000Z');
    expect((await t.call('GET', '/api/v1/queue.csv', await t.signIn('anna@acme.example', undefined, true))).status).toBe(403);
  });
});
