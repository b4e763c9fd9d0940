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
});
