import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNSOLVED_STATUSES } from '../src/core/tickets/ticket-model.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// GET /api/v1/reports/breakdown and /trend (issue 18 items 1–2) on generated tickets: every number is compared with a
// plain recomputation in this file from the stored rows (tickets, clocks, status changes), and each row's
// drill-down lists as many tickets as the number says.

let t: TestApp;
let sup: string;
let agent: string; // the admin, who sees every group's tickets
let alex: string;
let anna: string;
const H = 3_600_000;
const START = Date.parse('2025-03-29T06:00:00Z'); // spans Europe/Berlin's spring DST change (30 March)

// A seeded generator, so a failure repeats.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

async function at(ms: number) {
  const far = Math.abs(ms - t.clock.now.getTime()) > 4 * H;
  t.clock.set(new Date(ms).toISOString());
  if (far || !sup) [sup, agent, anna] = await Promise.all([t.signIn('super@test.dev'), t.signIn('admin@test.dev'), t.signIn('anna@acme.example', undefined, true)]);
}
async function ok(method: 'POST' | 'PATCH', url: string, who: () => string, body: unknown) {
  const res = await t.call(method, url, who(), body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestApp();
  await at(START - H);
  alex = await t.signIn('alex@test.dev');
  for (const p of [
    { name: 'Urgent', conditions: [{ field: 'priority', values: ['urgent', 'high'] }], metrics: [{ name: 'first_response', target_minutes: 30, clock: 'calendar' }, { name: 'resolution', target_minutes: 240, clock: 'calendar' }] },
    { name: 'Everything', metrics: [{ name: 'first_response', target_minutes: 120, clock: 'calendar' }, { name: 'resolution', target_minutes: 900, clock: 'calendar' }] },
  ]) expect((await t.call('POST', '/api/v1/sla/policies', sup, p)).status).toBe(201);

  const r = rng(18);
  const { groups, users } = t.fixtures;
  type Act = { at: number; run: () => Promise<unknown> };
  const acts: Act[] = [];
  const numbers: number[] = [];
  for (let i = 0; i < 16; i++) {
    const created = START + i * 2.2 * H + Math.floor(r() * 50) * 60_000;
    const n = () => numbers[i] as number;
    acts.push({ at: created, run: async () => {
      const body = await ok('POST', '/api/v1/tickets', () => agent, {
        subject: `Case ${i}`, message: `Problem ${i}`, requester: { email: 'anna@acme.example' }, acknowledge: false,
        type: pick(r, ['technical_question', 'complaint', 'quote']), priority: pick(r, ['normal', 'high', 'urgent', 'low']),
        channel: pick(r, ['email', 'phone', 'web_form']), group_id: pick(r, [groups.support, groups.billing, null]),
        assignee_id: pick(r, [users.agentSupport, users.agentBilling, null]),
      });
      numbers[i] = body.number as number;
    } });
    let clock = created;
    const later = (maxMinutes: number) => (clock += (5 + Math.floor(r() * maxMinutes)) * 60_000);
    if (r() < 0.8) acts.push({ at: later(180), run: () => ok('POST', `/api/v1/tickets/${n()}/messages`, () => agent, { body: 'Looking', internal: false }) });
    if (r() < 0.5) acts.push({ at: later(60), run: () => ok('PATCH', `/api/v1/tickets/${n()}/diagnosis`, () => agent, { root_cause_category: pick(r, ['configuration', 'user_error']) }) });
    if (r() < 0.7) {
      acts.push({ at: later(900), run: () => ok('PATCH', `/api/v1/tickets/${n()}`, () => agent, { status: 'solved' }) });
      if (r() < 0.4) {
        acts.push({ at: later(300), run: () => ok('POST', `/api/v1/tickets/${n()}/messages`, () => anna, { body: 'Still broken' }) });
        acts.push({ at: later(120), run: () => ok('PATCH', `/api/v1/tickets/${n()}`, () => agent, { status: 'open' }) });
        if (r() < 0.6) acts.push({ at: later(600), run: () => ok('PATCH', `/api/v1/tickets/${n()}`, () => agent, { status: 'solved' }) });
      }
    }
  }
  acts.sort((a, b) => a.at - b.at);
  for (const a of acts) {
    await at(a.at);
    await a.run();
  }
  await at(START + 60 * H);
}, 120_000);
afterAll(() => t?.close());

