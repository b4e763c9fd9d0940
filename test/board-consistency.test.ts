import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 22: the board said "0 due in the next hour" beside agents with 1 due each, and showed no
// capacity. Each agent's counts use the lists' conditions; the load is shown against routing's capacity.

let t: TestApp;
let admin: string;
let sup: string;

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2026-12-07T10:00:00Z');
  admin = await t.signIn('admin@test.dev');
  sup = await t.signIn('super@test.dev');
});
afterAll(async () => {
  await t.close();
});

type AgentRow = { id: string; due_next_hour: number; breached_now: number; open_assigned: number; capacity: number | null; load_percent: number | null };

describe('the supervisor board agrees with itself', () => {
  it('an agent with one breached and one soon-due ticket: 1 due within the hour, 1 breached, as the lists say; load against capacity', async () => {
    const alex = t.fixtures.users.agentSupport;
    const make = async (subject: string) => {
      const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message: 'x', requester_id: t.fixtures.contacts.anna });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.number as number;
    };
    const overdue = await make('Overdue one');
    const soon = await make('Due soon');
    const later = await make('Due tomorrow');
    const set = (n: number, due: string, breached: boolean) =>
      t.ctx.db.query('UPDATE tickets SET assignee_id = $1, sla_next_due_at = $2, sla_breached = $3 WHERE number = $4', [alex, due, breached, n]);
    await set(overdue, '2026-12-07T09:30:00Z', true);
    await set(soon, '2026-12-07T10:20:00Z', false);
    await set(later, '2026-12-08T10:00:00Z', false);
    await t.ctx.db.query(`INSERT INTO agent_routing (user_id, capacity, updated_at) VALUES ($1, 4, $2)
      ON CONFLICT (user_id) DO UPDATE SET capacity = 4`, [alex, t.ctx.now()]);

    const board = await t.call('GET', '/api/v1/board', sup);
    expect(board.status).toBe(200);
    const row = (board.body.agents as AgentRow[]).find((a) => a.id === alex);
    expect(row).toMatchObject({ due_next_hour: 1, breached_now: 1, capacity: 4 });
    expect(row?.load_percent).toBe(Math.round(((row?.open_assigned ?? 0) / 4) * 100));
    const dueList = (board.body.due_next_hour as { number: number }[]).map((r) => r.number);
    const breachedList = (board.body.breached_now as { number: number }[]).map((r) => r.number);
    expect(dueList).toContain(soon);
    expect(dueList).not.toContain(overdue);
    expect(breachedList).toContain(overdue);
    // No agent can have more due within the hour than the list holds.
    const sum = (board.body.agents as AgentRow[]).reduce((n, a) => n + a.due_next_hour, 0);
    expect(sum).toBeLessThanOrEqual(dueList.length);
    // An agent outside routing has no capacity to measure against.
    expect((board.body.agents as AgentRow[]).find((a) => a.id === t.fixtures.users.agentBilling)).toMatchObject({ capacity: null, load_percent: null });
  });

  it('counts open work per group and status, and each agent\'s load, as a plain recount of the tickets does — also after a change', async () => {
    type GroupRow = { group_id: string | null; status: string; count: number };
    const recount = async () => {
      const groups = await t.ctx.db.query<{ group_id: string | null; status: string; count: string }>(
        "SELECT group_id, status, count(*)::text AS count FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold') GROUP BY 1, 2");
      const agents = await t.ctx.db.query<{ id: string; open: string }>(
        "SELECT assignee_id AS id, count(*)::text AS open FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold') AND assignee_id IS NOT NULL GROUP BY 1");
      return {
        groups: Object.fromEntries(groups.map((g) => [`${g.group_id}/${g.status}`, Number(g.count)])),
        agents: Object.fromEntries(agents.map((a) => [a.id, Number(a.open)])),
      };
    };
    const shown = async () => {
      const board = await t.call('GET', '/api/v1/board', sup);
      expect(board.status).toBe(200);
      return {
        groups: Object.fromEntries((board.body.by_group as GroupRow[]).map((g) => [`${g.group_id}/${g.status}`, g.count])),
        agents: Object.fromEntries((board.body.agents as AgentRow[]).filter((a) => a.open_assigned > 0).map((a) => [a.id, a.open_assigned])),
      };
    };
    expect(await shown()).toEqual(await recount());

    // A change through the API reaches the board through the live-change bus (asynchronously: poll briefly).
    const alex = t.fixtures.users.agentSupport;
    const created = await t.call('POST', '/api/v1/tickets', admin, { subject: 'Printer jams', message: 'x', requester_id: t.fixtures.contacts.anna, assignee_id: alex });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await t.call('PATCH', `/api/v1/tickets/${created.body.number}`, admin, { status: 'pending' })).status).toBe(200);
    const expected = await recount();
    expect(expected.agents[alex]).toBeGreaterThan(0);
    let last = await shown();
    for (let i = 0; i < 50 && JSON.stringify(last) !== JSON.stringify(expected); i++) {
      await new Promise((r) => setTimeout(r, 100));
      last = await shown();
    }
    expect(last).toEqual(expected);
  });
});
