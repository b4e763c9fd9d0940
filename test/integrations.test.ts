import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchLifecycleEvents } from '../src/app/notifications/dispatch-lifecycle-events.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 21 item 6 through HTTP: lifecycle webhooks (a real receiver on loopback, signatures, retries,
// dead letters, re-send, the delivery log), API token scopes and per-token rate limits.

let t: TestApp;
let admin: string;
let agent: string;

type Received = { path: string; body: string; signature: string; delivery: string; event: string };
let receiver: http.Server;
let base = '';
const received: Received[] = [];
/** Answers 503 to paths in here. */
const failing = new Set<string>();

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  agent = await t.signIn('alex@test.dev');
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (failing.has(path)) {
        res.writeHead(503).end();
        return;
      }
      received.push({ path, body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['x-replyby-signature']), delivery: String(req.headers['x-replyby-delivery']), event: String(req.headers['x-replyby-event']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await t.close();
});

const noMail = async () => undefined;
/** The worker's two steps: tail the event log, then run the outbox, at the test clock's instant. */
async function work(at?: string): Promise<void> {
  if (at) t.clock.set(at);
  while ((await dispatchLifecycleEvents(t.ctx)) > 0) { /* drain */ }
  await runDueJobs(t.ctx, noMail);
}

const validSignature = (secret: string, r: Received): boolean => {
  const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature) ?? [];
  return mac === createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
};

const LIFECYCLE = ['ticket.created', 'ticket.updated', 'ticket.replied', 'ticket.solved', 'ticket.closed', 'ticket.merged'];