// ---- the plain recomputation -------------------------------------------------------------------------------
type T = { id: string; group_id: string | null; assignee_id: string | null; type: string; priority: string; channel: string; sla_policy_id: string | null;
  root: string | null; status: string; created_at: Date; first_responded_at: Date | null; solved_at: Date | null };
type Clock = { ticket_id: string; metric: string; status: string; breached_at: Date | null };
type Change = { ticket_id: string; before: string; after: string; created_at: Date };
async function stored() {
  const tickets = await t.ctx.db.query<T>(`SELECT id, group_id, assignee_id, type, priority, channel, sla_policy_id, diagnosis->>'root_cause_category' AS root,
    status, created_at, first_responded_at, solved_at FROM tickets WHERE merged_into_id IS NULL`);
  const clocks = await t.ctx.db.query<Clock>('SELECT ticket_id, metric, status, breached_at FROM sla_clocks');
  const changes = await t.ctx.db.query<Change>(`SELECT ticket_id, before->>'status' AS before, after->>'status' AS after, created_at FROM ticket_events WHERE kind = 'status_changed' ORDER BY ticket_events.seq`);
  return { tickets, clocks, changes };
}
const within = (d: Date | null, from: number, to: number) => d !== null && d.getTime() >= from && d.getTime() < to;
function percentile(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
function durations(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, mean_minutes: null, p50_minutes: null, p90_minutes: null };
  return { n: s.length, mean_minutes: s.reduce((a, b) => a + b, 0) / s.length, p50_minutes: percentile(s, 0.5), p90_minutes: percentile(s, 0.9) };
}
const mins = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
function statusAt(tk: T, changes: Change[], ms: number): string {
  const mine = changes.filter((c) => c.ticket_id === tk.id);
  const before = mine.filter((c) => c.created_at.getTime() < ms).at(-1);
  if (before) return before.after;
  return mine.find((c) => c.created_at.getTime() >= ms)?.before ?? tk.status;
}

function expectClose(actual: unknown, expected: unknown, where: string) {
  if (typeof expected === 'number') expect(actual as number, where).toBeCloseTo(expected, 6);
  else if (expected && typeof expected === 'object') for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  else expect(actual, where).toEqual(expected);
}

const FROM = START;
const TO = START + 48 * H; // to Monday 31 March 06:00 UTC: two ISO weeks
const period = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;

