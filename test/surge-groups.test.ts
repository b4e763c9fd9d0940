import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSurge } from '../src/app/planning/check-surge.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Surges per group (issue 19 item 5, docs/surge.md "Per group"): an admin sets a group's thresholds; the worker
// watches that group's backlog against its own agents, alerts once, and the group's new tickets get the honest
// later promise while the rest of the team's do not. Support has one agent (alex, handling time 30 minutes); the
// team has three staff, so two urgent requests are a backlog for Support and none for the team.

let t: TestApp;
let agent: string;
let sup: string;
let admin: string;

const at = (iso: string) => t.clock.set(iso);
async function ok(method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, token: string, body?: unknown) {
  const res = await t.call(method, url, token, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, any>;
}
const create = (subject: string, extra: Record<string, unknown> = {}) =>
  ok('POST', '/api/v1/tickets', agent, { subject, message: `${subject}: please help`, requester: { email: 'anna@acme.example' }, ...extra });
const surgeAlerts = async () => (await t.ctx.db.query<{ user_id: string; title: string }>("SELECT user_id, title FROM notifications WHERE kind = 'surge.started' ORDER BY user_id"));

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
  admin = await t.signIn('admin@test.dev');
  await ok('POST', '/api/v1/sla/policies', sup, { name: 'Urgent', conditions: [{ field: 'priority', values: ['urgent'] }], metrics: [{ name: 'first_response', target_minutes: 30 }] });
  await ok('POST', '/api/v1/sla/policies', sup, { name: 'All', metrics: [{ name: 'first_response', target_minutes: 240 }] });
  at('2025-03-10T08:00:00Z');
  const h = await create('History', { group_id: t.fixtures.groups.support });
  await ok('PATCH', `/api/v1/tickets/${h.number}`, agent, { assignee_id: t.fixtures.users.agentSupport });
  at('2025-03-10T08:30:00Z');
  await ok('POST', `/api/v1/tickets/${h.number}/messages`, agent, { body: 'Fixed', internal: false });
});
afterAll(() => t.close());

describe('surge thresholds per group', () => {
  it('are set by admins only, validated field by field, and listed for every group with the defaults', async () => {
    const url = `/api/v1/planning/surge-thresholds/${t.fixtures.groups.support}`;
    expect((await t.call('PUT', url, sup, {})).status).toBe(403);
    expect((await t.call('PUT', url, agent, {})).status).toBe(403);
    const inverted = await t.call('PUT', url, admin, { backlog_start: 1, backlog_calm: 1 });
    expect([inverted.status, inverted.body.error.path]).toEqual([400, 'backlog_calm']);
    const negative = await t.call('PUT', url, admin, { min_extra_arrivals: 0 });
    expect([negative.status, negative.body.error.path]).toEqual([400, 'min_extra_arrivals']);
    const text = await t.call('PUT', url, admin, { calm_minutes: 'ten' });
    expect([text.status, text.body.error.path]).toEqual([400, 'calm_minutes']);
    const badId = await t.call('PUT', '/api/v1/planning/surge-thresholds/nope', admin, {});
    expect([badId.status, badId.body.error.path]).toEqual([400, 'group_id']);
    expect((await t.call('PUT', '/api/v1/planning/surge-thresholds/00000000-0000-4000-8000-000000000000', admin, {})).status).toBe(404);
    expect((await t.ctx.db.query('SELECT 1 FROM surge_thresholds')).length).toBe(0);

    const list = await ok('GET', '/api/v1/planning/surge-thresholds', sup);
    expect(list.defaults).toEqual({ enabled: true, min_extra_arrivals: 5, backlog_start: 1, backlog_calm: 0.8, calm_minutes: 30 });
    expect(list.groups.map((g: { group_name: string; configured: boolean }) => [g.group_name, g.configured])).toEqual([['Billing', false], ['Support', false]]);
    // A ratio of 3 before a surge: the two-ticket backlog below (ratio 2) is not hot enough for it yet.
    const set = await ok('PUT', url, admin, { backlog_start: 3, backlog_calm: 2.5, calm_minutes: 10 });
    expect(set).toMatchObject({ group_id: t.fixtures.groups.support, configured: true, enabled: true, min_extra_arrivals: 5, backlog_start: 3, backlog_calm: 2.5, calm_minutes: 10 });
  });
});

