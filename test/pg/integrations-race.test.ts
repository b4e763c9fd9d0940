import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchLifecycleEvents } from '../../src/app/notifications/dispatch-lifecycle-events.ts';
import { buildServer } from '../../src/http/server.ts';
import { runDueJobs } from '../../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Integrations under real concurrency (PostgreSQL): dispatchers racing over the event log enqueue each
// delivery once; an event whose transaction commits after a later one is still delivered; concurrent
// requests of one token through two servers share one rate window.

let t: TestApp;
let admin: string;
let agent: string;
let receiver: http.Server;
let url = '';
const got: string[] = [];
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  agent = await t.signIn('alex@test.dev');
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  t.ctx.settings.allowPrivateUrls = true;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await t.close();
});

describe('integrations races (PostgreSQL)', () => {
  it('runs on a PostgreSQL server', () => {
    expect(t.ctx.db.engine).toBe('postgres');
  });

  it('four dispatchers at once enqueue each lifecycle delivery exactly once', async () => {
    const hook = await t.call('POST', '/api/v1/webhooks', admin, { url, events: ['ticket.created', 'ticket.replied'] });
    expect(hook.status).toBe(201);
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => t.call('POST', '/api/v1/tickets', agent, { subject: `Race ${i}`, message: 'x', requester: { email: `race${i}@example.org` } })));
    expect(made.every((m) => m.status === 201)).toBe(true);
    await Promise.all(made.map((m) => t.call('POST', `/api/v1/tickets/${m.body.number}/messages`, agent, { body: 'reply', kind: 'public' })));
    // Small batches, four at a time, until the cursor has read the whole log (each round one of them gets the cursor row).
    const behind = async () => (await t.ctx.db.query<{ behind: boolean }>('SELECT last_seq < (SELECT max(seq) FROM ticket_events) AS behind FROM webhook_dispatch'))[0]?.behind;
    for (let round = 0; round < 100 && (await behind()); round++) await Promise.all([1, 2, 3, 4].map(() => dispatchLifecycleEvents(t.ctx, 7)));
    expect(await behind()).toBe(false);
    await Promise.all([1, 2, 3, 4].map(() => dispatchLifecycleEvents(t.ctx, 7)));
    const [row] = await t.ctx.db.query<{ n: number; distinct_seq: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT event_seq)::int AS distinct_seq FROM webhook_deliveries WHERE webhook_id = $1', [hook.body.id]);
    expect(row).toEqual({ n: 24, distinct_seq: 24 });
    const [jobs] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE kind = 'webhook.deliver' AND payload->>'webhook_id' = $1", [hook.body.id]);
    expect(jobs?.n).toBe(24);
    await Promise.all([runDueJobs(t.ctx, async () => undefined), runDueJobs(t.ctx, async () => undefined)]);
    expect(got).toHaveLength(24);
    expect(new Set(got.map((b) => JSON.parse(b).id)).size).toBe(24);
  });

  it('an event committed after a later one is still delivered (the cursor keeps the gap)', async () => {
    const [{ id: hookId } = { id: '' }] = await t.ctx.db.query<{ id: string }>('SELECT id FROM webhooks LIMIT 1');
    const slow = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Slow one', message: 'x', requester: { email: 'slow@example.org' } });
    await dispatchLifecycleEvents(t.ctx);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let inserted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => { inserted = resolve; });
    // A transaction takes a seq and stays open while a later event commits and is dispatched.
    const open = t.ctx.db.transaction(async (tx) => {
      await tx.query("INSERT INTO ticket_events (ticket_id, actor_kind, kind, before, after, created_at) VALUES ($1, 'system', 'status_changed', '{\"status\":\"open\"}', '{\"status\":\"solved\"}', now())", [slow.body.id]);
      inserted();
      await gate;
    });
    await started;
    const later = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Quick one', message: 'x', requester: { email: 'quick@example.org' } });
    expect(later.status).toBe(201);
    await dispatchLifecycleEvents(t.ctx);
    const events = async (ticket: string) => (await t.ctx.db.query<{ event: string }>('SELECT event FROM webhook_deliveries WHERE ticket_id = $1 AND webhook_id = $2', [ticket, hookId])).map((r) => r.event);
    expect(await events(later.body.id)).toEqual(['ticket.created']);
    await t.call('PATCH', `/api/v1/webhooks/${hookId}`, admin, { events: ['ticket.created', 'ticket.solved'] });
    release();
    await open;
    await dispatchLifecycleEvents(t.ctx);
    expect((await events(slow.body.id)).sort()).toEqual(['ticket.created', 'ticket.solved']);
    const [cursor] = await t.ctx.db.query<{ gaps: unknown[] }>('SELECT gaps FROM webhook_dispatch');
    expect(cursor?.gaps).toEqual([]);
  });

  it('one token through two servers at once: exactly its limit gets through in the minute', async () => {
    const made = await t.call('POST', '/api/v1/api-tokens', admin, { name: 'shared window', rate_limit_per_minute: 10 });
    const second = await buildServer(t.ctx, { bodyLimitBytes: 64 * 1024, logLevel: 'silent', signInPerMinute: 1000, publicPerMinute: 1000, secureCookies: false });
    try {
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? second : t.app).inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${made.body.token}` } })));
      expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(10);
      expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(14);
      expect(answers.filter((a) => a.statusCode === 200).map((a) => a.headers['ratelimit-remaining']).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    } finally {
      await second.close();
    }
  });
});
