import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/app/auth/authenticate.ts';
import type { AppContext } from '../../src/app/context.ts';
import { fillAgentCapacity } from '../../src/app/routing/assign.ts';
import { updateAgentRouting } from '../../src/app/routing/manage-agent-routing.ts';
import { createTicket } from '../../src/app/tickets/create-ticket.ts';
import { updateTicket } from '../../src/app/tickets/update-ticket.ts';
import type { Principal } from '../../src/core/auth/principal.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.ts';

// Automatic assignment from many connections at once, as several Replyby processes would run it:
// intakes, agents coming online and tickets being solved, all racing. Afterwards plain SQL checks that
// no ticket went to two agents and no capacity was exceeded. PGlite runs one transaction at a time,
// so only a server can show this (npm run test:pg).

const AGENTS = 12;
const CAPACITY = 3;
const TICKETS = 150;
const POOLS = 4;

let t: TestApp;
let sup: Principal;
let groupId: string;
const agentIds: string[] = [];
const pools: Db[] = [];
const ctxs: AppContext[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const token = await t.signIn('super@test.dev');
  sup = await authenticate(t.ctx, token);
  const group = await t.call('POST', '/api/v1/groups', token, { name: 'Racers' });
  groupId = group.body.id;
  await t.call('PATCH', `/api/v1/groups/${groupId}/routing`, token, { assignment_mode: 'least_loaded' });
  for (let i = 0; i < AGENTS; i++) {
    const u = await t.call('POST', '/api/v1/users', token, { email: `racer${i}@test.dev`, name: `Racer ${i}`, password: PASSWORD, group_ids: [groupId] });
    agentIds.push(u.body.id);
    // Half start online, half come online during the race.
    await t.call('PATCH', `/api/v1/routing/agents/${u.body.id}`, token, { capacity: CAPACITY, availability: i % 2 === 0 ? 'online' : 'offline' });
  }
  const [{ search_path: schema } = { search_path: '' }] = await t.ctx.db.query<{ search_path: string }>('SHOW search_path');
  const url = process.env.TEST_DATABASE_URL ?? '';
  for (let i = 0; i < POOLS; i++) {
    const db = await openDb({ databaseUrl: url, schema, poolSize: 10 });
    pools.push(db);
    ctxs.push({ ...t.ctx, db });
  }
});
afterAll(async () => {
  for (const db of pools) await db.close();
  await t.close();
});

const ctxFor = (i: number): AppContext => ctxs[i % POOLS] ?? t.ctx;

describe('concurrent assignment (PostgreSQL)', () => {
  it('runs on a PostgreSQL server', () => expect(t.ctx.db.engine).toBe('postgres'));

  it('never gives a ticket to two agents nor exceeds a capacity while intakes, log-ins and solves race', async () => {
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < TICKETS; i++) {
      work.push(createTicket(ctxFor(i), sup, { subject: `race ${i}`, message: 'm', requester: { email: `r${i % 20}@example.org` }, group_id: groupId }));
      if (i % 10 === 5) {
        const agentId = agentIds[(i / 10) | 0];
        if (agentId) work.push(updateAgentRouting(ctxFor(i + 1), sup, agentId, { availability: 'online' }));
      }
      if (i % 15 === 7) {
        // Solve whatever an online agent holds, freeing capacity in the middle of the race.
        const agentId = agentIds[i % AGENTS];
        work.push(ctxFor(i + 2).db.query<{ number: number }>("SELECT number FROM tickets WHERE assignee_id = $1 AND status = 'new' LIMIT 1", [agentId])
          .then(async ([row]) => { if (row) await updateTicket(ctxFor(i + 3), sup, String(row.number), { status: 'solved' }); }));
      }
    }
    const results = await Promise.allSettled(work);
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    // Catch-up (what the periodic sweep does): every agent is then full, since the queue is longer than all capacity.
    await Promise.all(agentIds.map((id, i) => ctxFor(i).db.transaction((tx) => fillAgentCapacity(tx, id, t.ctx.now(), { wait: true }))));

    const over = await t.ctx.db.query<{ assignee_id: string; n: number; capacity: number }>(
      `SELECT t.assignee_id, count(*)::int AS n, ar.capacity FROM tickets t JOIN agent_routing ar ON ar.user_id = t.assignee_id
       WHERE t.status IN ('new', 'open', 'pending', 'on_hold') GROUP BY t.assignee_id, ar.capacity HAVING count(*) > ar.capacity`);
    expect(over).toEqual([]);
    const doubled = await t.ctx.db.query<{ ticket_id: string; n: number }>(
      `SELECT ticket_id, count(*)::int AS n FROM ticket_events WHERE kind = 'assignee_changed' AND after->>'by' = 'routing'
       GROUP BY ticket_id HAVING count(*) > 1`);
    expect(doubled).toEqual([]);
    const disagree = await t.ctx.db.query(
      `SELECT t.id FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'assignee_changed' AND e.after->>'by' = 'routing'
       WHERE t.status <> 'solved' AND t.assignee_id::text <> e.after->>'assignee_id'`);
    expect(disagree).toEqual([]);
    const [open] = await t.ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM tickets WHERE group_id = $1 AND assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending', 'on_hold')", [groupId]);
    expect(open?.n).toBe(AGENTS * CAPACITY);
    const [solved] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE group_id = $1 AND status = 'solved'", [groupId]);
    expect(solved?.n).toBeGreaterThan(0);
  });
});
