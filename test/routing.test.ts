import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// Automatic assignment through the public HTTP surface: every mode, capacity, availability, and the
// three moments assignment happens (intake, capacity freed, agent online).

let t: TestApp;
let sup: string;
let groupId: string;
let seq = 0;
const agents: { id: string; email: string }[] = [];
/** Signing in hashes a password (scrypt): only for the agents a test acts as. */
const tokenOf = (a: { email: string }) => t.signIn(a.email);

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
});
afterAll(() => t.close());

/** A fresh group with `n` agents, each with the given routing settings, for one test. */
async function team(n: number, settings: Record<string, unknown> = {}, mode = 'round_robin', skills: string[] = []): Promise<typeof agents> {
  seq += 1;
  const group = await t.call('POST', '/api/v1/groups', sup, { name: `Team ${seq}` });
  expect(group.status).toBe(201);
  groupId = group.body.id;
  expect((await t.call('PATCH', `/api/v1/groups/${groupId}/routing`, sup, { assignment_mode: mode, skills })).status).toBe(200);
  agents.length = 0;
  for (let i = 0; i < n; i++) {
    const email = `agent${seq}-${i}@test.dev`;
    const user = await t.call('POST', '/api/v1/users', sup, { email, name: `Agent ${seq}-${i}`, password: PASSWORD, group_ids: [groupId] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const res = await t.call('PATCH', `/api/v1/routing/agents/${user.body.id}`, sup, { availability: 'online', capacity: 5, ...settings });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    agents.push({ id: user.body.id, email });
  }
  return agents;
}

async function ticket(body: Record<string, unknown> = {}) {
  seq += 1;
  const res = await t.call('POST', '/api/v1/tickets', sup, { subject: `T${seq}`, message: 'help', requester: { email: `c${seq}@example.org` }, group_id: groupId, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  t.clock.advanceMinutes(1); // distinct creation times: the queue's tie-break is deterministic
  return res.body as { id: string; number: number; stage: string; assignee: { id: string } | null };
}
const assigneeOf = async (number: number) => (await t.call('GET', `/api/v1/tickets/${number}`, sup)).body.assignee?.id ?? null;

beforeEach(() => t.clock.advanceMinutes(1));

describe('assignment at intake', () => {
  it('manual groups leave tickets unassigned in the queue', async () => {
    await team(1, {}, 'manual');
    const tk = await ticket();
    expect(tk.assignee).toBeNull();
    expect(tk.stage).toBe('received');
  });

  it('round-robin rotates over the online agents, with an event naming the mode and stage assigned', async () => {
    const [a, b] = await team(2);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const tk = await ticket();
      got.push(tk.assignee?.id ?? 'none');
      expect(tk.stage).toBe('assigned');
      t.clock.advanceMinutes(1);
    }
    expect(new Set(got.slice(0, 2))).toEqual(new Set([a?.id, b?.id]));
    expect(got[2]).toBe(got[0]);
    expect(got[3]).toBe(got[1]);
    const first = await ticket();
    const events = (await t.call('GET', `/api/v1/tickets/${first.number}/events`, sup)).body.data as { kind: string; after: Record<string, unknown>; actor: { kind: string } }[];
    expect(events.find((e) => e.kind === 'assignee_changed')).toMatchObject({ actor: { kind: 'system' }, after: { assignee_id: first.assignee?.id, by: 'routing', mode: 'round_robin' } });
    expect(events.find((e) => e.kind === 'stage_changed')?.after).toEqual({ stage: 'assigned' });
  });

  it('least-loaded picks the agent using the smallest share of capacity', async () => {
    const [a, b] = await team(2, {}, 'least_loaded');
    if (!a || !b) throw new Error('team');
    // a has two open tickets assigned by hand; b none.
    for (let i = 0; i < 2; i++) await ticket({ assignee_id: a.id });
    expect((await ticket()).assignee?.id).toBe(b.id);
    expect((await ticket()).assignee?.id).toBe(b.id);
    // Now 2/5 each; b has the bigger capacity after this change, so the lower share.
    await t.call('PATCH', `/api/v1/routing/agents/${b.id}`, sup, { capacity: 10 });
    expect((await ticket()).assignee?.id).toBe(b.id);
  });

  it('skills-based gives the ticket only to an agent holding every needed skill, else it waits', async () => {
    const [ru, en] = await team(2, {}, 'skills', ['lang:ru', 'lang:en', 'type:complaint']);
    if (!ru || !en) throw new Error('team');
    await t.call('PATCH', `/api/v1/routing/agents/${ru.id}`, sup, { skills: ['lang:ru', 'type:complaint'] });
    await t.call('PATCH', `/api/v1/routing/agents/${en.id}`, sup, { skills: ['lang:en'] });
    const contact = await t.call('POST', '/api/v1/contacts', sup, { email: `ivan${seq}@example.ru`, name: 'Ivan', language: 'ru' });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    expect((await ticket({ requester: undefined, requester_id: contact.body.id })).assignee?.id).toBe(ru.id);
    expect((await ticket({ type: 'complaint' })).assignee).toBeNull(); // English complaint: nobody has both
    expect((await ticket()).assignee?.id).toBe(en.id);
    // Skills the group does not route on are not needed: a tag nobody has changes nothing.
    expect((await ticket({ tags: ['vip'] })).assignee?.id).toBe(en.id);
  });

  it('never assigns to an away or offline agent, nor to a full one', async () => {
    const [a] = await team(1, { capacity: 1 });
    if (!a) throw new Error('team');
    await t.call('PUT', '/api/v1/routing/me/availability', await tokenOf(a), { availability: 'away' });
    expect((await ticket()).assignee).toBeNull();
    await t.call('PATCH', `/api/v1/routing/agents/${a.id}`, sup, { availability: 'offline' });
    expect((await ticket()).assignee).toBeNull();
  });

  it('honours per-channel capacity on top of the total', async () => {
    const [a] = await team(1, { capacity: 5, channel_capacity: { phone: 1 } });
    expect((await ticket({ channel: 'phone' })).assignee?.id).toBe(a?.id);
    expect((await ticket({ channel: 'phone' })).assignee).toBeNull();
    expect((await ticket({ channel: 'email' })).assignee?.id).toBe(a?.id);
  });

  it('outside the working-hours calendar an online agent receives nothing', async () => {
    const cal = await t.call('POST', '/api/v1/sla/calendars', sup, { name: `Hours ${seq}`, spec: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] } } });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    const [a] = await team(1, { calendar_id: cal.body.id });
    t.clock.set('2025-03-11T08:00:00Z'); // a Tuesday
    expect((await ticket()).assignee).toBeNull();
    t.clock.set('2025-03-17T10:00:00Z'); // Monday 10:00
    expect((await ticket()).assignee?.id).toBe(a?.id);
  });
});

