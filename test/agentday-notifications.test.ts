import { sseFrames } from './helpers/sse-frames.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, OutgoingMail } from '../src/app/context.ts';
import { seedDemo } from '../src/app/demo/seed-demo.ts';
import { runDueSlaActions } from '../src/app/monitor/run-due-sla-actions.ts';
import { notify, type Notification } from '../src/app/notifications/notify.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { openTestDb } from './helpers/test-db.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 12: the bell's API (own notifications only, a page at a time, mark one / all
// read), its live ring over the event stream, and a first start that does not mail the demo's backlog.

let t: TestApp;
let base: string;
let alex: string;
let bea: string;
beforeAll(async () => {
  t = await startTestApp();
  [alex, bea] = await Promise.all([t.signIn('alex@test.dev'), t.signIn('bea@test.dev')]);
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => t.close());

const send = (n: Partial<Notification> & { recipients: string[] }) =>
  t.ctx.db.transaction((tx) => notify(tx, { event: 'sla.warning', ticketId: null, title: 'Heads up', body: 'Due', urgent: false, email: false, ...n }, t.ctx.now()));
type N = { id: string; title: string; data: Record<string, unknown>; read_at: string | null };

/** Reads /api/v1/events as `token`; `next(type)` waits for the next event of that type. */
async function openStream(token: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  const body = res.body;
  if (!body) throw new Error('no body');
  const seen: string[] = [];
  void (async () => {
    try {
      for await (const block of sseFrames(body)) {
        const type = /^event: (.*)$/m.exec(block)?.[1];
        if (type) seen.push(type);
      }
    } catch {
      // aborted
    }
  })();
  await expect.poll(() => seen.includes('hello'), { timeout: 5000 }).toBe(true);
  return { count: (type: string) => seen.filter((s) => s === type).length, close: () => ctrl.abort() };
}

describe('the bell', () => {
  it('pages my notifications with a cursor, with their facts; marks one and all read; never anyone else\'s', async () => {
    const { agentSupport, agentBilling } = t.fixtures.users;
    for (let i = 1; i <= 5; i++) await send({ recipients: [agentSupport], title: `Alex ${i}`, data: { metric: 'first_response', due_at: '2025-03-10T09:00:00.000Z' } });
    await send({ recipients: [agentBilling], title: 'Bea only' });

    const first = await t.call('GET', '/api/v1/notifications?limit=2', alex);
    expect(first.status).toBe(200);
    expect(first.body.unread_count).toBe(5);
    expect(first.body.data.map((n: N) => n.title)).toEqual(['Alex 5', 'Alex 4']);
    expect(first.body.data[0].data).toEqual({ metric: 'first_response', due_at: '2025-03-10T09:00:00.000Z' });
    const titles: string[] = first.body.data.map((n: N) => n.title);
    for (let cursor = first.body.next_cursor as string | null; cursor;) {
      const page = await t.call('GET', `/api/v1/notifications?limit=2&cursor=${cursor}`, alex);
      titles.push(...page.body.data.map((n: N) => n.title));
      cursor = page.body.next_cursor;
    }
    expect(titles).toEqual(['Alex 5', 'Alex 4', 'Alex 3', 'Alex 2', 'Alex 1']);
    expect((await t.call('GET', '/api/v1/notifications?cursor=abc', alex)).body.error.path).toBe('cursor');

    const beaList = await t.call('GET', '/api/v1/notifications', bea);
    expect(beaList.body.data.map((n: N) => n.title)).toEqual(['Bea only']);
    const beaId = beaList.body.data[0].id as string;
    // Alex cannot read, or mark, Bea's.
    expect((await t.call('POST', `/api/v1/notifications/${beaId}/read`, alex)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/notifications/unread-count', bea)).body.unread_count).toBe(1);

    const one = await t.call('POST', `/api/v1/notifications/${first.body.data[0].id}/read`, alex);
    expect(one.status).toBe(200);
    expect(one.body.unread_count).toBe(4);
    expect((await t.call('POST', '/api/v1/notifications/read-all', alex)).body.unread_count).toBe(0);
    expect((await t.call('GET', '/api/v1/notifications?unread=true', alex)).body.data).toEqual([]);
    expect((await t.call('GET', '/api/v1/notifications/unread-count', bea)).body.unread_count).toBe(1);
    expect((await t.call('POST', '/api/v1/notifications/1x/read', alex)).status).toBe(400);
  });

  it('rings only the recipient\'s live stream, and again when read in another tab', async () => {
    const a = await openStream(alex);
    const b = await openStream(bea);
    try {
      await send({ recipients: [t.fixtures.users.agentSupport], title: 'Ring' });
      await expect.poll(() => a.count('notification'), { timeout: 5000 }).toBe(1);
      await t.call('POST', '/api/v1/notifications/read-all', alex);
      await expect.poll(() => a.count('notification'), { timeout: 5000 }).toBe(2);
      // Bea's stream heard nothing of Alex's bell (a ticket-less notification for her arrives, as a control).
      await send({ recipients: [t.fixtures.users.agentBilling], title: 'Control' });
      await expect.poll(() => b.count('notification'), { timeout: 5000 }).toBe(1);
      expect(a.count('notification')).toBe(2);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('first start', () => {
  it('the demo seed\'s backlog rings the bell but mails no staff digest', async () => {
    const db = await openTestDb();
    try {
      const now = new Date('2026-12-07T10:00:00Z');
      const ctx: AppContext = { db, now: () => now, settings: { ticketPrefix: '#', publicUrl: 'http://replyby.test' }, log: { info: () => undefined, warn: () => undefined, error: () => undefined } };
      expect(await seedDemo(ctx)).toBe(true);
      // What the worker does at its first start: the monitor, then the outbox (twice: notify.email writes mail.staff).
      await runDueSlaActions(ctx);
      const mails: OutgoingMail[] = [];
      await runDueJobs(ctx, async (m) => { mails.push(m); });
      await runDueJobs(ctx, async (m) => { mails.push(m); });
      const staff = new Set((await db.query<{ email: string }>('SELECT email FROM users')).map((u) => u.email));
      expect(mails.filter((m) => staff.has(m.to))).toEqual([]);
      const [bell] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE read_at IS NULL');
      expect(bell?.n).toBeGreaterThan(0);
    } finally {
      await db.dispose();
    }
  }, 300_000);
});
