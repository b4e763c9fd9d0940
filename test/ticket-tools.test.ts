import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepQueues } from '../src/app/routing/sweep-queues.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The agent's ticket tools from issue 9's routing part: snooze, merge, links, time tracking and the
// list filters the workspace needs, through HTTP.

let t: TestApp;
let agent: string; // alex, Support (default group)
let billingAgent: string; // bea, Billing only
let sup: string;
let seq = 0;
beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  billingAgent = await t.signIn('bea@test.dev');
  sup = await t.signIn('super@test.dev');
});
afterAll(() => t.close());

async function ticket(body: Record<string, unknown> = {}, token = agent) {
  seq += 1;
  const res = await t.call('POST', '/api/v1/tickets', token, { subject: `Tool ${seq}`, message: `body ${seq}`, requester: { email: 'anna@acme.example' }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  t.clock.advanceMinutes(1);
  return res.body as { id: string; number: number };
}
const get = async (n: number, token = sup) => (await t.call('GET', `/api/v1/tickets/${n}`, token)).body;
const kinds = async (n: number) => ((await t.call('GET', `/api/v1/tickets/${n}/events`, sup)).body.data as { kind: string; after: any }[]);
const listNumbers = async (query: string, token = agent) => {
  const res = await t.call('GET', `/api/v1/tickets?${query}&limit=200`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.data as { number: number }[]).map((x) => x.number);
};
const queueNumbers = async (token = agent) => ((await t.call('GET', '/api/v1/queue?limit=200', token)).body.data as { number: number }[]).map((x) => x.number);

describe('snooze', () => {
  it('hides a ticket from the queue until the given time, then the sweep wakes it with an event', async () => {
    const tk = await ticket();
    const until = new Date(t.clock.now.getTime() + 60 * 60_000).toISOString();
    const res = await t.call('POST', `/api/v1/tickets/${tk.number}/snooze`, agent, { until });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.snoozed_until).toBe(until);
    expect(await queueNumbers()).not.toContain(tk.number);
    expect(await listNumbers('snoozed=true')).toContain(tk.number);
    expect(await listNumbers('snoozed=false')).not.toContain(tk.number);
    t.clock.advanceMinutes(61);
    // Visible again at once (decided at query time), before any sweep has run.
    expect(await queueNumbers()).toContain(tk.number);
    expect((await sweepQueues(t.ctx)).woke).toBeGreaterThanOrEqual(1);
    expect((await get(tk.number)).snoozed_until).toBeNull();
    expect((await kinds(tk.number)).find((e) => e.kind === 'unsnoozed')?.after).toEqual({ reason: 'time' });
  });

  it('until the customer replies: the reply wakes it; an agent can wake it by hand', async () => {
    const tk = await ticket();
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/snooze`, agent, { until_reply: true })).body).toMatchObject({ snoozed_until: null, snooze_until_reply: true });
    t.clock.advanceMinutes(60 * 24 * 2); // no time limit: days pass, it stays hidden
    await sweepQueues(t.ctx);
    expect(await queueNumbers()).not.toContain(tk.number);
    const anna = await t.signIn('anna@acme.example', undefined, true);
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, anna, { body: 'Here is the log' })).status).toBe(201);
    expect(await queueNumbers()).toContain(tk.number);
    expect((await kinds(tk.number)).find((e) => e.kind === 'unsnoozed')?.after).toEqual({ reason: 'reply' });

    const other = await ticket();
    await t.call('POST', `/api/v1/tickets/${other.number}/snooze`, agent, { until_reply: true });
    expect((await t.call('DELETE', `/api/v1/tickets/${other.number}/snooze`, agent)).body.snooze_until_reply).toBe(false);
    expect(await queueNumbers()).toContain(other.number);
  });

  it('a woken ticket of an automatic group is routed', async () => {
    const tk = await ticket();
    await t.call('POST', `/api/v1/tickets/${tk.number}/snooze`, agent, { until: new Date(t.clock.now.getTime() + 5 * 60_000).toISOString() });
    const groupId = (await get(tk.number)).group.id;
    const alexId: string = (await t.call('GET', '/api/v1/auth/me', agent)).body.principal.id;
    await t.call('PATCH', `/api/v1/groups/${groupId}/routing`, sup, { assignment_mode: 'round_robin' });
    expect((await t.call('PATCH', `/api/v1/routing/agents/${alexId}`, sup, { availability: 'online', capacity: 100 })).status).toBe(200);
    expect((await get(tk.number)).assignee).toBeNull(); // still snoozed: not offered
    t.clock.advanceMinutes(6);
    await sweepQueues(t.ctx);
    expect((await get(tk.number)).assignee?.id).toBe(alexId);
    await t.call('PATCH', `/api/v1/groups/${groupId}/routing`, sup, { assignment_mode: 'manual' });
  });

  it('rejects bad snoozes naming the field', async () => {
    const tk = await ticket();
    const past = new Date(t.clock.now.getTime() - 60_000).toISOString();
    for (const [body, path] of [[{}, 'until'], [{ until: 'tomorrow' }, 'until'], [{ until: past }, 'until'], [{ until_reply: 'yes' }, 'until_reply']] as const) {
      const res = await t.call('POST', `/api/v1/tickets/${tk.number}/snooze`, agent, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.path).toBe(path);
    }
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'solved' });
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/snooze`, agent, { until_reply: true })).status).toBe(422);
  });
});

