import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// POST /api/v1/planning/whatif (planning spec §6) over a morning whose answers are known by construction:
// one agent, a 30-minute first-response policy (24/7), four e-mails at 08:00, 08:05, 08:10 and 08:15, each
// booked at 20 minutes, answered at 08:20, 08:40, 09:00 and 09:20 — first responses of 20, 35, 50 and 65
// minutes: one met, three breached. The replay under the settings in force must reproduce that; a second
// agent in the same hours must do better.

let t: TestApp;
let sup: string;
let agent: string;
let support: string;
const day = { from: '2025-03-10T00:00:00Z', to: '2025-03-11T00:00:00Z' };

async function ok(method: 'POST' | 'PATCH', url: string, token: string, body: unknown) {
  const res = await t.call(method, url, token, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
  support = t.fixtures.groups.support;
  const policy = await ok('POST', '/api/v1/sla/policies', sup, { name: 'Half an hour', metrics: [{ name: 'first_response', target_minutes: 30, clock: 'calendar' }] });
  const others = (await t.call('GET', '/api/v1/sla/policies', sup)).body.data.map((p: { id: string }) => p.id).filter((id: string) => id !== policy.id);
  await ok('POST', '/api/v1/sla/policies/reorder', sup, { ids: [policy.id, ...others] });
  const numbers: number[] = [];
  for (const hhmm of ['08:00', '08:05', '08:10', '08:15']) {
    t.clock.set(`2025-03-10T${hhmm}:00Z`);
    const created = await ok('POST', '/api/v1/tickets', agent, { subject: `Export ${hhmm}`, message: 'Export stops at 50 %', group_id: support, requester: { email: 'anna@acme.example' } });
    numbers.push(created.number as number);
  }
  for (const [i, hhmm] of ['08:20', '08:40', '09:00', '09:20'].entries()) {
    t.clock.set(`2025-03-10T${hhmm}:00Z`);
    await ok('POST', `/api/v1/tickets/${numbers[i]}/messages`, agent, { body: 'Here is how', internal: false });
    await ok('POST', `/api/v1/tickets/${numbers[i]}/time`, agent, { minutes: 20 });
  }
  t.clock.set('2025-03-12T12:00:00Z');
});
afterAll(() => t.close());

type Group = { group_id: string; efficiency: number; observed: any; replay: any; predicted: any };

describe('POST /api/v1/planning/whatif', () => {
  it('shows what happened, a replay that reproduces it, and the prediction under a change', async () => {
    const res = await t.call('POST', '/api/v1/planning/whatif', sup, { ...day, changes: { agents_per_group: { [support]: 2 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tickets).toBe(4);
    const g = (res.body.groups as Group[]).find((x) => x.group_id === support);
    expect(g?.observed).toMatchObject({ tickets: 4, first_response: { met: 1, breached: 3, compliance_pct: 25 }, breaches: 3, average_wait_minutes: 42.5, unanswered: 0 });
    expect(Math.abs(g?.replay.first_response.compliance_pct - 25)).toBeLessThan(3);
    expect(g?.predicted.first_response.compliance_pct).toBeGreaterThan(g?.replay.first_response.compliance_pct);
    expect(g?.predicted.average_wait_minutes).toBeLessThan(g?.replay.average_wait_minutes);
  });

  it('predicts a stricter policy breaking more promises, with nothing else changed', async () => {
    const res = await t.call('POST', '/api/v1/planning/whatif', sup, { ...day, changes: { policies: [{ name: 'Ten minutes', metrics: [{ name: 'first_response', target_minutes: 10, clock: 'calendar' }] }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const g = (res.body.groups as Group[]).find((x) => x.group_id === support);
    expect(g?.predicted.first_response.breached).toBe(4);
    expect(g?.predicted.average_wait_minutes).toBeCloseTo(g?.replay.average_wait_minutes, 6);
  });

  it.each([
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2025-03-09T00:00:00Z' }, 'to'],
    [{ to: '2026-03-09T00:00:00Z' }, 'to'],
    [{ groups: ['support'] }, 'groups[0]'],
    [{ changes: { agents_per_group: { '00000000-0000-4000-8000-000000000001': -1 } } }, 'changes.agents_per_group.00000000-0000-4000-8000-000000000001'],
    [{ changes: { policies: [{ name: 'Empty', metrics: [] }] } }, 'changes.policies[0].metrics'],
    [{ changes: { policies: [{ name: 'Elsewhere', calendar_id: '00000000-0000-4000-8000-000000000002', metrics: [{ name: 'first_response', target_minutes: 5 }] }] } }, 'changes.policies[0].calendar_id'],
    [{ changes: { calendars: { '00000000-0000-4000-8000-000000000002': { timezone: 'Mars/Olympus', hours: {} } } } }, 'changes.calendars.00000000-0000-4000-8000-000000000002'],
    [{ changes: { routing: 'random' } }, 'changes.routing'],
    [{ changes: { head_count: 3 } }, 'changes.head_count'],
  ])('%j → 400 naming the field', async (patch, field) => {
    const res = await t.call('POST', '/api/v1/planning/whatif', sup, { ...day, ...patch });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.path ?? JSON.stringify(res.body)).toContain(field);
  });

  it('is for supervisors and admins', async () => {
    expect((await t.call('POST', '/api/v1/planning/whatif', agent, day)).status).toBe(403);
    expect((await t.call('POST', '/api/v1/planning/whatif', null, day)).status).toBe(401);
  });
});
