import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../src/app/context.ts';
import { notify, type Notification } from '../src/app/notifications/notify.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// notify(): in-app rows and the API, e-mail digests and quiet hours on a controllable clock, and
// webhooks delivered to a real HTTP receiver on loopback (signature, retries, dead letters, SSRF guard).

let t: TestApp;
let agent: string;
let admin: string;
const mails: OutgoingMail[] = [];
const sendMail = async (m: OutgoingMail) => {
  mails.push(m);
};

type Received = { body: string; signature: string; delivery: string };
let receiver: http.Server;
let receiverUrl = '';
const received: Received[] = [];
let failNext = 0;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  admin = await t.signIn('admin@test.dev');
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503).end();
        return;
      }
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['x-replyby-signature']), delivery: String(req.headers['x-replyby-delivery']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await t.close();
});

const send = (n: Partial<Notification> & { recipients: string[] }) =>
  t.ctx.db.transaction((tx) => notify(tx, { event: 'sla.warning', ticketId: null, title: 'Heads up', body: 'Something is due', urgent: false, ...n }, t.ctx.now()));
const mailsTo = (email: string) => mails.filter((m) => m.to === email);
const outboxAt = async (iso: string) => {
  t.clock.set(iso);
  // Two passes: notify.email writes mail.staff, which the next pass sends.
  await runDueJobs(t.ctx, sendMail);
  await runDueJobs(t.ctx, sendMail);
};

describe('in-app notifications', () => {
  it('lists my notifications with an unread count and marks them read', async () => {
    t.clock.set('2025-03-10T08:00:00Z');
    await send({ recipients: [t.fixtures.users.agentSupport], title: 'One', email: false });
    await send({ recipients: [t.fixtures.users.agentSupport, t.fixtures.users.agentBilling], title: 'Two', email: false });
    const list = await t.call('GET', '/api/v1/notifications', agent);
    expect(list.status).toBe(200);
    expect(list.body.data.map((n: { title: string }) => n.title)).toEqual(['Two', 'One']);
    expect(list.body.unread_count).toBe(2);
    const firstId = Number(list.body.data[1].id);
    expect((await t.call('POST', '/api/v1/notifications/read', agent, { ids: [firstId] })).body).toEqual({ unread_count: 1 });
    expect((await t.call('GET', '/api/v1/notifications/unread-count', agent)).body).toEqual({ unread_count: 1 });
    expect((await t.call('GET', '/api/v1/notifications?unread=true', agent)).body.data.map((n: { title: string }) => n.title)).toEqual(['Two']);
    expect((await t.call('POST', '/api/v1/notifications/read', agent, {})).body).toEqual({ unread_count: 0 });
    // Someone else's are untouched.
    const bea = await t.signIn('bea@test.dev');
    expect((await t.call('GET', '/api/v1/notifications/unread-count', bea)).body).toEqual({ unread_count: 1 });
  });

  it('refuses bad input naming the field', async () => {
    const res = await t.call('POST', '/api/v1/notifications/read', agent, { ids: ['x'] });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('ids[0]');
  });
});

describe('staff e-mail', () => {
  it('sends the first at once and gathers the next ones within the window into one digest', async () => {
    mails.length = 0;
    t.clock.set('2025-03-10T09:00:00Z');
    await send({ recipients: [t.fixtures.users.supervisor], title: 'First' });
    await outboxAt('2025-03-10T09:00:00Z');
    expect(mailsTo('super@test.dev').map((m) => m.subject)).toEqual(['[Replyby] First']);
    t.clock.set('2025-03-10T09:00:30Z');
    await send({ recipients: [t.fixtures.users.supervisor], title: 'Second' });
    t.clock.set('2025-03-10T09:01:10Z');
    await send({ recipients: [t.fixtures.users.supervisor], title: 'Third' });
    await outboxAt('2025-03-10T09:01:59Z');
    expect(mailsTo('super@test.dev')).toHaveLength(1);
    await outboxAt('2025-03-10T09:02:00Z');
    const digest = mailsTo('super@test.dev')[1];
    expect(digest?.subject).toBe('[Replyby] 2 notifications');
    expect(digest?.text).toContain('Second');
    expect(digest?.text).toContain('Third');
    await outboxAt('2025-03-10T10:00:00Z');
    expect(mailsTo('super@test.dev')).toHaveLength(2);
  });

  it('waits for the recipient\'s working hours, unless the ticket is urgent', async () => {
    mails.length = 0;
    const cal = await t.call('POST', '/api/v1/sla/calendars', admin, { name: 'Office', spec: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } } });
    expect(cal.status).toBe(201);
    const bea = await t.signIn('bea@test.dev');
    expect((await t.call('PUT', '/api/v1/me/working-hours', bea, { calendar_id: cal.body.id })).status).toBe(200);
    // Monday 20:00 Berlin: after hours.
    t.clock.set('2025-03-10T19:00:00Z');
    await send({ recipients: [t.fixtures.users.agentBilling], title: 'Can wait' });
    await outboxAt('2025-03-10T19:00:00Z');
    expect(mailsTo('bea@test.dev')).toHaveLength(0);
    await send({ recipients: [t.fixtures.users.agentBilling], title: 'On fire', urgent: true });
    await outboxAt('2025-03-10T19:00:01Z');
    expect(mailsTo('bea@test.dev').map((m) => m.subject)).toEqual(['[Replyby] On fire']);
    await outboxAt('2025-03-11T07:59:59Z');
    expect(mailsTo('bea@test.dev')).toHaveLength(1);
    // Tuesday 09:00 Berlin.
    await outboxAt('2025-03-11T08:00:00Z');
    expect(mailsTo('bea@test.dev').map((m) => m.subject)).toEqual(['[Replyby] On fire', '[Replyby] Can wait']);
  });

  it('refuses an unknown calendar for working hours', async () => {
    const res = await t.call('PUT', '/api/v1/me/working-hours', agent, { calendar_id: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('calendar_id');
  });
});

