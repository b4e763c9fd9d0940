import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSurge } from '../../src/app/planning/check-surge.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Per-group surges started from several "processes" at once (concurrent transactions on a PostgreSQL server):
// one surge per group, one alert per supervisor and admin per group, whether detected by several workers or
// declared by hand at once (docs/surge.md "Per group").

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(() => t?.close());

const alerts = async () => t.ctx.db.query<{ title: string; n: number }>("SELECT title, count(*)::int AS n FROM notifications WHERE kind = 'surge.started' GROUP BY 1 ORDER BY 1");

describe('per-group surge start, concurrent starters (PostgreSQL)', () => {
  it('six workers detecting two groups\' backlogs: one surge per group, one alert per manager per group', async () => {
    expect(t.ctx.db.engine).toBe('postgres');
    const sup = await t.signIn('super@test.dev');
    const admin = await t.signIn('admin@test.dev');
    const { support, billing } = t.fixtures.groups;
    const agents = { [support]: await t.signIn('alex@test.dev'), [billing]: await t.signIn('bea@test.dev') };
    const assignee = { [support]: t.fixtures.users.agentSupport, [billing]: t.fixtures.users.agentBilling };
    expect((await t.call('POST', '/api/v1/sla/policies', sup, { name: '60m', metrics: [{ name: 'first_response', target_minutes: 60, clock: 'calendar' }] })).status).toBe(201);
    for (const g of [support, billing]) expect((await t.call('PUT', `/api/v1/planning/surge-thresholds/${g}`, admin, { backlog_start: 0.9, backlog_calm: 0.5 })).status).toBe(200);
    // Each group's one agent: a handling time of 30 minutes, then two requests due in 60 minutes: ratio 1 for the
    // group (hot above its 0.9), 4 × 30 ÷ (60 × 3 staff) ≈ 0.67 for the team (not hot above the default 1).
    for (const g of [support, billing]) {
      t.clock.set('2025-03-10T08:00:00Z');
      const h = (await t.call('POST', '/api/v1/tickets', agents[g] as string, { subject: 'h', message: 'm', group_id: g, requester: { email: 'h@example.org' } })).body as { number: number };
      await t.call('PATCH', `/api/v1/tickets/${h.number}`, agents[g] as string, { assignee_id: assignee[g] });
      t.clock.set('2025-03-10T08:30:00Z');
      await t.call('POST', `/api/v1/tickets/${h.number}/messages`, agents[g] as string, { body: 'done', internal: false });
    }
    t.clock.set('2025-03-10T09:00:00Z');
    for (const g of [support, billing]) {
      for (let i = 0; i < 2; i++) await t.call('POST', '/api/v1/tickets', agents[g] as string, { subject: `r${i}`, message: 'm', group_id: g, requester: { email: `r${i}@example.org` } });
    }
    const results = await Promise.all(Array.from({ length: 6 }, () => checkSurge(t.ctx)));
    expect(results.filter((r) => r.started !== null)).toHaveLength(0);
    const started = results.flatMap((r) => r.groups.filter((g) => g.started !== null).map((g) => g.group_id)).sort();
    expect(started).toEqual([support, billing].sort());
    expect((await t.ctx.db.query<{ group_id: string }>("SELECT group_id FROM surges WHERE cause = 'backlog' AND ended_at IS NULL ORDER BY group_id")).map((r) => r.group_id)).toEqual([support, billing].sort());
    expect(await alerts()).toEqual([{ title: 'Surge mode is on for Billing', n: 2 }, { title: 'Surge mode is on for Support', n: 2 }]);
  }, 120_000);

  it('six declarations for one group at once: one surge, the rest 409; the team can still have its own', async () => {
    const sup = await t.signIn('super@test.dev');
    const { billing } = t.fixtures.groups;
    expect((await t.call('POST', '/api/v1/planning/surges/end', sup, { group_id: billing })).status).toBe(200);
    await t.ctx.db.query('DELETE FROM notifications');
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.call('POST', '/api/v1/planning/surges', sup, { group_id: billing })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await t.call('POST', '/api/v1/planning/surges', sup, {})).status).toBe(201);
    expect(await alerts()).toEqual([{ title: 'Surge mode is on', n: 2 }, { title: 'Surge mode is on for Billing', n: 2 }]);
  }, 120_000);
});