describe('lifecycle webhooks', () => {
  it('refuses a private receiver unless private addresses are allowed (the SSRF guard)', async () => {
    const res = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/x`, events: ['ticket.created'] });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('url');
    // Also when an existing receiver is moved there.
    t.ctx.settings.allowPrivateUrls = true;
    const ok = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/moved`, events: ['ticket.created'] });
    t.ctx.settings.allowPrivateUrls = false;
    const moved = await t.call('PATCH', `/api/v1/webhooks/${ok.body.id}`, admin, { url: 'http://10.0.0.1/hook' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.path).toBe('url');
    expect((await t.call('DELETE', `/api/v1/webhooks/${ok.body.id}`, admin)).status).toBe(204);
  });

  it('delivers each lifecycle event once, signed, only to the webhooks subscribed to it', async () => {
    t.ctx.settings.allowPrivateUrls = true;
    try {
      t.clock.set('2025-03-10T09:00:00Z');
      // History before a webhook exists is never sent.
      const old = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Before the hook', message: 'old', requester: { email: 'old@example.org' } });
      expect(old.status).toBe(201);
      const all = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/all`, events: LIFECYCLE });
      expect(all.status, JSON.stringify(all.body)).toBe(201);
      const solvedOnly = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/solved`, events: ['ticket.solved'] });
      const slaOnly = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/sla`, events: ['sla.breach'] });
      const everyStaffEvent = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/empty` });
      expect([solvedOnly.status, slaOnly.status, everyStaffEvent.status]).toEqual([201, 201, 201]);
      // An unknown event name is refused, naming the field.
      const bad = await t.call('PATCH', `/api/v1/webhooks/${all.body.id}`, admin, { events: ['Ticket Created'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toMatch(/^events/);

      const created = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Printer on fire', message: 'Help', requester: { email: 'fire@example.org' } });
      expect(created.status).toBe(201);
      const n = created.body.number as number;
      t.clock.advanceMinutes(1);
      expect((await t.call('POST', `/api/v1/tickets/${n}/messages`, agent, { body: 'On it', kind: 'public' })).status).toBe(201);
      expect((await t.call('POST', `/api/v1/tickets/${n}/messages`, agent, { body: 'internal only', kind: 'internal' })).status).toBe(201);
      expect((await t.call('PATCH', `/api/v1/tickets/${n}`, agent, { priority: 'high' })).status).toBe(200);
      expect((await t.call('PATCH', `/api/v1/tickets/${n}`, agent, { status: 'solved' })).status).toBe(200);
      expect((await t.call('PATCH', `/api/v1/tickets/${n}`, agent, { status: 'closed' })).status).toBe(200);
      const dup = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Printer again', message: 'Still', requester: { email: 'fire@example.org' } });
      const survivor = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Printer', message: 'Third', requester: { email: 'fire@example.org' } });
      expect((await t.call('POST', `/api/v1/tickets/${dup.body.number}/merge`, agent, { into: survivor.body.number })).status).toBe(200);

      await work();
      // Twice more: nothing is sent again.
      await work();
      await work();

      const hookAll = received.filter((r) => r.path === '/all');
      const payloads = hookAll.map((r) => JSON.parse(r.body));
      expect(hookAll.every((r) => validSignature(all.body.secret, r))).toBe(true);
      expect(new Set(hookAll.map((r) => r.delivery)).size).toBe(hookAll.length);
      expect(new Set(payloads.map((p) => p.data.event_seq)).size).toBe(payloads.length);
      expect(hookAll.every((r, i) => r.delivery === payloads[i].id && r.event === payloads[i].event)).toBe(true);
      const of = (event: string, ticketId: string) => payloads.filter((p) => p.event === event && p.ticket_id === ticketId);
      expect(payloads.some((p) => p.ticket_id === old.body.id)).toBe(false);
      expect(of('ticket.created', created.body.id)).toHaveLength(1);
      expect(of('ticket.created', created.body.id)[0]).toMatchObject({ ticket: { id: created.body.id, number: n, subject: 'Printer on fire' }, data: { kind: 'created' } });
      // The public reply, not the request itself nor the internal note.
      expect(of('ticket.replied', created.body.id)).toHaveLength(1);
      expect(of('ticket.replied', created.body.id)[0].data).toMatchObject({ kind: 'message_added', after: { kind: 'public' }, actor: { kind: 'user', id: t.fixtures.users.agentSupport } });
      expect(of('ticket.updated', created.body.id).some((p) => p.data.kind === 'priority_changed' && p.data.after.priority === 'high')).toBe(true);
      expect(of('ticket.solved', created.body.id)).toHaveLength(1);
      expect(of('ticket.closed', created.body.id)).toHaveLength(1);
      expect(of('ticket.merged', survivor.body.id)).toHaveLength(1);
      expect(of('ticket.merged', survivor.body.id)[0].data.after).toMatchObject({ ticket_id: dup.body.id, number: dup.body.number });
      expect(of('ticket.created', dup.body.id)).toHaveLength(1);

      const toSolved = received.filter((r) => r.path === '/solved').map((r) => JSON.parse(r.body));
      expect(toSolved.map((p) => p.event)).toEqual(['ticket.solved']);
      expect(validSignature(solvedOnly.body.secret, received.find((r) => r.path === '/solved') as Received)).toBe(true);
      // No subscription to a lifecycle event, nothing sent (an empty list means every staff event, as before).
      expect(received.filter((r) => r.path === '/sla' || r.path === '/empty')).toHaveLength(0);

      // The delivery log: each one delivered, on its first attempt, with the receiver's code.
      const log = await t.call('GET', `/api/v1/webhooks/deliveries?webhook_id=${all.body.id}&limit=500`, admin);
      expect(log.status).toBe(200);
      expect(log.body.data).toHaveLength(hookAll.length);
      expect(log.body.data.every((d: { status: string; attempts: number; response_code: number }) => d.status === 'delivered' && d.attempts === 1 && d.response_code === 204)).toBe(true);
      expect((await t.call('GET', '/api/v1/webhooks/deliveries', agent)).status).toBe(403);
      expect((await t.call('GET', '/api/v1/webhooks/deliveries?status=lost', admin)).body.error.path).toBe('status');

      // Unsubscribing stops them.
      expect((await t.call('PATCH', `/api/v1/webhooks/${all.body.id}`, admin, { events: ['ticket.closed'] })).body.events).toEqual(['ticket.closed']);
      const before = received.length;
      await t.call('POST', `/api/v1/tickets/${survivor.body.number}/messages`, agent, { body: 'Another', kind: 'public' });
      await work();
      expect(received.length).toBe(before);
      const audit = await t.call('GET', '/api/v1/audit-log?target_type=webhook', admin);
      expect(audit.body.data.some((r: { action: string; target_id: string }) => r.action === 'update' && r.target_id === all.body.id)).toBe(true);
      for (const h of [all, solvedOnly, slaOnly, everyStaffEvent]) await t.call('DELETE', `/api/v1/webhooks/${h.body.id}`, admin);
    } finally {
      t.ctx.settings.allowPrivateUrls = false;
    }
  });

  it('retries a failing receiver with backoff, files it dead, and re-sends it from the log', async () => {
    t.ctx.settings.allowPrivateUrls = true;
    try {
      t.clock.set('2025-03-11T09:00:00Z');
      const hook = await t.call('POST', '/api/v1/webhooks', admin, { url: `${base}/flaky`, events: ['ticket.created'] });
      failing.add('/flaky');
      const tk = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Doomed delivery', message: 'x', requester: { email: 'doom@example.org' } });
      await work();
      const first = (await t.call('GET', `/api/v1/webhooks/deliveries?webhook_id=${hook.body.id}`, admin)).body.data;
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ event: 'ticket.created', ticket_id: tk.body.id, status: 'retrying', attempts: 1, response_code: 503, last_error: 'the receiver answered 503' });
      // Backoff: not before 2 s have passed.
      await work('2025-03-11T09:00:01Z');
      expect((await t.call('GET', `/api/v1/webhooks/deliveries?webhook_id=${hook.body.id}`, admin)).body.data[0].attempts).toBe(1);
      for (let i = 0; i < 10; i++) await work(new Date(t.clock.now.getTime() + 1100 * 1000).toISOString());
      const dead = (await t.call('GET', `/api/v1/webhooks/deliveries?status=dead`, admin)).body.data;
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ id: first[0].id, attempts: 8, response_code: 503 });
      expect(received.filter((r) => r.path === '/flaky')).toHaveLength(0);
      // The same dead letter in the outbox's list.
      expect((await t.call('GET', '/api/v1/webhooks/dead-letters', admin)).body.data.some((d: { payload: { id: string } }) => d.payload.id === first[0].id)).toBe(true);

      failing.delete('/flaky');
      expect((await t.call('POST', `/api/v1/webhooks/deliveries/${first[0].id}/resend`, agent)).status).toBe(403);
      expect((await t.call('POST', '/api/v1/webhooks/deliveries/00000000-0000-4000-8000-000000000000/resend', admin)).status).toBe(404);
      expect((await t.call('POST', `/api/v1/webhooks/deliveries/${first[0].id}/resend`, admin)).status).toBe(204);
      expect((await t.call('GET', '/api/v1/webhooks/dead-letters', admin)).body.data.some((d: { payload: { id: string } }) => d.payload.id === first[0].id)).toBe(false);
      await work();
      const got = received.filter((r) => r.path === '/flaky');
      expect(got).toHaveLength(1);
      expect(got[0]?.delivery).toBe(first[0].id);
      expect(validSignature(hook.body.secret, got[0] as Received)).toBe(true);
      expect((await t.call('GET', `/api/v1/webhooks/deliveries?webhook_id=${hook.body.id}`, admin)).body.data[0]).toMatchObject({ status: 'delivered', attempts: 1, response_code: 204, last_error: null });
      const audit = await t.call('GET', '/api/v1/audit-log?target_type=webhook_delivery', admin);
      expect(audit.body.data.some((r: { action: string; target_id: string }) => r.action === 'resend' && r.target_id === first[0].id)).toBe(true);
      await t.call('DELETE', `/api/v1/webhooks/${hook.body.id}`, admin);
    } finally {
      t.ctx.settings.allowPrivateUrls = false;
    }
  });
});