describe('webhooks', () => {
  it('refuses private addresses unless allowed, and is for admins only', async () => {
    const res = await t.call('POST', '/api/v1/webhooks', admin, { url: receiverUrl });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('url');
    expect((await t.call('POST', '/api/v1/webhooks', agent, { url: 'https://example.org/x' })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/webhooks', admin, { url: 'ftp://example.org/x' })).body.error.path).toBe('url');
  });

  it('delivers signed, retries with backoff, files a dead letter, and retries it on request', async () => {
    t.ctx.settings.allowPrivateUrls = true;
    try {
      const created = await t.call('POST', '/api/v1/webhooks', admin, { url: receiverUrl, events: ['sla.breach'] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const secret: string = created.body.secret;
      t.clock.set('2025-03-12T08:00:00Z');
      await send({ recipients: [], event: 'sla.warning', title: 'not subscribed' });
      failNext = 2;
      await send({ recipients: [], event: 'sla.breach', title: 'Breached', data: { metric: 'first_response' } });
      await outboxAt('2025-03-12T08:00:00Z');
      expect(received).toHaveLength(0);
      // Backoff: 2 s after the first failure, 4 s after the second.
      await outboxAt('2025-03-12T08:00:01Z');
      expect(received).toHaveLength(0);
      await outboxAt('2025-03-12T08:00:02Z');
      expect(received).toHaveLength(0);
      await outboxAt('2025-03-12T08:00:06Z');
      expect(received).toHaveLength(1);
      const [got] = received;
      const payload = JSON.parse(got?.body ?? '{}');
      expect(payload).toMatchObject({ event: 'sla.breach', title: 'Breached', data: { metric: 'first_response' } });
      const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got?.signature ?? '') ?? [];
      expect(mac).toBe(createHmac('sha256', secret).update(`${ts}.${got?.body}`).digest('hex'));
      expect(got?.delivery).toBe(payload.id);

      // A receiver that keeps failing: after the last attempt the delivery is a dead letter.
      failNext = 1000;
      await send({ recipients: [], event: 'sla.breach', title: 'Doomed' });
      for (let i = 0; i < 10; i++) await outboxAt(new Date(t.clock.now.getTime() + 1100 * 1000).toISOString());
      const dead = await t.call('GET', '/api/v1/webhooks/dead-letters', admin);
      expect(dead.status).toBe(200);
      expect(dead.body.data).toHaveLength(1);
      expect(dead.body.data[0]).toMatchObject({ event: 'sla.breach', attempts: 8, last_error: 'the receiver answered 503' });
      expect((await t.call('GET', '/api/v1/webhooks/dead-letters', agent)).status).toBe(403);
      failNext = 0;
      expect((await t.call('POST', `/api/v1/webhooks/dead-letters/${dead.body.data[0].id}/retry`, admin)).status).toBe(204);
      await outboxAt(t.clock.now.toISOString());
      expect(received.map((r) => JSON.parse(r.body).title)).toEqual(['Breached', 'Doomed']);
      expect((await t.call('GET', '/api/v1/webhooks/dead-letters', admin)).body.data).toHaveLength(0);
    } finally {
      t.ctx.settings.allowPrivateUrls = false;
    }
  });
});
