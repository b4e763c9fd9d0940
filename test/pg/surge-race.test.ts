import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSurge } from '../../src/app/planning/check-surge.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Surges started from several "processes" at once (concurrent transactions on a PostgreSQL server): one surge,
// one alert per supervisor and admin, whether declared by hand or detected by several workers (docs/surge.md).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(() => t?.close());

const alerts = async () => (await t.ctx.db.query<{ user_id: string; n: number }>("SELECT user_id, count(*)::int AS n FROM notifications WHERE kind = 'surge.started' GROUP BY 1"));

describe('surge start, concurrent starters (PostgreSQL)', () => {
  it('six declarations at once: one surge, the rest 409, one alert each', async () => {
    expect(t.ctx.db.engine).toBe('postgres');
    const sup = await t.signIn('super@test.dev');
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.call('POST', '/api/v1/planning/surges', sup, {})));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await alerts()).map((a) => a.n)).toEqual([1, 1]);
    expect((await t.call('POST', '/api/v1/planning/surges/end', sup)).status).toBe(200);
  }, 120_000);

  it('six workers detecting the same backlog: one surge, one alert each', async () => {
    await t.ctx.db.query('DELETE FROM notifications');
    const sup = await t.signIn('super@test.dev');
    const agent = await t.signIn('alex@test.dev');
    expect((await t.call('POST', '/api/v1/sla/policies', sup, { name: '30m', metrics: [{ name: 'first_response', target_minutes: 30, clock: 'calendar' }] })).status).toBe(201);
    // A handling time of 30 minutes, then eight requests due in 30 minutes for three staff.
    t.clock.set('2025-03-10T08:00:00Z');
    const h = (await t.call('POST', '/api/v1/tickets', agent, { subject: 'h', message: 'm', requester: { email: 'h@example.org' } })).body as { number: number };
    await t.call('PATCH', `/api/v1/tickets/${h.number}`, agent, { assignee_id: t.fixtures.users.agentSupport });
    t.clock.set('2025-03-10T08:30:00Z');
    await t.call('POST', `/api/v1/tickets/${h.number}/messages`, agent, { body: 'done', internal: false });
    t.clock.set('2025-03-10T09:00:00Z');
    for (let i = 0; i < 8; i++) await t.call('POST', '/api/v1/tickets', agent, { subject: `r${i}`, message: 'm', requester: { email: `r${i}@example.org` } });
    const results = await Promise.all(Array.from({ length: 6 }, () => checkSurge(t.ctx)));
    expect(results.filter((r) => r.started !== null)).toHaveLength(1);
    expect((await t.ctx.db.query("SELECT 1 FROM surges WHERE cause = 'backlog'")).length).toBe(1);
    expect((await alerts()).map((a) => a.n)).toEqual([1, 1]);
  }, 120_000);
});