describe('GET /api/v1/reports/breakdown', () => {
  const keyOf: Record<string, (tk: T) => string | null> = {
    group: (tk) => tk.group_id, agent: (tk) => tk.assignee_id, type: (tk) => tk.type, priority: (tk) => tk.priority,
    channel: (tk) => tk.channel, policy: (tk) => tk.sla_policy_id, root_cause: (tk) => tk.root,
  };
  for (const by of Object.keys(keyOf)) {
    it(`by ${by}: every number equals the recomputation, and drills down to as many tickets`, async () => {
      const { tickets, clocks } = await stored();
      const key = (tk: T) => keyOf[by]?.(tk) ?? 'none';
      const res = await t.call('GET', `/api/v1/reports/breakdown?${period}&by=${by}`, sup);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const rows = res.body.rows as { key: string; volume: number; first_response: object; resolution: object; sla: object; drill: Record<string, string> }[];
      const created = tickets.filter((tk) => within(tk.created_at, FROM, TO));
      const keys = new Set([...created.map(key), ...tickets.filter((tk) => within(tk.solved_at, FROM, TO)).map(key)]);
      expect(new Set(rows.map((r) => r.key))).toEqual(keys);
      expect(keys.size).toBeGreaterThan(1);
      for (const row of rows) {
        const mine = created.filter((tk) => key(tk) === row.key);
        const ids = new Set(mine.map((tk) => tk.id));
        const myClocks = clocks.filter((c) => ids.has(c.ticket_id));
        const met = myClocks.filter((c) => c.status === 'completed' && !c.breached_at).length;
        const breached = myClocks.filter((c) => c.breached_at).length;
        expectClose(row, {
          volume: mine.length,
          first_response: { ...durations(mine.filter((tk) => tk.first_responded_at).map((tk) => mins(tk.created_at, tk.first_responded_at as Date))), unanswered: mine.filter((tk) => !tk.first_responded_at).length },
          resolution: durations(tickets.filter((tk) => key(tk) === row.key && within(tk.solved_at, FROM, TO)).map((tk) => mins(tk.created_at, tk.solved_at as Date))),
          sla: { met, breached, compliance_pct: met + breached ? (met / (met + breached)) * 100 : null },
        }, `${by}=${row.key}`);
        const drill = new URLSearchParams(row.drill).toString();
        const list = await t.call('GET', `/api/v1/reports/kpis/tickets?${period}&${drill}&kpi=volume`, sup);
        expect(list.body.data, `${by}=${row.key} ${JSON.stringify(list.body)}`).toHaveLength(row.volume);
      }
    });
  }

  it('by metric: compliance per SLA metric; drill-down to the met and breached tickets; CSV', async () => {
    const { tickets, clocks } = await stored();
    const ids = new Set(tickets.filter((tk) => within(tk.created_at, FROM, TO)).map((tk) => tk.id));
    const res = await t.call('GET', `/api/v1/reports/breakdown?${period}&by=metric`, sup);
    const rows = res.body.rows as { key: string; volume: null; sla: { met: number; breached: number }; drill: Record<string, string> }[];
    expect(rows.map((r) => r.key).sort()).toEqual([...new Set(clocks.filter((c) => ids.has(c.ticket_id)).map((c) => c.metric))].sort());
    for (const row of rows) {
      const mine = clocks.filter((c) => ids.has(c.ticket_id) && c.metric === row.key);
      expect(row.volume).toBeNull();
      expect(row.sla).toMatchObject({ met: mine.filter((c) => c.status === 'completed' && !c.breached_at).length, breached: mine.filter((c) => c.breached_at).length });
      // One clock per ticket and metric, so the tickets behind the number are as many as the clocks.
      const list = await t.call('GET', `/api/v1/reports/kpis/tickets?${period}&${new URLSearchParams(row.drill)}&kpi=sla_breached`, sup);
      expect(list.body.data).toHaveLength(row.sla.breached);
    }
    expect(rows.reduce((n, r) => n + r.sla.breached, 0)).toBeGreaterThan(0);

    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/reports/breakdown?${period}&by=group&format=csv`, headers: { authorization: `Bearer ${sup}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const json = (await t.call('GET', `/api/v1/reports/breakdown?${period}&by=group`, sup)).body.rows as { key: string; volume: number }[];
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]?.startsWith('group,name,volume,first_response_n')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 1).concat(l.split(',')[2] ?? ''))).toEqual(json.map((r) => [r.key, String(r.volume)]));
  });

  it('filters compose with the dimension, and bad input is a 400 naming the field', async () => {
    const { groups } = t.fixtures;
    const all = (await t.call('GET', `/api/v1/reports/breakdown?${period}&by=agent`, sup)).body.rows as { volume: number }[];
    const support = (await t.call('GET', `/api/v1/reports/breakdown?${period}&by=agent&group_id=${groups.support}`, sup)).body.rows as { volume: number }[];
    const none = (await t.call('GET', `/api/v1/reports/breakdown?${period}&by=agent&group_id=none`, sup)).body.rows as { volume: number }[];
    const billing = (await t.call('GET', `/api/v1/reports/breakdown?${period}&by=agent&group_id=${groups.billing}`, sup)).body.rows as { volume: number }[];
    const total = (rows: { volume: number }[]) => rows.reduce((n, r) => n + r.volume, 0);
    expect(total(support) + total(none) + total(billing)).toBe(total(all));
    for (const [q, field] of [['by=weather', 'by'], ['by=group&group_id=abc', 'group_id'], ['by=group&format=xls', 'format']]) {
      const res = await t.call('GET', `/api/v1/reports/breakdown?${q}`, sup);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect((await t.call('GET', `/api/v1/reports/breakdown?by=group`, alex)).status).toBe(403);
  });
});

