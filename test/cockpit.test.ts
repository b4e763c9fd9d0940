import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWeeklyReports } from '../src/app/reports/weekly-report.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 18's cockpit measures (docs/kpis.md) on a Monday whose answers are known by construction, each checked
// against a plain recomputation from the rows where one is possible.
//
// Calendar: UTC, Monday–Friday 09:00–17:00, the policy of every ticket. Rates: Support 60/h, Alex 90/h.
// T1 08:00 Support, technical_question, Alex: Alex books 30, the supervisor 20 → booked 50 min, 45 + 20 = 65 · solved 11:00
// T2 08:10 Support, technical_question, Alex: Alex books 10 → 15 · solved 12:00
// T3 08:20 Support, technical_question, Alex: nothing booked → median of (50, 10) = 30 min at Alex's 90/h = 45 · solved 16:00
// T4 08:30 Support, complaint, nobody: nothing booked, no same-type median → Support's median 30 at 60/h = 30 · solved 18:30
// T5 08:40 Billing: nothing booked, no median, no rate → unknown · solved 13:00

let t: TestApp;
let admin: string;
let sup: string;
let agent: string;
let anna: string;
const n: Record<string, number> = {};

const at = (iso: string) => t.clock.set(iso);
async function ok(method: 'POST' | 'PATCH' | 'PUT', url: string, token: string, body: unknown) {
  const res = await t.call(method, url, token, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, unknown>;
}
const day = 'from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z';

beforeAll(async () => {
  t = await startTestApp();
  at('2025-03-10T07:00:00Z');
  [admin, sup, agent, anna] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('super@test.dev'), t.signIn('alex@test.dev'), t.signIn('anna@acme.example', undefined, true)]);
  const cal = await ok('POST', '/api/v1/sla/calendars', sup, { name: 'Office', spec: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } } });
  await ok('POST', '/api/v1/sla/policies', admin, { name: 'Office hours', calendar_id: cal.id, metrics: [{ name: 'first_response', target_minutes: 240 }] });
  const { groups, users } = t.fixtures;
  const create = async (name: string, hhmm: string, extra: Record<string, unknown>) => {
    at(`2025-03-10T${hhmm}:00Z`);
    n[name] = (await ok('POST', '/api/v1/tickets', sup, { subject: name, message: `${name} is broken`, requester: { email: 'anna@acme.example' }, ...extra })).number as number;
  };
  await create('T1', '08:00', { group_id: groups.support, assignee_id: users.agentSupport });
  await create('T2', '08:10', { group_id: groups.support, assignee_id: users.agentSupport });
  await create('T3', '08:20', { group_id: groups.support, assignee_id: users.agentSupport });
  await create('T4', '08:30', { group_id: groups.support, type: 'complaint' });
  await create('T5', '08:40', { group_id: groups.billing });
  at('2025-03-10T09:00:00Z');
  await ok('POST', `/api/v1/tickets/${n.T1}/time`, agent, { minutes: 30 });
  await ok('POST', `/api/v1/tickets/${n.T1}/time`, sup, { minutes: 20 });
  await ok('POST', `/api/v1/tickets/${n.T2}/time`, agent, { minutes: 10 });
  const solve = async (name: string, hhmm: string) => { at(`2025-03-10T${hhmm}:00Z`); await ok('PATCH', `/api/v1/tickets/${n[name]}`, sup, { status: 'solved' }); };
  await solve('T1', '11:00');
  await solve('T2', '12:00');
  await solve('T5', '13:00');
  await solve('T3', '16:00');
  await solve('T4', '18:30');
  at('2025-03-10T19:00:00Z');
}, 120_000);
afterAll(() => t?.close());