describe('API token scopes', () => {
  const token = async (owner: string, scopes?: string[]) => {
    const res = await t.call('POST', '/api/v1/api-tokens', owner, { name: `scoped ${scopes?.join('+') ?? 'default'}`, ...(scopes ? { scopes } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; token: string; scopes: string[] };
  };

  it('read reads, tickets writes tickets, admin does what the owner may; a scope never widens the role', async () => {
    const read = await token(admin, ['read']);
    const tickets = await token(admin, ['tickets']);
    const full = await token(admin, ['admin']);
    const body = { subject: 'Scoped', message: 'x', requester: { email: 'scope@example.org' } };
    expect((await t.call('GET', '/api/v1/tickets', read.token)).status).toBe(200);
    // A POST that only computes needs only read: past the scope check, its own validation answers.
    const erlang = await t.call('POST', '/api/v1/planning/erlang', read.token, {});
    expect(erlang.status).toBe(400);
    expect(erlang.body.error.code).toBe('invalid_input');
    const refused = await t.call('POST', '/api/v1/tickets', read.token, body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_scope');
    expect(refused.body.error.message).toContain('"tickets"');
    const made = await t.call('POST', '/api/v1/tickets', tickets.token, body);
    expect(made.status).toBe(201);
    expect((await t.call('POST', `/api/v1/tickets/${made.body.number}/messages`, tickets.token, { body: 'hi', kind: 'public' })).status).toBe(201);
    expect((await t.call('GET', `/api/v1/tickets/${made.body.number}`, tickets.token)).status).toBe(200);
    const adminWrite = await t.call('POST', '/api/v1/groups', tickets.token, { name: 'Scoped group' });
    expect(adminWrite.status).toBe(403);
    expect(adminWrite.body.error).toMatchObject({ code: 'insufficient_scope' });
    expect(adminWrite.body.error.message).toContain('"admin"');
    expect((await t.call('POST', '/api/v1/groups', full.token, { name: 'Scoped group' })).status).toBe(201);
    // An agent's admin-scoped token is still an agent.
    const agentFull = await token(agent, ['admin']);
    expect((await t.call('POST', '/api/v1/groups', agentFull.token, { name: 'Not for agents' })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/groups', agentFull.token, { name: 'Not for agents' })).body.error.code).toBe('forbidden');
    // Without scopes given, a token has its owner's full rights (as tokens made before scopes do).
    const plain = await token(agent);
    expect(plain.scopes).toEqual(['read', 'tickets', 'admin']);
    expect((await t.call('POST', '/api/v1/api-tokens', agent, { name: 'x', scopes: ['everything'] })).body.error.path).toMatch(/^scopes/);
    expect((await t.call('POST', '/api/v1/api-tokens', agent, { name: 'x', scopes: [] })).body.error.path).toBe('scopes');
  });

  it('admins change scopes and limits, with an audit row; others may not', async () => {
    const mine = await token(agent, ['read']);
    expect((await t.call('PATCH', `/api/v1/api-tokens/${mine.id}`, agent, { scopes: ['admin'] })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/api-tokens', agent, { name: 'fast', rate_limit_per_minute: 5000 })).status).toBe(403);
    const res = await t.call('PATCH', `/api/v1/api-tokens/${mine.id}`, admin, { scopes: ['tickets'], rate_limit_per_minute: 50 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scopes: ['tickets'], rate_limit_per_minute: 50 });
    expect((await t.call('PATCH', `/api/v1/api-tokens/${mine.id}`, admin, { rate_limit_per_minute: 0 })).body.error.path).toBe('rate_limit_per_minute');
    const list = await t.call('GET', '/api/v1/admin/api-tokens', admin);
    expect(list.body.data.find((x: { id: string }) => x.id === mine.id)).toMatchObject({ scopes: ['tickets'], rate_limit_per_minute: 50, owner: { id: t.fixtures.users.agentSupport } });
    expect((await t.call('GET', '/api/v1/admin/api-tokens', agent)).status).toBe(403);
    const audit = await t.call('GET', '/api/v1/audit-log?target_type=api_token', admin);
    expect(audit.body.data.find((r: { action: string; target_id: string }) => r.action === 'update' && r.target_id === mine.id)).toMatchObject({ before: { scopes: ['read'] }, after: { scopes: ['tickets'], rate_limit_per_minute: 50 } });
  });
});

describe('API token scopes across the route table', () => {
  // Computing POSTs that change nothing need only `read` (docs/integrations.md).
  const READ_POSTS = new Set(['POST /api/v1/sla/simulate', 'POST /api/v1/planning/erlang', 'POST /api/v1/planning/whatif']);
  // The rule, stated here on its own: reading needs read, a ticket write tickets, every other write admin.
  const needs = (method: string, path: string) => (method === 'GET' || READ_POSTS.has(`${method} ${path}`) ? 'read' : path === '/api/v1/tickets' || path.startsWith('/api/v1/tickets/') ? 'tickets' : 'admin');

  it('refuses every write a token lacks the scope for, on every signed-in route of the OpenAPI document', async () => {
    const make = async (scopes: string[]) => (await t.call('POST', '/api/v1/api-tokens', admin, { name: `walk ${scopes.join('+')}`, scopes, rate_limit_per_minute: 100_000 })).body.token as string;
    const [read, tickets] = [await make(['read']), await make(['tickets'])];
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[]; summary?: string }>> };
    const wrong: string[] = [];
    let walked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [lower, op] of Object.entries(ops)) {
        const method = lower.toUpperCase();
        if (!op.security) continue; // public routes take no token
        if (method === 'GET' && /event-stream/.test(op.summary ?? '')) continue; // a granted stream would stay open; its refusal is the rule's GET case
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        for (const [name, token, has] of [['read', read, ['read']], ['tickets', tickets, ['read', 'tickets']]] as const) {
          const res = await t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) }, ...(method === 'GET' ? {} : { payload: '{}' }) });
          const refused = res.statusCode === 403 && (res.json() as { error?: { code?: string } }).error?.code === 'insufficient_scope';
          const shouldRefuse = !(has as readonly string[]).includes(needs(method, path));
          if (refused !== shouldRefuse) wrong.push(`${name} ${method} ${path} → ${res.statusCode}`);
          walked += 1;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(walked).toBeGreaterThan(300);
  });
});

describe('per-token rate limits', () => {
  it('counts a minute per token, says so in RateLimit-* headers, and answers 429 with Retry-After past the limit', async () => {
    t.clock.set('2025-03-12T10:00:15Z');
    const made = await t.call('POST', '/api/v1/api-tokens', admin, { name: 'limited', rate_limit_per_minute: 3 });
    const other = await t.call('POST', '/api/v1/api-tokens', admin, { name: 'unlimited' });
    const get = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(made.body.token));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(answers[0]?.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-reset': '45', 'ratelimit-policy': '3;w=60' });
    expect(answers[0]?.headers['retry-after']).toBeUndefined();
    expect(answers[3]?.headers['retry-after']).toBe('45');
    expect(JSON.parse(answers[3]?.body ?? '{}').error.code).toBe('rate_limited');
    // Another token has its own window, and the default limit.
    const fine = await get(other.body.token);
    expect(fine.statusCode).toBe(200);
    expect(fine.headers['ratelimit-limit']).toBe('600');
    // Sessions (the web UI) are not token-limited.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${admin}` } })).headers['ratelimit-limit']).toBeUndefined();
    // The next minute starts afresh.
    t.clock.set('2025-03-12T10:01:00Z');
    const next = await get(made.body.token);
    expect(next.statusCode).toBe(200);
    expect(next.headers).toMatchObject({ 'ratelimit-remaining': '2', 'ratelimit-reset': '60' });
    // Writes count in the same window.
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/groups', headers: { authorization: `Bearer ${made.body.token}`, 'content-type': 'application/json' }, payload: '{"name":"g"}' });
    expect(write.statusCode).toBe(201);
    expect(write.headers['ratelimit-remaining']).toBe('1');
  });
});
