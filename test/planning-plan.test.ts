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
  it('forecasts each channel of the group from its own arrivals (one read for all channels)', async () => {
    // Another group: an e-mail every Monday 09:05 and two web forms every Tuesday 14:05, for six weeks.
    const two = (await t.call('POST', '/api/v1/groups', sup, { name: 'Two channels' })).body.id as string;
    for (const week of ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']) {
      const monday = Date.parse(`${week}T09:05:00Z`);
      t.clock.set(new Date(monday).toISOString());
      sup = await t.signIn('super@test.dev');
      expect((await t.call('POST', '/api/v1/tickets', sup, { subject: 'm', message: 'help', channel: 'email', requester: { email: 'c@example.org' }, group_id: two })).status).toBe(201);
      t.clock.set(new Date(monday + 29 * 3_600_000).toISOString());
      for (let i = 0; i < 2; i++) {
        expect((await t.call('POST', '/api/v1/tickets', sup, { subject: 'f', message: 'help', channel: 'web_form', requester: { email: 'c@example.org' }, group_id: two })).status).toBe(201);
      }
    }
    t.clock.set('2026-12-06T12:00:00Z');
    sup = await t.signIn('super@test.dev');
    const at = (rows: { start: string; arrivals: number }[], start: string) => rows.find((r) => r.start === start)?.arrivals;
    const all = await t.call('GET', `/api/v1/planning/plan?group=${two}&week_start=2026-12-07&deadline_minutes=60&history_weeks=6`, sup);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.channels.map((c: { channel: string; model: string }) => [c.channel, c.model])).toEqual([['email', 'workload'], ['web_form', 'workload']]);
    expect([at(all.body.intervals, '2026-12-07T09:00:00.000Z'), at(all.body.intervals, '2026-12-08T14:00:00.000Z')]).toEqual([1, 2]);
    const forms = await t.call('GET', `/api/v1/planning/plan?group=${two}&week_start=2026-12-07&deadline_minutes=60&history_weeks=6&channel=web_form`, sup);
    expect([at(forms.body.intervals, '2026-12-07T09:00:00.000Z'), at(forms.body.intervals, '2026-12-08T14:00:00.000Z')]).toEqual([0, 2]);
    const mail = await t.call('GET', `/api/v1/planning/plan?group=${two}&week_start=2026-12-07&deadline_minutes=60&history_weeks=6&channel=email`, sup);
    expect([at(mail.body.intervals, '2026-12-07T09:00:00.000Z'), at(mail.body.intervals, '2026-12-08T14:00:00.000Z')]).toEqual([1, 0]);
  });

  it('computes forecast, required, rostered, gap and kept for a known week', async () => {
    const res = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&interval=60&deadline_minutes=60&history_weeks=6`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.handling).toEqual({ seconds: 1200, source: 'booked' });
    expect(res.body.channels).toEqual([{ channel: 'email', model: 'workload', forecast_model: expect.any(String), backtest_error_pct: 0, deadline: { source: 'parameter', minutes: 60, clock: 'calendar', policy_id: null, calendar_id: null } }]);
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
    // One channel: e-mail is all this group has, so its rows are the group's; phone has none of the roster's need.
    const email = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&deadline_minutes=60&history_weeks=6&channel=email`, sup);
    expect(email.body.intervals[9]).toEqual({ start: '2026-12-07T09:00:00.000Z', arrivals: 1, required: 0.333333, rostered: 0.166667, gap: -0.166667, kept: 0.5 });
    const phone = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&deadline_minutes=60&history_weeks=6&channel=phone`, sup);
    expect(phone.body.channels).toEqual([]);
    expect(phone.body.intervals[9]).toEqual({ start: '2026-12-07T09:00:00.000Z', arrivals: 0, required: 0, rostered: 0, gap: 0, kept: null });
    expect((await t.call('GET', `/api/v1/planning/plan?group=${groupId}&channel=fax`, sup)).body.error.path).toBe('channel');
    const bad = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&interval=45`, sup);
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('interval');
    expect((await t.call('GET', '/api/v1/planning/plan?group=00000000-0000-4000-8000-000000000000', sup)).status).toBe(404);
    expect((await t.call('GET', `/api/v1/planning/plan?group=${groupId}`, await t.signIn('alex@test.dev'))).status).toBe(403);
  });

  it("takes e-mail's deadline from the SLA policy's first-response target in business time, across a night and a holiday", async () => {
    // No policy yet: 1440 wall-clock minutes.
    const before = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&interval=60&history_weeks=6`, sup);
    expect(before.body.channels[0].deadline).toEqual({ source: 'default', minutes: 1440, clock: 'calendar', policy_id: null, calendar_id: null });
    // Office hours Mon–Fri 09:00–17:00 UTC, Tuesday 8 December a holiday; first reply within 10 business hours.
    const admin = await t.signIn('admin@test.dev');
    const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]));
    const cal = await t.call('POST', '/api/v1/sla/calendars', admin, { name: 'Office', spec: { timezone: 'UTC', hours: weekdays, holidays: ['2026-12-08'] } });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    const policy = await t.call('POST', '/api/v1/sla/policies', admin, { name: 'Mail desk', calendar_id: cal.body.id, conditions: [{ field: 'group_id', values: [groupId] }], metrics: [{ name: 'first_response', target_minutes: 600 }] });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const res = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&interval=60&history_weeks=6`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.channels[0].deadline).toEqual({ source: 'policy', minutes: 600, clock: 'business', policy_id: policy.body.id, calendar_id: cal.body.id });
    // Monday 09:00's 1,200 s are due Monday 09:00 + 8 open hours + the night + the holiday + 2 hours = Wednesday
    // 11:00, spread over its ten open hours (Monday 09–17, Wednesday 09–11): 120 s of work, 1/30 person, in each.
    const required = new Map(res.body.intervals.map((r: { start: string; required: number }) => [r.start.slice(0, 13), r.required]));
    const open = ['2026-12-07T09', '2026-12-07T10', '2026-12-07T11', '2026-12-07T12', '2026-12-07T13', '2026-12-07T14', '2026-12-07T15', '2026-12-07T16', '2026-12-09T09', '2026-12-09T10'];
    for (const hour of open) expect(required.get(hour), hour).toBe(0.033333);
    const total = res.body.intervals.reduce((s: number, r: { required: number }) => s + r.required, 0);
    expect(total).toBeCloseTo(10 * 0.033333, 5);
    for (const hour of ['2026-12-07T17', '2026-12-08T10', '2026-12-08T12', '2026-12-09T11']) expect(required.get(hour), hour).toBe(0);
    // The 600 s rostered at Monday 09:00 are in time: half the work, half the promises kept (as with 60 minutes).
    expect(res.body.intervals[9].kept).toBe(0.5);
    // An explicit deadline_minutes still wins (wall clock).
    const given = await t.call('GET', `/api/v1/planning/plan?group=${groupId}&week_start=2026-12-07&interval=60&history_weeks=6&deadline_minutes=60`, sup);
    expect(given.body.channels[0].deadline.source).toBe('parameter');
    expect(given.body.intervals[9].required).toBe(0.333333);
  });

  it("forecasts with a calendar's holidays: nothing came on the last one, so nothing is expected on the next", async () => {
    // E-mail every Monday 09:05 but Monday 9 November, a holiday in the calendar, as is Monday 7 December.
    const desk = (await t.call('POST', '/api/v1/groups', sup, { name: 'Holiday desk' })).body.id as string;
    for (const day of ['2026-10-26', '2026-11-02', '2026-11-16', '2026-11-23', '2026-11-30']) {
      t.clock.set(`${day}T09:05:00Z`);
      sup = await t.signIn('super@test.dev');
      expect((await t.call('POST', '/api/v1/tickets', sup, { subject: 'm', message: 'help', channel: 'email', requester: { email: 'c@example.org' }, group_id: desk })).status).toBe(201);
    }
    t.clock.set('2026-12-06T12:00:00Z');
    sup = await t.signIn('super@test.dev');
    const admin = await t.signIn('admin@test.dev');
    const cal = await t.call('POST', '/api/v1/sla/calendars', admin, { name: 'Holidays', spec: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] }, holidays: ['2026-11-09', '2026-12-07'] } });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    const url = `/api/v1/planning/plan?group=${desk}&week_start=2026-12-07&history_weeks=6&deadline_minutes=60`;
    const at = (body: { intervals: { start: string; arrivals: number }[] }, start: string) => body.intervals.find((r) => r.start === start)?.arrivals;
    const plain = await t.call('GET', url, sup);
    expect(plain.body.holidays_calendar_id).toBeNull();
    expect(at(plain.body, '2026-12-07T09:00:00.000Z')).toBeGreaterThan(0);
    const withHolidays = await t.call('GET', `${url}&calendar_id=${cal.body.id}`, sup);
    expect(withHolidays.status, JSON.stringify(withHolidays.body)).toBe(200);
    expect(withHolidays.body.holidays_calendar_id).toBe(cal.body.id);
    expect(at(withHolidays.body, '2026-12-07T09:00:00.000Z')).toBe(0);
    // Held out: 9 November (forecast 1 as an ordinary Monday: no holiday before it told otherwise) and three Mondays
    // of 1 each, forecast exactly: WAPE = 1 / 3.
    expect(withHolidays.body.channels[0].backtest_error_pct).toBeCloseTo(100 / 3, 9);
    // By default, the calendar of the policy over the group's tickets.
    const policy = await t.call('POST', '/api/v1/sla/policies', admin, { name: 'Holiday desk', calendar_id: cal.body.id, conditions: [{ field: 'group_id', values: [desk] }], metrics: [{ name: 'first_response', target_minutes: 600 }] });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const byPolicy = await t.call('GET', url, sup);
    expect([byPolicy.body.holidays_calendar_id, at(byPolicy.body, '2026-12-07T09:00:00.000Z')]).toEqual([cal.body.id, 0]);
    const bad = await t.call('GET', `${url}&calendar_id=nope`, sup);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('calendar_id');
  });

  it('without booked time, takes the handling time from the replying agent opening the ticket to their reply (the median)', async () => {
    // A group of its own: three e-mails opened by the agent (the ticket page's "viewing" ping) and answered 5, 7 and
    // 30 minutes later: the median is 7 minutes. A ping after the reply, and another agent's open, change nothing.
    const desk = (await t.call('POST', '/api/v1/groups', sup, { name: 'Opened desk' })).body.id as string;
    await t.call('POST', '/api/v1/users', sup, { email: 'opener@test.dev', name: 'Opener', password: PASSWORD, group_ids: [desk] });
    await t.call('POST', '/api/v1/users', sup, { email: 'peeker@test.dev', name: 'Peeker', password: PASSWORD, group_ids: [desk] });
    const plan = async () => (await t.call('GET', `/api/v1/planning/plan?group=${desk}&week_start=2026-12-14&history_weeks=6&deadline_minutes=60`, sup)).body;
    t.clock.set('2026-12-07T09:00:00Z');
    sup = await t.signIn('super@test.dev');
    const numbers: number[] = [];
    for (const minutes of [5, 7, 30]) {
      sup = await t.signIn('super@test.dev');
      const res = await t.call('POST', '/api/v1/tickets', sup, { subject: `after ${minutes}`, message: 'help', channel: 'email', requester: { email: 'c@example.org' }, group_id: desk });
      expect(res.status).toBe(201);
      numbers.push(res.body.number);
      const opener = await t.signIn('opener@test.dev');
      const peeker = await t.signIn('peeker@test.dev');
      t.clock.advanceMinutes(1);
      expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/presence`, peeker, { state: 'viewing' })).status).toBe(200);
      t.clock.advanceMinutes(1);
      expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/presence`, opener, { state: 'viewing' })).status).toBe(200);
      t.clock.advanceMinutes(minutes / 2);
      expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/presence`, opener, { state: 'viewing' })).status).toBe(200); // a later ping
      t.clock.advanceMinutes(minutes / 2);
      expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/messages`, opener, { body: 'Here is how', kind: 'public' })).status).toBe(201);
      t.clock.advanceMinutes(1);
      expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/presence`, opener, { state: 'viewing' })).status).toBe(200); // after the reply
    }
    t.clock.set('2026-12-08T12:00:00Z');
    sup = await t.signIn('super@test.dev');
    expect((await plan()).handling).toEqual({ seconds: 420, source: 'observed' });
  });
});