describe('merge', () => {
  it('moves messages to the survivor, closes the merged ticket pointing to it, and keeps the earliest SLA start', async () => {
    expect((await t.call('POST', '/api/v1/sla/policies', sup, { name: 'Merge 24/7', metrics: [{ name: 'first_response', target_minutes: 120 }] })).status).toBe(201);
    const older = await ticket();
    t.clock.advanceMinutes(60);
    const survivor = await ticket();
    const dueBefore = (await get(survivor.number)).sla.metrics.first_response.due_at;
    const res = await t.call('POST', `/api/v1/tickets/${older.number}/merge`, agent, { into: survivor.number });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.number).toBe(survivor.number);
    // The older request started the clock 61 minutes earlier.
    expect(Date.parse(res.body.sla.metrics.first_response.due_at)).toBe(Date.parse(dueBefore) - 61 * 60_000);
    const merged = await get(older.number);
    expect(merged).toMatchObject({ status: 'closed', merged_into_id: survivor.id });
    const messages = (await t.call('GET', `/api/v1/tickets/${survivor.number}/messages`, sup)).body.data as { body_text: string }[];
    expect(messages.map((m) => m.body_text).sort()).toEqual([`body ${seq - 1}`, `body ${seq}`].sort());
    expect((await kinds(survivor.number)).find((e) => e.kind === 'merged')?.after).toMatchObject({ ticket_id: older.id, messages: 1 });
    expect((await kinds(older.number)).find((e) => e.kind === 'merged_into')?.after).toMatchObject({ ticket_id: survivor.id });
    // A merged ticket cannot be merged again, nor receive merges.
    const third = await ticket();
    expect((await t.call('POST', `/api/v1/tickets/${third.number}/merge`, agent, { into: older.number })).status).toBe(422);
    expect((await t.call('POST', `/api/v1/tickets/${older.number}/merge`, agent, { into: third.number })).status).toBe(422);
  });

  it('is permission-checked and validated', async () => {
    const a = await ticket();
    const b = await ticket();
    // bea (Billing) cannot see Support tickets: they do not exist for her.
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/merge`, billingAgent, { into: b.number })).status).toBe(404);
    const anna = await t.signIn('anna@acme.example', undefined, true);
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/merge`, anna, { into: b.number })).status).toBe(403);
    const self = await t.call('POST', `/api/v1/tickets/${a.number}/merge`, agent, { into: a.number });
    expect(self.status).toBe(400);
    expect(self.body.error.path).toBe('into');
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/merge`, agent, { into: 99999999 })).body.error.path).toBe('into');
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/merge`, agent, {})).body.error.path).toBe('into');
    expect((await get(a.number)).status).not.toBe('closed');
  });
});

describe('bulk merge', () => {
  it('merges several tickets into one survivor in one transaction, keeping every message and the earliest start', async () => {
    const first = await ticket();
    const second = await ticket();
    const survivor = await ticket();
    const res = await t.call('POST', '/api/v1/tickets/bulk-merge', agent, { numbers: [first.number, second.number, survivor.number], into: survivor.number });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ survivor: survivor.number, merged: [first.number, second.number] });
    for (const n of [first.number, second.number]) expect(await get(n)).toMatchObject({ status: 'closed', merged_into_id: survivor.id });
    const messages = (await t.call('GET', `/api/v1/tickets/${survivor.number}/messages`, sup)).body.data as { body_text: string }[];
    expect(messages).toHaveLength(3);
    expect((await kinds(survivor.number)).filter((e) => e.kind === 'merged').map((e) => e.after.number).sort()).toEqual([first.number, second.number].sort());
  });

  it('merges all or none: one ticket that cannot be merged leaves every ticket as it was, and the error names it', async () => {
    const a = await ticket();
    const closed = await ticket();
    expect((await t.call('PATCH', `/api/v1/tickets/${closed.number}`, agent, { status: 'closed' })).status).toBe(200);
    const survivor = await ticket();
    const res = await t.call('POST', '/api/v1/tickets/bulk-merge', agent, { numbers: [a.number, closed.number], into: survivor.number });
    expect(res.status).toBe(422);
    expect(res.body.error.path).toBe('numbers[1]');
    expect(await get(a.number)).toMatchObject({ merged_into_id: null });
    expect((await get(a.number)).status).not.toBe('closed');
    expect((await t.call('GET', `/api/v1/tickets/${survivor.number}/messages`, sup)).body.data).toHaveLength(1);
  });

  it('is permission-checked and validated, naming the field', async () => {
    const a = await ticket();
    const b = await ticket();
    const cases: [unknown, string][] = [
      [{ numbers: [], into: b.number }, 'numbers'],
      [{ numbers: [a.number] }, 'into'],
      [{ numbers: [b.number], into: b.number }, 'numbers'],
      [{ numbers: [a.number, 99999999], into: b.number }, 'numbers[1]'],
      [{ numbers: [a.number], into: 99999999 }, 'into'],
      [{ numbers: ['x'], into: b.number }, 'numbers[0]'],
    ];
    for (const [body, path] of cases) {
      const res = await t.call('POST', '/api/v1/tickets/bulk-merge', agent, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.path, JSON.stringify(body)).toBe(path);
    }
    expect((await t.call('POST', '/api/v1/tickets/bulk-merge', billingAgent, { numbers: [a.number], into: b.number })).body.error.path).toBe('into');
    const anna = await t.signIn('anna@acme.example', undefined, true);
    expect((await t.call('POST', '/api/v1/tickets/bulk-merge', anna, { numbers: [a.number], into: b.number })).status).toBe(403);
    expect((await get(a.number)).merged_into_id).toBeNull();
  });
});

