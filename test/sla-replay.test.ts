import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The SLA simulator's "replay a ticket" (review 2026-12-07 item 25): the server hands the simulator the
// ticket's own policy and the whole event log its live clocks read, merged tickets' messages included.

let t: TestApp;
let agent: string;
let sup: string;
let urgentPolicy: { id: string; name: string };
let generalPolicy: { id: string; name: string };
let seq = 0;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
  // The first active match applies: urgent tickets get the fast policy, the rest the general one.
  const urgent = await t.call('POST', '/api/v1/sla/policies', sup, {
    name: 'Urgent replay', conditions: [{ field: 'priority', values: ['urgent'] }], metrics: [{ name: 'first_response', target_minutes: 30 }, { name: 'next_response', target_minutes: 60 }],
  });
  expect(urgent.status, JSON.stringify(urgent.body)).toBe(201);
  const general = await t.call('POST', '/api/v1/sla/policies', sup, { name: 'General replay', metrics: [{ name: 'first_response', target_minutes: 480 }, { name: 'next_response', target_minutes: 960 }] });
  expect(general.status, JSON.stringify(general.body)).toBe(201);
  urgentPolicy = { id: urgent.body.id, name: urgent.body.name };
  generalPolicy = { id: general.body.id, name: general.body.name };
});
afterAll(() => t.close());

async function ticket(body: Record<string, unknown> = {}) {
  seq += 1;
  const res = await t.call('POST', '/api/v1/tickets', agent, { subject: `Replay ${seq}`, message: `body ${seq}`, requester: { email: 'anna@acme.example' }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  t.clock.advanceMinutes(7);
  return res.body as { id: string; number: number };
}
async function reply(n: number, body: Record<string, unknown>, token = agent) {
  const res = await t.call('POST', `/api/v1/tickets/${n}/messages`, token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  t.clock.advanceMinutes(11);
}
/** The simulator's answer for a replay with the given policy: what the screen runs. */
async function simulate(replay: { events: unknown[]; at: string; ticket: { priority: string } }, policyId: string) {
  const policy = (await t.call('GET', `/api/v1/sla/policies/${policyId}`, sup)).body as { pause_statuses: string[]; metrics: { name: string; target_minutes: number }[] };
  const res = await t.call('POST', '/api/v1/sla/simulate', sup, {
    calendar: null, pause_statuses: policy.pause_statuses, metrics: policy.metrics.map((m) => ({ name: m.name, target_minutes: m.target_minutes })), events: replay.events, at: replay.at,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { metrics: Record<string, { due_at: string | null }> };
}

describe('GET /api/v1/sla/replay/:ref', () => {
  it("names the ticket's own policy, so the replay shows what its clocks did whichever policy the screen had selected", async () => {
    const tk = await ticket({ priority: 'urgent' });
    const replay = await t.call('GET', `/api/v1/sla/replay/${tk.number}`, agent);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body.policy).toEqual(urgentPolicy);
    expect(replay.body.ticket).toMatchObject({ id: tk.id, number: tk.number, priority: 'urgent' });
    const live = (await t.call('GET', `/api/v1/tickets/${tk.number}`, sup)).body.sla.metrics.first_response.due_at;
    expect((await simulate(replay.body, replay.body.policy.id)).metrics.first_response?.due_at).toBe(live);
    // The general policy (what the screen applied before) would have shown another due time.
    expect((await simulate(replay.body, generalPolicy.id)).metrics.first_response?.due_at).not.toBe(live);
  });

  it("loads the whole event log of a survivor of merges, the merged tickets' messages included", async () => {
    const older = await ticket();
    await reply(older.number, { body: 'Looking into it', kind: 'public' });
    await reply(older.number, { body: 'A note', kind: 'internal' });
    const survivor = await ticket();
    await reply(survivor.number, { body: 'On it', kind: 'public', status: 'pending' });
    const merged = await t.call('POST', `/api/v1/tickets/${older.number}/merge`, agent, { into: survivor.number });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    t.clock.advanceMinutes(5);

    const replay = await t.call('GET', `/api/v1/sla/replay/${survivor.number}`, sup);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    const events = replay.body.events as { at: string; type: string; status?: string }[];
    expect(replay.body.merged_ticket_numbers).toEqual([older.number]);
    expect(events.map((e) => e.type)).toEqual(['created', 'agent_message', 'agent_note', 'agent_message', 'status']);
    // The clocks start at the earliest creation among the merged tickets.
    const olderCreated = (await t.call('GET', `/api/v1/tickets/${older.number}`, sup)).body.created_at as string;
    expect(Date.parse(events[0]?.at ?? '')).toBe(Date.parse(olderCreated));
    expect(events.map((e) => Date.parse(e.at))).toEqual(events.map((e) => Date.parse(e.at)).sort((a, b) => a - b));
    // Replaying it through the simulator gives the survivor's live clocks.
    const live = (await t.call('GET', `/api/v1/tickets/${survivor.number}`, sup)).body.sla.metrics as Record<string, { due_at: string | null }>;
    const simulated = await simulate(replay.body, replay.body.policy.id);
    expect(simulated.metrics.first_response?.due_at).toBe(live.first_response?.due_at);
    expect(simulated.metrics.next_response?.due_at).toBe(live.next_response?.due_at);
  });

  it('hides tickets out of reach, refuses customers and names a bad reference', async () => {
    const tk = await ticket({ group_id: t.fixtures.groups.billing });
    const support = await t.signIn('alex@test.dev');
    expect((await t.call('GET', `/api/v1/sla/replay/${tk.number}`, support)).status).toBe(404);
    const anna = await t.signIn('anna@acme.example', undefined, true);
    expect((await t.call('GET', `/api/v1/sla/replay/${tk.number}`, anna)).status).toBe(403);
    const bad = await t.call('GET', '/api/v1/sla/replay/not-a-ticket', sup);
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('ref');
  });
});