describe('hourly rates', () => {
  it('admins set them (audited); supervisors only read; bad input names the field', async () => {
    const { groups, users } = t.fixtures;
    expect((await t.call('PUT', '/api/v1/reports/cost-rates', sup, { scope: 'group', target_id: groups.support, hourly_rate: 60 })).status).toBe(403);
    const bad = await t.call('PUT', '/api/v1/reports/cost-rates', admin, { scope: 'group', target_id: groups.support, hourly_rate: -5 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('hourly_rate');
    expect((await t.call('PUT', '/api/v1/reports/cost-rates', admin, { scope: 'agent', target_id: groups.support, hourly_rate: 5 })).status).toBe(404);
    await ok('PUT', '/api/v1/reports/cost-rates', admin, { scope: 'group', target_id: groups.support, hourly_rate: 60 });
    await ok('PUT', '/api/v1/reports/cost-rates', admin, { scope: 'agent', target_id: users.agentSupport, hourly_rate: 80 });
    await ok('PUT', '/api/v1/reports/cost-rates', admin, { scope: 'agent', target_id: users.agentSupport, hourly_rate: 90 });
    const list = await t.call('GET', '/api/v1/reports/cost-rates', sup);
    expect(list.body.data.map((r: { scope: string; hourly_rate: number }) => [r.scope, r.hourly_rate])).toEqual([['agent', 90], ['group', 60]]);
    const audit = await t.ctx.db.query<{ action: string; after: { hourly_rate: number } }>(
      "SELECT action, after FROM audit_log WHERE target_id LIKE 'cost_rate:%' ORDER BY id");
    expect(audit.map((a) => [a.action, a.after.hourly_rate])).toEqual([['create', 60], ['create', 80], ['update', 90]]);
  });
});

describe('cost per resolution', () => {
  it('prices booked time, estimates the rest with the method stated, and splits by group', async () => {
    const res = await t.call('GET', `/api/v1/reports/cost?${day}&by=group`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.method).toMatch(/median/);
    expect(res.body.total).toEqual({ resolutions: 5, booked: 2, estimated: 2, unknown_time: 1, unpriced: 1, minutes: 120, cost: 155, cost_per_resolution: 38.75 });
    const support = res.body.rows.find((r: { key: string }) => r.key === t.fixtures.groups.support);
    expect(support).toMatchObject({ label: 'Support', resolutions: 4, cost: 155, cost_per_resolution: 38.75, drill: { group_id: t.fixtures.groups.support } });
    const tickets = (await t.call('GET', `/api/v1/reports/cost/tickets?${day}`, sup)).body.data as { number: number; method: string; minutes: number | null; cost: number | null }[];
    expect(tickets.map((r) => [r.number, r.method, r.minutes, r.cost])).toEqual([
      [n.T1, 'booked', 50, 65], [n.T2, 'booked', 10, 15], [n.T5, 'unknown', null, null],
      [n.T3, 'estimated_group_type_median', 30, 45], [n.T4, 'estimated_group_median', 30, 30],
    ]);
  });

  it('equals a plain recomputation from time entries and rates', async () => {
    const entries = await t.ctx.db.query<{ number: number; group_id: string | null; user_id: string; minutes: number }>(
      'SELECT t.number, t.group_id, e.user_id, e.minutes FROM time_entries e JOIN tickets t ON t.id = e.ticket_id');
    const rates = await t.ctx.db.query<{ scope: string; target_id: string; hourly_rate: number }>('SELECT scope, target_id, hourly_rate::float8 AS hourly_rate FROM cost_rates');
    const rate = (scope: string, id: string | null) => rates.find((r) => r.scope === scope && r.target_id === id)?.hourly_rate;
    const booked = new Map<number, number>();
    for (const e of entries) booked.set(e.number, (booked.get(e.number) ?? 0) + (e.minutes * (rate('agent', e.user_id) ?? rate('group', e.group_id) ?? Number.NaN)) / 60);
    const list = (await t.call('GET', `/api/v1/reports/cost/tickets?${day}`, sup)).body.data as { number: number; method: string; cost: number | null }[];
    for (const r of list.filter((x) => x.method === 'booked')) expect(r.cost, `#${r.number}`).toBeCloseTo(booked.get(r.number) ?? -1, 9);
  });

  it('splits by agent and type, downloads CSV, and refuses bad input and agents', async () => {
    const agentRows = (await t.call('GET', `/api/v1/reports/cost?${day}&by=agent`, sup)).body.rows as { key: string; resolutions: number; cost: number }[];
    expect(agentRows.find((r) => r.key === t.fixtures.users.agentSupport)).toMatchObject({ resolutions: 3, cost: 125 });
    expect(agentRows.find((r) => r.key === 'none')).toMatchObject({ resolutions: 2, cost: 30 });
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/reports/cost?${day}&by=type&format=csv`, headers: { authorization: `Bearer ${sup}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('key,label,resolutions,booked,estimated,unknown_time,unpriced,minutes,cost,cost_per_resolution');
    expect(csv.body).toContain('total,,5,2,2,1,1,120,155,38.75');
    const bad = await t.call('GET', `/api/v1/reports/cost?by=planet`, sup);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('by');
    expect((await t.call('GET', '/api/v1/reports/cost', agent)).status).toBe(403);
  });
});

describe('business-time resolution', () => {
  it("measures solved − created in the policy calendar's open minutes beside wall-clock minutes", async () => {
    const res = await t.call('GET', `/api/v1/reports/resolution-time?${day}&tickets=true`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Plain recomputation: count the open minutes (Mon–Fri 09:00–17:00 UTC) one by one.
    const openMinutes = (a: number, b: number) => {
      let m = 0;
      for (let x = a; x < b; x += 60_000) { const d = new Date(x); if (d.getUTCDay() >= 1 && d.getUTCDay() <= 5 && d.getUTCHours() >= 9 && d.getUTCHours() < 17) m += 1; }
      return m;
    };
    const rows = await t.ctx.db.query<{ number: number; created_at: Date; solved_at: Date }>('SELECT number, created_at, solved_at FROM tickets WHERE solved_at IS NOT NULL ORDER BY solved_at');
    const list = res.body.tickets as { number: number; calendar_minutes: number; business_minutes: number }[];
    expect(list.map((r) => r.number)).toEqual(rows.map((r) => r.number));
    for (const r of rows) {
      const got = list.find((x) => x.number === r.number);
      expect(got?.business_minutes, `#${r.number}`).toBe(openMinutes(r.created_at.getTime(), r.solved_at.getTime()));
      expect(got?.calendar_minutes).toBe((r.solved_at.getTime() - r.created_at.getTime()) / 60_000);
    }
    // T1 180/120, T2 230/180, T5 260/240, T3 460/420, T4 600/480
    expect(res.body.business).toMatchObject({ n: 5, p50_minutes: 240, mean_minutes: (120 + 180 + 240 + 420 + 480) / 5 });
    expect(res.body.calendar).toMatchObject({ n: 5, p50_minutes: 260 });
    // The calendar mean equals the resolution KPI's.
    const kpis = (await t.call('GET', `/api/v1/reports/kpis?${day}`, sup)).body;
    expect(res.body.calendar.mean_minutes).toBeCloseTo(kpis.resolution.mean_minutes, 9);
  });
});

describe('average response over every customer message (the existing KPI, checked)', () => {
  it('equals a plain recomputation from the messages', async () => {
    at('2025-03-10T09:30:00Z');
    await ok('POST', `/api/v1/tickets/${n.T4}/messages`, agent, { body: 'Looking into it', internal: false });
    const kpis = (await t.call('GET', `/api/v1/reports/kpis?${day}`, sup)).body;
    const msgs = await t.ctx.db.query<{ ticket_id: string; author_kind: string; created_at: Date }>(
      "SELECT ticket_id, author_kind, created_at FROM messages WHERE kind = 'public' ORDER BY created_at");
    const waits: number[] = [];
    let open = 0;
    for (const m of msgs.filter((x) => x.author_kind === 'contact')) {
      const next = msgs.find((r) => r.ticket_id === m.ticket_id && r.author_kind === 'user' && r.created_at > m.created_at);
      if (next) waits.push((next.created_at.getTime() - m.created_at.getTime()) / 60_000); else open += 1;
    }
    expect(kpis.average_response.n).toBe(waits.length);
    expect(kpis.average_response.unanswered).toBe(open);
    expect(kpis.average_response.mean_minutes).toBeCloseTo(waits.reduce((s, w) => s + w, 0) / waits.length, 9);
  });
});

describe('CSAT and the low-score follow-up', () => {
  it('a rating of 1 or 2 notifies the supervisors once; a supervisor notes it and marks it done; the rate counts it', async () => {
    at('2025-03-10T19:10:00Z');
    await ok('POST', `/api/v1/portal/tickets/${n.T1}/closure`, anna, { outcome: 'solved', rating: 2, comment: 'Slow' });
    await ok('POST', `/api/v1/portal/tickets/${n.T2}/closure`, anna, { outcome: 'solved', rating: 5 });
    await ok('POST', `/api/v1/portal/tickets/${n.T3}/closure`, anna, { outcome: 'solved', rating: 1 });
    const notes = await t.ctx.db.query<{ user_id: string; title: string; email_after: Date | null }>("SELECT user_id, title, email_after FROM notifications WHERE kind = 'csat.low_score' ORDER BY id");
    // The supervisor is in no group: every active supervisor is told, once per low rating, by mail too.
    expect(notes.map((r) => [r.user_id, r.title])).toEqual([
      [t.fixtures.users.supervisor, `Low satisfaction score (2 of 5) on #${n.T1}`], [t.fixtures.users.supervisor, `Low satisfaction score (1 of 5) on #${n.T3}`]]);
    expect(notes.every((r) => r.email_after !== null)).toBe(true);

    const csat = (await t.call('GET', `/api/v1/reports/csat?${day}`, sup)).body;
    expect(csat).toMatchObject({ responses: 3, satisfied: 1, low_scores: 2, followed_up: 0, follow_up_rate_pct: 0 });
    expect(csat.average).toBeCloseTo(8 / 3, 9);
    const kpis = (await t.call('GET', `/api/v1/reports/kpis?${day}`, sup)).body;
    expect(kpis.csat.responses).toBe(csat.responses);

    const list = (await t.call('GET', `/api/v1/reports/csat/low-scores?${day}`, sup)).body.data as { id: string; number: number; rating: number; comment: string | null }[];
    expect(list.map((r) => [r.number, r.rating])).toEqual([[n.T3, 1], [n.T1, 2]]);
    const first = list[1];
    if (!first) throw new Error('no low score');
    const empty = await t.call('PATCH', `/api/v1/reports/csat/low-scores/${first.id}`, sup, {});
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('note');
    expect((await t.call('PATCH', `/api/v1/reports/csat/low-scores/${first.id}`, agent, { done: true })).status).toBe(403);
    expect((await t.call('PATCH', '/api/v1/reports/csat/low-scores/999999', sup, { done: true })).status).toBe(404);
    const done = await ok('PATCH', `/api/v1/reports/csat/low-scores/${first.id}`, sup, { note: 'Called Anna, refunded the month', done: true });
    expect(done).toMatchObject({ note: 'Called Anna, refunded the month', noted_by: 'super@test.dev', done_at: '2025-03-10T19:10:00.000Z' });
    expect((await t.call('GET', `/api/v1/reports/csat/low-scores?${day}&state=open`, sup)).body.data.map((r: { number: number }) => r.number)).toEqual([n.T3]);
    expect((await t.call('GET', `/api/v1/reports/csat?${day}`, sup)).body).toMatchObject({ low_scores: 2, followed_up: 1, follow_up_rate_pct: 50 });
  });
});

describe('the weekly report by e-mail', () => {
  let sink: SmtpSink;
  beforeAll(async () => { sink = await startSmtpSink(); });
  afterAll(() => sink?.close());

  it('goes Monday 08:00 in the supervisor zone, in their language, once, over SMTP', async () => {
    await t.ctx.db.query("UPDATE users SET language = 'bg', time_zone = 'Europe/Sofia' WHERE email = 'super@test.dev'");
    at('2025-03-12T10:00:00Z');
    sup = await t.signIn('super@test.dev');
    expect((await t.call('PUT', '/api/v1/reports/weekly-email', agent, { enabled: true })).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/reports/weekly-email', sup, { enabled: 'yes' })).status).toBe(400);
    await ok('PUT', '/api/v1/reports/weekly-email', sup, { enabled: true });
    expect((await t.call('GET', '/api/v1/reports/weekly-email', sup)).body).toEqual({ enabled: true });
    // Not yet: Monday 07:59 in Sofia (05:59 UTC).
    at('2025-03-17T05:59:00Z');
    expect(await sendWeeklyReports(t.ctx)).toBe(0);
    at('2025-03-17T06:00:00Z');
    expect(await sendWeeklyReports(t.ctx)).toBe(1);
    at('2025-03-17T06:01:00Z');
    expect(await sendWeeklyReports(t.ctx)).toBe(0);
    await Promise.all([sendWeeklyReports(t.ctx), sendWeeklyReports(t.ctx)]);
    expect((await t.ctx.db.query("SELECT 1 FROM outbox WHERE payload ? 'weekly_report'")).length).toBe(1);

    await runDueJobs(t.ctx, createMailer(sink.url, 'Replyby <support@replyby.test>', t.ctx.log));
    const weekly = sink.mails.filter((m) => m.parsed.subject?.startsWith('Седмичен отчет'));
    expect(weekly).toHaveLength(1);
    const mail = weekly[0];
    expect(mail?.to).toEqual(['super@test.dev']);
    const text = mail?.parsed.text ?? '';
    const kpis = (await t.call('GET', '/api/v1/reports/kpis?from=2025-03-09T22:00:00Z&to=2025-03-16T22:00:00Z', sup)).body;
    expect(text).toContain(`Създадени заявки: ${kpis.volume}`);
    expect(kpis.volume).toBe(5);
    expect(text).toContain('Решени заявки: 5');
    expect(text).toContain('Ниски оценки: 2');
    // The low-score notification reached the supervisor by mail too.
    expect(sink.mails.some((m) => m.to.includes('super@test.dev') && (m.parsed.text ?? '').includes('Low satisfaction score'))).toBe(true);
    // The next Monday is a new week.
    at('2025-03-24T06:00:00Z');
    expect(await sendWeeklyReports(t.ctx)).toBe(1);
  });
});
