import { sseFrames } from './helpers/sse-frames.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishTicketChange } from '../src/app/shared/publish-ticket-change.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Live updates through the real HTTP surface: a listening server, an SSE stream read with fetch,
// changes made over HTTP by another person.

let t: TestApp;
let base: string;
let agent: string; // alex, Support
let billing: string; // bea, Billing only
let sup: string;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  billing = await t.signIn('bea@test.dev');
  sup = await t.signIn('super@test.dev');
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => t.close());

type Received = { type: string; data: Record<string, unknown> };

/** Opens /api/v1/events as `token` and collects its events until closed. */
async function openStream(token: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: Received[] = [];
  const waiters: (() => void)[] = [];
  const body = res.body;
  if (!body) throw new Error('no body');
  void (async () => {
    try {
      for await (const block of sseFrames(body)) {
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
        waiters.splice(0).forEach((w) => w());
      }
    } catch {
      // aborted
    }
  })();
  const until = async (pred: (e: Received) => boolean, ms = 5000): Promise<Received> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  await until((e) => e.type === 'hello');
  return { events, until, close: () => ctrl.abort() };
}

async function create(subject: string, group: string) {
  const res = await t.call('POST', '/api/v1/tickets', sup, { subject, message: 'x', requester: { email: 'live@example.org' }, group_id: group });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: number };
}

describe('live ticket changes over server-sent events', () => {
  it('tells an agent of a new ticket, a field change and a message in their group, and not an agent of another group', async () => {
    const alex = await openStream(agent);
    const bea = await openStream(billing);
    try {
      const ticket = await create('Live one', t.fixtures.groups.support);
      const created = await alex.until((e) => e.type === 'ticket' && e.data.ticket_id === ticket.id);
      expect(created.data).toMatchObject({ kind: 'created', number: ticket.number });

      expect((await t.call('PATCH', `/api/v1/tickets/${ticket.number}`, sup, { priority: 'high' })).status).toBe(200);
      await alex.until((e) => e.data.ticket_id === ticket.id && e.data.kind === 'updated');
      expect((await t.call('POST', `/api/v1/tickets/${ticket.number}/messages`, sup, { body: 'hello', kind: 'internal' })).status).toBe(201);
      await alex.until((e) => e.data.ticket_id === ticket.id && e.data.kind === 'message');

      // Bea sees a Billing ticket created after these, so by then she would have had the Support ones.
      const hers = await create('Billing one', t.fixtures.groups.billing);
      await bea.until((e) => e.data.ticket_id === hers.id);
      expect(bea.events.filter((e) => e.data.ticket_id === ticket.id)).toEqual([]);
    } finally {
      alex.close();
      bea.close();
    }
  });

  it('delivers a change only when its transaction commits', async () => {
    const s = await openStream(sup);
    try {
      const ticket = await create('Rolled back', t.fixtures.groups.support);
      await s.until((e) => e.data.ticket_id === ticket.id && e.data.kind === 'created');
      await expect(
        t.ctx.db.transaction(async (tx) => {
          await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: null });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await t.ctx.db.transaction((tx) => publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'message', actor_id: null }));
      await s.until((e) => e.data.ticket_id === ticket.id && e.data.kind === 'message');
      expect(s.events.filter((e) => e.data.ticket_id === ticket.id && e.data.kind === 'updated')).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('tells viewers when an agent sets the diagnosis (the triage panel of an open ticket refreshes)', async () => {
    const s = await openStream(sup);
    try {
      const ticket = await create('Diagnosed live', t.fixtures.groups.support);
      await s.until((e) => e.data.ticket_id === ticket.id && e.data.kind === 'created');
      expect((await t.call('PATCH', `/api/v1/tickets/${ticket.number}/diagnosis`, agent, { impact: 'high' })).status).toBe(200);
      await s.until((e) => e.data.ticket_id === ticket.id && e.data.kind === 'updated');
    } finally {
      s.close();
    }
  });

  it('tells viewers when a ticket is snoozed, woken or merged into another', async () => {
    const s = await openStream(sup);
    try {
      const ticket = await create('Snoozed live', t.fixtures.groups.support);
      const survivor = await create('Merge survivor', t.fixtures.groups.support);
      await s.until((e) => e.data.ticket_id === survivor.id && e.data.kind === 'created');
      const updates = (id: string) => s.events.filter((e) => e.data.ticket_id === id && e.data.kind === 'updated').length;
      const until = new Date(Date.now() + 3_600_000).toISOString();
      expect((await t.call('POST', `/api/v1/tickets/${ticket.number}/snooze`, agent, { until })).status).toBe(200);
      await s.until(() => updates(ticket.id) >= 1);
      expect((await t.call('DELETE', `/api/v1/tickets/${ticket.number}/snooze`, agent)).status).toBe(200);
      await s.until(() => updates(ticket.id) >= 2);
      expect((await t.call('POST', `/api/v1/tickets/${ticket.number}/merge`, agent, { into: survivor.number })).status).toBe(200);
      await s.until(() => updates(survivor.id) >= 1);
    } finally {
      s.close();
    }
  });

  it('refuses a stream without a session', async () => {
    const res = await fetch(`${base}/api/v1/events`);
    expect(res.status).toBe(401);
  });
});

describe('presence (collision notice) and the supervisor board', () => {
  it('tells a viewer who else is viewing or typing, and shows online agents with their load on the board', async () => {
    const ticket = await create('Two agents', t.fixtures.groups.support);
    const alex = await openStream(agent);
    try {
      expect((await t.call('POST', `/api/v1/tickets/${ticket.number}/presence`, agent, { state: 'viewing' })).body.others).toEqual([]);
      const res = await t.call('POST', `/api/v1/tickets/${ticket.number}/presence`, sup, { state: 'typing' });
      expect(res.body.others).toEqual([expect.objectContaining({ name: 'alex@test.dev', state: 'viewing' })]);
      const seen = await alex.until((e) => e.type === 'presence' && e.data.ticket_id === ticket.id && JSON.stringify(e.data.people).includes('typing'));
      expect(seen.data.people).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'super@test.dev', state: 'typing' })]));
      // an agent of another group may not see the ticket, so cannot announce presence on it
      expect((await t.call('POST', `/api/v1/tickets/${ticket.number}/presence`, billing, { state: 'viewing' })).status).toBe(404);
      expect((await t.call('POST', `/api/v1/tickets/${ticket.number}/presence`, agent, { state: 'dancing' })).status).toBe(400);

      const board = await t.call('GET', '/api/v1/board', sup);
      expect(board.status).toBe(200);
      const alexRow = (board.body.agents as { name: string; online: boolean }[]).find((a) => a.name === 'alex@test.dev');
      expect(alexRow?.online).toBe(true);
      expect((board.body.agents as { name: string; online: boolean }[]).find((a) => a.name === 'bea@test.dev')?.online).toBe(false);
      const support = (board.body.by_group as { group_name: string; status: string; count: number }[]).filter((r) => r.group_name === 'Support' && r.status === 'new');
      expect(support[0]?.count).toBeGreaterThanOrEqual(1);
      expect((await t.call('GET', '/api/v1/board', agent)).status).toBe(403);
    } finally {
      alex.close();
    }
  });
});