describe('a surge in one group', () => {
  it('starts from the group\'s own backlog and thresholds, alerts once, and changes only that group\'s promises', async () => {
    at('2025-03-10T09:30:00Z');
    const support = t.fixtures.groups.support;
    // Two urgent requests due at 10:00 for Support's one agent: 60 minutes of work in 30 (ratio 2); the team has three staff.
    const rush = [await create('Rush 0', { priority: 'urgent', group_id: support }), await create('Rush 1', { priority: 'urgent', group_id: support })];
    expect(await checkSurge(t.ctx)).toEqual({ started: null, ended: null, groups: [{ group_id: support, started: null, ended: null }] });
    await ok('PUT', `/api/v1/planning/surge-thresholds/${support}`, admin, { backlog_start: 1.5, backlog_calm: 1, calm_minutes: 10 });
    const first = await checkSurge(t.ctx);
    expect(first).toMatchObject({ started: null, ended: null, groups: [{ group_id: support, started: expect.any(String), ended: null }] });
    t.clock.advanceMinutes(1);
    expect((await checkSurge(t.ctx)).groups).toEqual([{ group_id: support, started: null, ended: null }]);
    const alerts = await surgeAlerts();
    expect(alerts.map((a) => a.user_id)).toEqual([t.fixtures.users.admin, t.fixtures.users.supervisor].sort());
    expect(alerts.every((a) => a.title === 'Surge mode is on for Support')).toBe(true);

    // The public notice is the team's; a new Support ticket gets the surge's honest promise, a Billing one does not.
    expect((await t.call('GET', '/api/v1/status', null)).body.surge.active).toBe(false);
    const inSupport = await create('More', { priority: 'urgent', group_id: support });
    const inBilling = await create('Other', { priority: 'urgent', group_id: t.fixtures.groups.billing });
    const reasons = await t.ctx.db.query<{ id: string; reason: string | null }>("SELECT id, promise->>'reason' AS reason FROM tickets WHERE id IN ($1, $2)", [inSupport.id, inBilling.id]);
    expect(reasons.find((r) => r.id === inSupport.id)?.reason).toBe('surge');
    expect(reasons.find((r) => r.id === inBilling.id)?.reason).not.toBe('surge');

    // A team-wide surge declared by hand is a second, separate surge; ending it leaves the group's.
    await ok('POST', '/api/v1/planning/surges', sup, {});
    expect((await t.call('POST', '/api/v1/planning/surges', sup, { group_id: support })).status).toBe(409);
    await ok('POST', '/api/v1/planning/surges/end', sup);
    t.clock.advanceMinutes(1);
    const report = await ok('GET', '/api/v1/planning/surges', sup);
    const groupSurge = report.surges.find((s: { group_id: string | null }) => s.group_id === support);
    expect(groupSurge).toMatchObject({ group_name: 'Support', cause: 'backlog', ended_at: null });
    // Support's two rushes and "More"; Billing's "Other", created at the same minute, is not this surge's.
    expect(groupSurge.arrived).toBe(3);
    expect(groupSurge.promises.later_because_of_surge).toBe(1);

    // Calm once Support answers: the group's own 10 calm minutes, not the team's 30.
    at('2025-03-10T09:45:00Z');
    for (const r of [...rush, inSupport]) await ok('POST', `/api/v1/tickets/${r.number}/messages`, agent, { body: 'On it', internal: false });
    expect((await checkSurge(t.ctx)).groups[0]?.ended).toBeNull();
    at('2025-03-10T09:55:00Z');
    expect((await checkSurge(t.ctx)).groups[0]?.ended).toEqual(first.groups[0]?.started);
  });

  it('is declared and ended by hand for one group; the group\'s thresholds can be removed', async () => {
    const billing = t.fixtures.groups.billing;
    const bad = await t.call('POST', '/api/v1/planning/surges', sup, { group_id: 'x' });
    expect([bad.status, bad.body.error.path]).toEqual([400, 'group_id']);
    const s = await ok('POST', '/api/v1/planning/surges', sup, { group_id: billing, message: 'Billing is moving offices today.' });
    expect(s).toMatchObject({ group_id: billing, cause: 'manual', ended_at: null });
    expect((await t.call('POST', '/api/v1/planning/surges/end', sup)).status).toBe(409); // no team-wide one
    expect(await ok('POST', '/api/v1/planning/surges/end', sup, { group_id: billing })).toMatchObject({ id: s.id, end_reason: 'manual' });
    expect((await t.call('DELETE', `/api/v1/planning/surge-thresholds/${t.fixtures.groups.support}`, sup)).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/planning/surge-thresholds/${t.fixtures.groups.support}`, admin)).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/planning/surge-thresholds/${t.fixtures.groups.support}`, admin)).status).toBe(404);
    expect((await checkSurge(t.ctx)).groups).toEqual([]);
  });
});