describe('GET /api/v1/reports/trend', () => {
  it("arrivals, solved and backlog per local day in the viewer's zone equal the recomputation; backlog drills down", async () => {
    const { tickets, changes } = await stored();
    const zone = 'Europe/Berlin';
    const res = await t.call('GET', `/api/v1/reports/trend?${period}&interval=day&zone=${zone}`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const points = res.body.points as { label: string; from: string; to: string; arrivals: number; solved: number; backlog: number }[];
    // Local days of Berlin that meet the period, the spring-forward day 23 hours long.
    const days: string[] = [];
    for (let d = DateTime.fromMillis(FROM, { zone }).startOf('day'); d.toMillis() < TO; d = d.plus({ days: 1 })) days.push(d.toISODate() ?? '');
    expect(points.map((p) => p.label)).toEqual(days);
    for (const p of points) {
      const from = Date.parse(p.from);
      const to = Date.parse(p.to);
      expect(p, p.label).toEqual({
        ...p,
        arrivals: tickets.filter((tk) => within(tk.created_at, from, to)).length,
        solved: tickets.filter((tk) => within(tk.solved_at, from, to)).length,
        backlog: tickets.filter((tk) => tk.created_at.getTime() < to && (UNSOLVED_STATUSES as readonly string[]).includes(statusAt(tk, changes, to))).length,
      });
      const list = await t.call('GET', `/api/v1/reports/kpis/tickets?from=${p.from}&to=${p.to}&kpi=backlog`, sup);
      expect(list.body.data, `${p.label} ${JSON.stringify(list.body)}`).toHaveLength(p.backlog);
    }
    expect(points.reduce((n, p) => n + p.arrivals, 0)).toBe(tickets.filter((tk) => within(tk.created_at, FROM, TO)).length);
    expect(changes.some((c) => c.before === 'solved' && c.after === 'open')).toBe(true); // a reopening is in the data
  });

  it('weeks start on Monday; CSV; a reversed period and a bad zone are refused', async () => {
    const week = (await t.call('GET', `/api/v1/reports/trend?${period}&interval=week`, sup)).body.points as { label: string; arrivals: number }[];
    expect(week.map((p) => p.label)).toEqual(['2025-03-24', '2025-03-31']);
    const day = (await t.call('GET', `/api/v1/reports/trend?${period}&interval=day`, sup)).body.points as { label: string; arrivals: number }[];
    expect(week.reduce((n, p) => n + p.arrivals, 0)).toBe(day.reduce((n, p) => n + p.arrivals, 0));
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/reports/trend?${period}&interval=week&format=csv`, headers: { authorization: `Bearer ${sup}` } });
    expect(csv.body.split('\r\n')[0]).toBe('week,from,to,arrivals,solved,backlog');
    expect(csv.body.split('\r\n')[1]?.split(',')[3]).toBe(String(week[0]?.arrivals));
    expect((await t.call('GET', `/api/v1/reports/trend?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z`, sup)).status).toBe(400);
    expect((await t.call('GET', `/api/v1/reports/trend?zone=Mars/Base`, sup)).status).toBe(400);
  });
});