describe('links', () => {
  it('links both ways, once, with events on both, and unlinks', async () => {
    const a = await ticket();
    const b = await ticket();
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/links`, agent, { ticket: b.number })).status).toBe(201);
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/links`, agent, { ticket: String(b.number) })).status).toBe(201);
    expect((await t.call('GET', `/api/v1/tickets/${b.number}/links`, agent)).body.data.map((x: { number: number }) => x.number)).toEqual([a.number]);
    expect((await t.call('GET', `/api/v1/tickets/${a.number}/links`, agent)).body.data.map((x: { number: number }) => x.number)).toEqual([b.number]);
    expect((await kinds(a.number)).filter((e) => e.kind === 'linked')).toHaveLength(1);
    expect((await kinds(b.number)).filter((e) => e.kind === 'linked')).toHaveLength(1);
    expect((await t.call('DELETE', `/api/v1/tickets/${b.number}/links/${a.number}`, agent)).status).toBe(204);
    expect((await t.call('GET', `/api/v1/tickets/${a.number}/links`, agent)).body.data).toEqual([]);
    expect((await t.call('DELETE', `/api/v1/tickets/${b.number}/links/${a.number}`, agent)).status).toBe(404);
    expect((await t.call('POST', `/api/v1/tickets/${a.number}/links`, agent, { ticket: a.number })).body.error.path).toBe('ticket');
  });
});

describe('time tracking', () => {
  it('books minutes per agent with a total, and reports them per agent for managers', async () => {
    const tk = await ticket();
    const from = t.clock.now.toISOString();
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/time`, agent, { minutes: 25, note: 'diagnosis' })).status).toBe(201);
    t.clock.advanceMinutes(1); // entries list oldest first
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/time`, sup, { minutes: 5 })).status).toBe(201);
    const list = await t.call('GET', `/api/v1/tickets/${tk.number}/time`, agent);
    expect(list.body.total_minutes).toBe(30);
    expect(list.body.data.map((e: { minutes: number; note: string }) => [e.minutes, e.note])).toEqual([[25, 'diagnosis'], [5, '']]);
    t.clock.advanceMinutes(1);
    const report = await t.call('GET', `/api/v1/reports/time?from=${from}&to=${t.clock.now.toISOString()}`, sup);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.total_minutes).toBe(30);
    expect((await t.call('GET', `/api/v1/reports/time?from=${from}&to=${t.clock.now.toISOString()}`, agent)).status).toBe(403);
    for (const [body, path] of [[{ minutes: 0 }, 'minutes'], [{ minutes: 1.5 }, 'minutes'], [{ minutes: 2000 }, 'minutes'], [{ minutes: 5, note: 7 }, 'note']] as const) {
      const res = await t.call('POST', `/api/v1/tickets/${tk.number}/time`, agent, body);
      expect(res.status).toBe(400);
      expect(res.body.error.path).toBe(path);
    }
    expect((await t.call('GET', `/api/v1/reports/time?from=${t.clock.now.toISOString()}&to=${from}`, sup)).body.error.path).toBe('to');
  });
});

describe('list filters', () => {
  it('assignee=me and assignee=none, with group_id as the group queue', async () => {
    const id: string = (await t.call('GET', '/api/v1/auth/me', agent)).body.principal.id;
    const mine = await ticket({ assignee_id: id });
    const waiting = await ticket();
    const groupId = (await get(waiting.number)).group.id;
    expect(await listNumbers('assignee=me')).toContain(mine.number);
    expect(await listNumbers('assignee=me')).not.toContain(waiting.number);
    const queue = await listNumbers(`assignee=none&group_id=${groupId}&status=new,open,pending,on_hold`);
    expect(queue).toContain(waiting.number);
    expect(queue).not.toContain(mine.number);
    const bad = await t.call('GET', '/api/v1/tickets?assignee=someone', agent);
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('assignee');
  });
});
