import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../src/app/notifications/notify.ts';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// Rosters through HTTP (issue 19 item 2): CRUD, imports refused by line and all or nothing, and the one notion
// of "on duty" read by routing and staff mail timing. Monday 2026-12-07; Sofia is UTC+2.

let t: TestApp;
let sup: string;
let agentToken: string;
let groupId: string;
const team: { id: string; email: string }[] = [];
const weekdays = (start: string, end: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start, end }]]));

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2026-12-07T08:00:00Z'); // 10:00 in Sofia
  sup = await t.signIn('super@test.dev');
  agentToken = await t.signIn('alex@test.dev');
  const group = await t.call('POST', '/api/v1/groups', sup, { name: 'Rostered' });
  groupId = group.body.id;
  expect((await t.call('PATCH', `/api/v1/groups/${groupId}/routing`, sup, { assignment_mode: 'round_robin' })).status).toBe(200);
  for (const name of ['early', 'late']) {
    const email = `${name}@test.dev`;
    const user = await t.call('POST', '/api/v1/users', sup, { email, name, password: PASSWORD, group_ids: [groupId] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    expect((await t.call('PATCH', `/api/v1/routing/agents/${user.body.id}`, sup, { availability: 'online', capacity: 5 })).status).toBe(200);
    team.push({ id: user.body.id, email });
  }
});
afterAll(() => t.close());