describe('assignment when capacity frees or an agent comes online', () => {
  it('an agent coming online takes the most urgent waiting tickets first, up to capacity', async () => {
    const [a] = await team(1, { availability: 'offline', capacity: 2 });
    if (!a) throw new Error('team');
    const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: `By priority ${seq}`, conditions: [{ field: 'group_id', values: [groupId] }],
      metrics: [{ name: 'first_response', targets_by_priority: { urgent: 30, normal: 240, low: 480 } }],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const low = await ticket({ priority: 'low' });
    const normal = await ticket({ priority: 'normal' });
    const urgent = await ticket({ priority: 'urgent' });
    expect([low.assignee, urgent.assignee, normal.assignee]).toEqual([null, null, null]);
    const res = await t.call('PUT', '/api/v1/routing/me/availability', await tokenOf(a), { availability: 'online' });
    expect(res.status).toBe(200);
    expect(res.body.open_tickets).toBe(2);
    // Earliest SLA due first: the urgent one (created last), then normal; low waits.
    expect(await assigneeOf(urgent.number)).toBe(a.id);
    expect(await assigneeOf(normal.number)).toBe(a.id);
    expect(await assigneeOf(low.number)).toBeNull();
  });

  it('solving a ticket hands the agent the next waiting one; reassigning away does too', async () => {
    const [a] = await team(1, { capacity: 1 });
    if (!a) throw new Error('team');
    const first = await ticket();
    const second = await ticket();
    const third = await ticket();
    expect(first.assignee?.id).toBe(a.id);
    expect(second.assignee).toBeNull();
    expect((await t.call('PATCH', `/api/v1/tickets/${first.number}`, await tokenOf(a), { status: 'solved' })).status).toBe(200);
    expect(await assigneeOf(second.number)).toBe(a.id);
    expect((await t.call('PATCH', `/api/v1/tickets/${second.number}`, sup, { assignee_id: null })).status).toBe(200);
    // The agent let the second go: they get the third, and the second waits (it is not handed back).
    expect(await assigneeOf(third.number)).toBe(a.id);
    expect(await assigneeOf(second.number)).toBeNull();
  });
});

