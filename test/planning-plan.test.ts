import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// GET /api/v1/planning/plan (issue 19 item 4) on a hand-computable history: one e-mail every Monday at 09:00 UTC
// for six weeks, 20 minutes booked on one of them (so 1,200 s of handling per ticket), one agent rostered
// Monday 09:00–09:10. The forecast for Monday 09:00 is 1 (every model that looks back a week agrees; the
// backtest error is 0), so with a 60-minute deadline that hour needs 1,200 / 3,600 = ⅓ person, has ⅙ rostered
// (a gap of −⅙), and the agent's 600 s finish half of the 1,200 s in time: half the promises kept.

let t: TestApp;
let sup: string;
let groupId: string;

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2026-10-26T08:00:00Z');
  sup = await t.signIn('super@test.dev');
  groupId = (await t.call('POST', '/api/v1/groups', sup, { name: 'Mail desk' })).body.id;
  const agent = await t.call('POST', '/api/v1/users', sup, { email: 'desk@test.dev', name: 'Desk', password: PASSWORD, group_ids: [groupId] });
  let first = 0;
  for (const day of ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']) {
    t.clock.set(`${day}T09:05:00Z`);
    sup = await t.signIn('super@test.dev'); // sessions expire over the weeks the clock jumps
    const res = await t.call('POST', '/api/v1/tickets', sup, { subject: `Mail ${day}`, message: 'help', channel: 'email', requester: { email: 'c@example.org' }, group_id: groupId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    first ||= res.body.number;
  }
  expect((await t.call('POST', `/api/v1/tickets/${first}/time`, sup, { minutes: 20, note: 'reading' })).status).toBe(201);
  t.clock.set('2026-12-06T12:00:00Z');
  sup = await t.signIn('super@test.dev');
  expect((await t.call('PUT', `/api/v1/planning/rosters/${agent.body.id}`, sup, { zone: 'UTC', weekly: { mon: [{ start: '09:00', end: '09:10' }] } })).status).toBe(200);
});
afterAll(() => t.close());

describe('the plan', () => {
  it('computes forecast, required, rostered, gap and kept for a known week', async () => {
    const res = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&interval=60&deadline_minutes=60&history_weeks=6`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.handling).toEqual({ seconds: 1200, source: 'booked' });
    expect(res.body.channels).toEqual([{ channel: 'email', model: 'workload', forecast_model: expect.any(String), backtest_error_pct: 0 }]);
    expect(res.body.intervals).toHaveLength(168);
    expect(res.body.rostered_agents).toBe(1);
    const nine = res.body.intervals.find((r: { start: string }) => r.start === '2026-12-07T09:00:00.000Z');
    expect(nine).toEqual({ start: '2026-12-07T09:00:00.000Z', arrivals: 1, required: 0.333333, rostered: 0.166667, gap: -0.166667, kept: 0.5 });
    const ten = res.body.intervals.find((r: { start: string }) => r.start === '2026-12-07T10:00:00.000Z');
    expect(ten).toEqual({ start: '2026-12-07T10:00:00.000Z', arrivals: 0, required: 0, rostered: 0, gap: 0, kept: null });
    // A two-hour deadline spreads the work over 09:00 and 10:00; the 600 s at 09:00 is then half of it in time still.
    const two = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&interval=60&deadline_minutes=120&history_weeks=6`, sup);
    expect(two.body.intervals.slice(9, 11).map((r: { required: number }) => r.required)).toEqual([0.166667, 0.166667]);
  });

  it('answers CSV and refuses bad input by field', async () => {
    const csv = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&deadline_minutes=60&history_weeks=6&format=csv`, sup);
    expect(csv.status).toBe(200);
    const text = String(csv.body);
    expect(text.split('\r\n')[0]).toBe('start,arrivals,required,rostered,gap,kept');
    expect(text).toContain('2026-12-07T09:00:00.000Z,1,0.333333,0.166667,-0.166667,0.5');
    const bad = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&interval=45`, sup);
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('interval');
    expect((await t.call('GET', '/api/v1/planning/plan?group=00000000-0000-4000-8000-000000000000', sup)).status).toBe(404);
    expect((await t.call('GET', `/api/v1/planning/plan?group=${groupId}`, await t.signIn('alex@test.dev'))).status).toBe(403);
  });
});