describe('roster CRUD', () => {
  it('stores a roster, names the bad field, and is for supervisors and admins to change', async () => {
    const [early] = team;
    const bad = await t.call('PUT', `/api/v1/planning/rosters/${early?.id}`, sup, { zone: 'Europe/Sofia', weekly: { mon: [{ start: '9:00', end: '17:00' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0].path).toBe('weekly.mon[0].start');
    expect((await t.call('PUT', `/api/v1/planning/rosters/${early?.id}`, sup, { zone: 'Mars/Base' })).body.error.errors[0].path).toBe('zone');
    expect((await t.call('PUT', `/api/v1/planning/rosters/${early?.id}`, agentToken, { zone: 'UTC' })).status).toBe(403);

    const ok = await t.call('PUT', `/api/v1/planning/rosters/${early?.id}`, sup, { zone: 'Europe/Sofia', country: 'BG', weekly: weekdays('08:00', '16:00') });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.roster.weekly.mon).toEqual([{ start: '08:00', end: '16:00' }]);
    const list = await t.call('GET', '/api/v1/planning/rosters', agentToken);
    expect(list.body.find((r: { user_id: string }) => r.user_id === early?.id).roster.country).toBe('BG');
    expect(list.body.find((r: { email: string }) => r.email === 'alex@test.dev').roster).toBeNull();
  });
});

describe('routing reads the roster', () => {
  it('assigns only to the agent on shift; the other gets work when their shift begins', async () => {
    const [early, late] = team;
    expect((await t.call('PUT', `/api/v1/planning/rosters/${early?.id}`, sup, { zone: 'Europe/Sofia', weekly: weekdays('08:00', '16:00') })).status).toBe(200);
    expect((await t.call('PUT', `/api/v1/planning/rosters/${late?.id}`, sup, { zone: 'Europe/Sofia', weekly: weekdays('14:00', '22:00') })).status).toBe(200);
    const assignees: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.call('POST', '/api/v1/tickets', sup, { subject: `R${i}`, message: 'help', requester: { email: `r${i}@example.org` }, group_id: groupId });
      expect(res.status).toBe(201);
      assignees.push(res.body.assignee?.id ?? null);
      t.clock.advanceMinutes(1);
    }
    expect(assignees).toEqual([early?.id, early?.id, early?.id]);
    // 16:30 in Sofia: the early shift is over, the late one on.
    t.clock.set('2026-12-07T14:30:00Z');
    const after = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Late', message: 'help', requester: { email: 'late@example.org' }, group_id: groupId });
    expect(after.body.assignee?.id).toBe(late?.id);
    // Deleting the roster puts the early agent back on today's behaviour (no routing calendar: always).
    expect((await t.call('DELETE', `/api/v1/planning/rosters/${early?.id}`, sup)).status).toBe(204);
    t.clock.advanceMinutes(1);
    const both = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Either', message: 'help', requester: { email: 'either@example.org' }, group_id: groupId });
    expect([early?.id, late?.id]).toContain(both.body.assignee?.id);
    expect((await t.call('DELETE', `/api/v1/planning/rosters/${early?.id}`, sup)).status).toBe(404);
  });

  it("holds a non-urgent staff mail until the recipient's next shift, and sends an urgent one now", async () => {
    const [, late] = team;
    t.clock.set('2026-12-07T21:00:00Z'); // 23:00 in Sofia: the late shift ended at 22:00
    const now = t.clock.now;
    for (const urgent of [false, true]) await notify(t.ctx.db, { event: 'test.roster', ticketId: null, title: `urgent ${urgent}`, body: '', urgent, recipients: [late?.id ?? ''] }, now);
    const rows = await t.ctx.db.query<{ urgent: boolean; email_after: Date }>("SELECT urgent, email_after FROM notifications WHERE kind = 'test.roster' ORDER BY urgent");
    expect(rows.map((r) => r.email_after.toISOString())).toEqual(['2026-12-08T12:00:00.000Z', now.toISOString()]); // Tuesday 14:00 Sofia
  });
});

describe('roster import', () => {
  it('refuses a CSV with problems by line and writes nothing, then imports a good one', async () => {
    const before = await t.call('GET', `/api/v1/planning/rosters/${team[1]?.id}`, sup);
    const bad = await t.call('POST', '/api/v1/planning/rosters/import', sup, { format: 'csv', text: [
      'agent,kind,day,start,end,zone',
      'early@test.dev,weekly,mon,09:00,17:00,Europe/Sofia',
      'late@test.dev,weekly,mon,25:00,17:00,Europe/Sofia',
      'nobody@test.dev,weekly,mon,09:00,17:00,UTC',
    ].join('\n') });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['line 3', 'line 4']);
    expect(bad.body.error.errors[1].message).toMatch(/no staff user has the e-mail nobody@test.dev/);
    expect((await t.call('GET', `/api/v1/planning/rosters/${team[0]?.id}`, sup)).body.roster).toBeNull();
    expect((await t.call('GET', `/api/v1/planning/rosters/${team[1]?.id}`, sup)).body).toEqual(before.body);

    const good = await t.call('POST', '/api/v1/planning/rosters/import', sup, { format: 'csv', text: 'agent,kind,day,start,end,zone\nEarly@test.dev,weekly,sat,10:00,14:00,UTC\n' });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect((await t.call('GET', `/api/v1/planning/rosters/${team[0]?.id}`, sup)).body.roster.weekly).toEqual({ sat: [{ start: '10:00', end: '14:00' }] });
  });

  it("imports one agent's iCalendar and names a bad event's line", async () => {
    const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
    const bad = await t.call('POST', '/api/v1/planning/rosters/import', sup, { format: 'ical', user_id: team[0]?.id, text: ics('BEGIN:VEVENT', 'UID:1', 'DTSTART:20261207T090000', 'DTEND:20261207T170000', 'RRULE:FREQ=MONTHLY', 'END:VEVENT') });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0]).toEqual({ path: 'line 4', message: expect.stringMatching(/only weekly/) });
    const good = await t.call('POST', '/api/v1/planning/rosters/import', sup, { format: 'ical', user_id: team[0]?.id, text: ics('BEGIN:VEVENT', 'UID:1', 'DTSTART:20261207T090000', 'DTEND:20261207T170000', 'RRULE:FREQ=WEEKLY;BYDAY=MO,TH', 'END:VEVENT') });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    // The zone came from the agent's current roster (UTC, from the CSV above).
    const r = (await t.call('GET', `/api/v1/planning/rosters/${team[0]?.id}`, sup)).body.roster;
    expect(r.zone).toBe('UTC');
    expect(r.weekly).toEqual({ mon: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }] });
  });
});