describe('routing settings API', () => {
  it('an agent sets only their own availability', async () => {
    const [a, b] = await team(2);
    if (!a || !b) throw new Error('team');
    expect((await t.call('PATCH', `/api/v1/routing/agents/${a.id}`, await tokenOf(a), { capacity: 50 })).status).toBe(403);
    expect((await t.call('PATCH', `/api/v1/routing/agents/${b.id}`, await tokenOf(a), { availability: 'away' })).status).toBe(403);
    const own = await t.call('PATCH', `/api/v1/routing/agents/${a.id}`, await tokenOf(a), { availability: 'away' });
    expect(own.status).toBe(200);
    expect(own.body.availability).toBe('away');
    expect((await t.call('PUT', '/api/v1/routing/me/availability', await tokenOf(a), { availability: 'online' })).body.availability).toBe('online');
    expect((await t.call('PATCH', `/api/v1/groups/${groupId}/routing`, await tokenOf(a), { assignment_mode: 'manual' })).status).toBe(403);
  });

  it('rejects bad input with a 400 naming the field', async () => {
    const [a] = await team(1);
    const cases: [string, string, unknown, string][] = [
      ['PATCH', `/api/v1/routing/agents/${a?.id}`, { capacity: -1 }, 'capacity'],
      ['PATCH', `/api/v1/routing/agents/${a?.id}`, { availability: 'busy' }, 'availability'],
      ['PATCH', `/api/v1/routing/agents/${a?.id}`, { skills: ['Has Space'] }, 'skills[0]'],
      ['PATCH', `/api/v1/routing/agents/${a?.id}`, { channel_capacity: { pigeon: 1 } }, 'channel_capacity'],
      ['PATCH', `/api/v1/routing/agents/${a?.id}`, { calendar_id: '00000000-0000-4000-8000-000000000000' }, 'calendar_id'],
      ['PATCH', `/api/v1/groups/${groupId}/routing`, { assignment_mode: 'random' }, 'assignment_mode'],
      ['PUT', '/api/v1/routing/me/availability', {}, 'availability'],
    ];
    for (const [method, url, body, path] of cases) {
      const res = await t.call(method as 'PATCH', url, sup, body);
      expect(res.status, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.path, JSON.stringify(res.body)).toContain(path);
    }
    expect((await t.call('GET', '/api/v1/routing/agents/00000000-0000-4000-8000-000000000000', sup)).status).toBe(404);
  });

  it('lists agents with their open load', async () => {
    const [a] = await team(1);
    await ticket();
    const list = await t.call('GET', '/api/v1/routing/agents', sup);
    expect(list.status).toBe(200);
    expect(list.body.data.find((r: { user_id: string }) => r.user_id === a?.id)).toMatchObject({ availability: 'online', capacity: 5, open_tickets: 1 });
    expect((await t.call('GET', `/api/v1/groups/${groupId}/routing`, sup)).body).toMatchObject({ assignment_mode: 'round_robin', queued: 0 });
  });
});
