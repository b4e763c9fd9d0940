import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLifecycleSweep } from '../src/app/promise/lifecycle-sweep.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 13: going online hands out the queue without telling anyone's customer that
// "work has started"; the notice goes when the assignee starts (New → Open, or "Start work"), once;
// and the sidebar's counts agree with the lists right after routing's bulk assignment.

let t: TestApp;
let sup: string;
let alex: string;
let bea: string;

const VIEWS = ['mine', 'my_groups', 'unassigned', 'due_soon', 'pending', 'on_hold', 'all_open', 'solved', 'all', 'snoozed'] as const;
const startedJobs = async (ticketId?: string) => t.ctx.db.query(
  "SELECT id FROM outbox WHERE kind = 'mail.promise_work_started' AND ($1::text IS NULL OR payload->>'ticket_id' = $1)", [ticketId ?? null]);
const create = async (subject: string, body: Record<string, unknown> = {}) => {
  const res = await t.call('POST', '/api/v1/tickets', sup, { subject, message: 'hello', requester: { email: `${subject.replace(/\W/g, '').toLowerCase()}@example.org` }, group_id: t.fixtures.groups.support, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: number; status: string; assignee: { id: string } | null };
};
const counts = async (token: string) => (await t.call('GET', '/api/v1/views/counts', token)).body as Record<(typeof VIEWS)[number], number>;
const listed = async (token: string) => {
  const out: Record<string, number> = {};
  for (const v of VIEWS) out[v] = (await t.call('GET', `/api/v1/tickets?view=${v}&limit=200`, token)).body.data.length;
  return out;
};

beforeAll(async () => {
  t = await startTestApp();
  [sup, alex, bea] = await Promise.all([t.signIn('super@test.dev'), t.signIn('alex@test.dev'), t.signIn('bea@test.dev')]);
});
afterAll(() => t.close());

describe('work started is sent when the agent starts, not on assignment', () => {
  it('going online assigns the waiting tickets without a notice, and the counts follow at once', async () => {
    const alexId = t.fixtures.users.agentSupport;
    expect((await t.call('PATCH', `/api/v1/routing/agents/${alexId}`, sup, { availability: 'offline', capacity: 20 })).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/groups/${t.fixtures.groups.support}/routing`, sup, { assignment_mode: 'round_robin' })).status).toBe(200);
    const waiting = [];
    for (let i = 0; i < 8; i++) waiting.push(await create(`Waiting ${i}`));
    expect(waiting.every((w) => w.assignee === null)).toBe(true);
    // The counts are read (and cached) before the bulk assignment, as the sidebar does.
    expect((await counts(alex)).mine).toBe(0);

    expect((await t.call('PUT', '/api/v1/routing/me/availability', alex, { availability: 'online' })).status).toBe(200);
    const mine = (await t.call('GET', '/api/v1/tickets?view=mine&limit=200', alex)).body.data as unknown[];
    expect(mine).toHaveLength(8);
    await expect.poll(() => counts(alex), { timeout: 2000 }).toEqual(await listed(alex));
    expect((await counts(alex)).mine).toBe(8);

    expect(await startedJobs()).toHaveLength(0);
    await runLifecycleSweep(t.ctx);
    expect(await startedJobs()).toHaveLength(0);
  });

  it('"Start work" and New → Open by the assignee send it once; a supervisor or a reply does not', async () => {
    const [first, second] = (await t.call('GET', '/api/v1/tickets?view=mine&limit=200', alex)).body.data as { id: string; number: number }[];
    if (!first || !second) throw new Error('expected assigned tickets');
    const start = await t.call('POST', `/api/v1/tickets/${first.number}/start-work`, alex);
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    expect(start.body.notice).toBe('sent_now');
    expect((await t.call('GET', `/api/v1/tickets/${first.number}`, alex)).body.status).toBe('open');
    expect((await t.call('POST', `/api/v1/tickets/${first.number}/start-work`, alex)).body.notice).toBe('sent_before');
    expect(await startedJobs(first.id)).toHaveLength(1);

    // Someone else's ticket is not taken over.
    expect((await t.call('POST', `/api/v1/tickets/${second.number}/start-work`, sup)).status).toBe(409);
    // A supervisor opening Alex's ticket is not Alex starting.
    expect((await t.call('PATCH', `/api/v1/tickets/${second.number}`, sup, { status: 'open' })).status).toBe(200);
    expect(await startedJobs(second.id)).toHaveLength(0);

    const third = await create('Opened by its agent', { assignee_id: t.fixtures.users.agentSupport });
    expect(await startedJobs(third.id)).toHaveLength(0);
    expect((await t.call('PATCH', `/api/v1/tickets/${third.number}`, alex, { status: 'open' })).status).toBe(200);
    expect(await startedJobs(third.id)).toHaveLength(1);

    // The first public reply is itself the news.
    const fourth = await create('Answered at once', { assignee_id: t.fixtures.users.agentSupport });
    expect((await t.call('POST', `/api/v1/tickets/${fourth.number}/messages`, alex, { body: 'On it.', kind: 'public', status: 'open' })).status).toBe(201);
    expect(await startedJobs(fourth.id)).toHaveLength(0);

    // Start work on an unassigned ticket takes it.
    const free = await create('Nobody has it', { group_id: t.fixtures.groups.billing });
    const took = await t.call('POST', `/api/v1/tickets/${free.number}/start-work`, bea);
    expect(took.status, JSON.stringify(took.body)).toBe(200);
    expect((await t.call('GET', `/api/v1/tickets/${free.number}`, bea)).body.assignee.id).toBe(t.fixtures.users.agentBilling);
  });
});
