import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiFilter } from '../src/app/reports/kpi-filter.ts';
import { refreshKpiRollup } from '../src/app/reports/kpi-rollup.ts';
import { plainHeatmap, plainKpis } from './helpers/kpi-plain.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The KPI rollup (docs/kpis.md, "The rollup") against the plain statement over the base tables, on a generated
// history over Europe/Berlin's spring DST change: every KPI of every period × filter below must be the same, first
// from a rollup built from scratch, then after edits made after the fact — a late reply, a reopen, a reassignment,
// a merge, a tier change, an import of history — applied incrementally from the event log. Before the worker builds
// it, reports read the base tables (and never build it themselves). The filters cover both levels: none or one of
// group, agent, type, priority, channel (the day level, kpi_lite) and the others (the hourly rows).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const H = 3_600_000;
const START = Date.parse('2025-03-29T06:00:00Z');

let t: TestApp;
let sup: string;
let agent: string;
let anna: string;
const numbers: number[] = [];

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
  for (const p of [
    { name: 'Urgent', conditions: [{ field: 'priority', values: ['urgent', 'high'] }], metrics: [{ name: 'first_response', target_minutes: 30, clock: 'calendar' }, { name: 'resolution', target_minutes: 240, clock: 'calendar' }] },
    { name: 'Everything', metrics: [{ name: 'first_response', target_minutes: 120, clock: 'calendar' }, { name: 'resolution', target_minutes: 900, clock: 'calendar' }] },
  ]) expect((await t.call('POST', '/api/v1/sla/policies', sup, p)).status).toBe(201);

  const r = rng(1805);
  const { groups, users } = t.fixtures;
  const acts: { at: number; run: () => Promise<unknown> }[] = [];
  for (let i = 0; i < 18; i++) {
    const created = START + i * 2.1 * H + Math.floor(r() * 50) * 60_000 + Math.floor(r() * 60) * 1000;
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
    const later = (maxMinutes: number) => (clock += (5 + Math.floor(r() * maxMinutes)) * 60_000 + Math.floor(r() * 60) * 1000);
    if (r() < 0.8) acts.push({ at: later(180), run: () => ok('POST', `/api/v1/tickets/${n()}/messages`, () => agent, { body: 'Looking', internal: false }) });
    if (r() < 0.5) acts.push({ at: later(60), run: () => ok('PATCH', `/api/v1/tickets/${n()}/diagnosis`, () => agent, { root_cause_category: pick(r, ['configuration', 'user_error']) }) });
    if (r() < 0.4) acts.push({ at: later(90), run: () => ok('PATCH', `/api/v1/tickets/${n()}`, () => agent, { assignee_id: pick(r, [users.agentSupport, users.agentBilling]) }) });
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
  await at(START + 50 * H + 17 * 60_000);
}, 120_000);
afterAll(() => t?.close());

const iso = (ms: number) => new Date(ms).toISOString();
// Whole hours (one whole UTC day inside); Berlin's local day of the DST change (23 hours); edges inside hours; within
// one hour; three whole UTC days with partial hours at both ends.
const PERIODS: [number, number][] = [
  [START - H, START + 60 * H],
  [START - 6 * H - 17 * 60_000, START + 66 * H + 4 * 60_000],
  [Date.parse('2025-03-29T23:00:00Z'), Date.parse('2025-03-30T22:00:00Z')],
  [START + 3 * H + 17 * 60_000 + 4_000, START + 40 * H + 43 * 60_000],
  [START + 5 * H + 10 * 60_000, START + 5 * H + 50 * 60_000],
];

function filters(): KpiFilter[] {
  const { groups, users } = t.fixtures;
  return [{}, { group_id: groups.support }, { group_id: 'none' }, { assignee_id: users.agentSupport }, { assignee_id: 'none' },
    { type: 'complaint' }, { priority: 'high' }, { channel: 'phone' }, { tier: 'standard' }, { tier: 'enterprise' },
    { root_cause: 'configuration' }, { root_cause: 'none' }, { channel: 'email', priority: 'normal' }];
}
const qs = (from: number, to: number, f: KpiFilter) =>
  new URLSearchParams({ from: iso(from), to: iso(to), ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)])) }).toString();

/** Equal, numbers to 9 decimals (a mean summed in another order may differ in its last bits). */
function expectSame(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, where).toBeCloseTo(expected, 9);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) ? actual.length : -1, where).toBe(expected.length);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${where}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), where).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[k], e, `${where}.${k}`);
  } else {
    expect(actual, where).toEqual(expected);
  }
}

async function compareEverything(periods = PERIODS): Promise<number> {
  let nonEmpty = 0;
  for (const [from, to] of periods) {
    for (const f of filters()) {
      const res = await t.call('GET', `/api/v1/reports/kpis?${qs(from, to, f)}`, sup);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const plain = await plainKpis(t.ctx.db, new Date(from), new Date(to), f);
      expectSame(res.body, plain, `kpis ${iso(from)}–${iso(to)} ${JSON.stringify(f)}`);
      if (plain.volume > 0) nonEmpty++;
    }
    for (const zone of ['Europe/Berlin', 'UTC', 'Asia/Kolkata']) {
      const res = await t.call('GET', `/api/v1/reports/heatmap?${qs(from, to, {})}&zone=${zone}`, sup);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const plain = await plainHeatmap(t.ctx.db, new Date(from), new Date(to), zone);
      expect({ arrivals: res.body.arrivals, breaches: res.body.breaches }, `heatmap ${zone} ${iso(from)}`).toEqual(plain);
    }
  }
  return nonEmpty;
}

const rebuiltAt = async () => (await t.ctx.db.query<{ rebuilt_at: Date | null }>('SELECT rebuilt_at FROM kpi_rollup_cursor'))[0]?.rebuilt_at?.toISOString();

describe('the KPI rollup', () => {
  it('is built by the worker only: until then reports answer from the base tables, exactly', async () => {
    expect(await rebuiltAt()).toBeUndefined();
    expect(await compareEverything(PERIODS.slice(1, 2))).toBeGreaterThan(5);
    expect(await rebuiltAt()).toBeUndefined(); // no request built it
    expect(await refreshKpiRollup(t.ctx)).toBe(-1); // the worker's turn (jobs/kpi-rollup.ts): a rebuild
    expect(await rebuiltAt()).toBeDefined();
    const days = async () => (await t.ctx.db.query<{ days: number }>("SELECT count(DISTINCT day)::int AS days FROM kpi_lite_bins WHERE dim = ''"))[0]?.days;
    expect(await days()).toBeGreaterThanOrEqual(3);
    // The upgrade to migration 0170: hourly rows there, the daily level not yet — reports read the base tables, the
    // worker builds the daily level alone.
    await t.ctx.db.query('UPDATE kpi_rollup_cursor SET levels_built = false');
    await t.ctx.db.query('TRUNCATE kpi_lite, kpi_lite_bins');
    expect(await compareEverything(PERIODS.slice(0, 1))).toBeGreaterThan(5);
    expect(await days()).toBe(0);
    expect(await refreshKpiRollup(t.ctx)).toBe(-1);
    expect(await days()).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('answers every KPI exactly as the plain statement over the base tables, per period and filter', async () => {
    const nonEmpty = await compareEverything();
    expect(nonEmpty).toBeGreaterThan(20); // the comparison is not between empty answers
    const [{ rows } = { rows: 0 }] = await t.ctx.db.query<{ rows: number }>("SELECT count(*)::int AS rows FROM kpi_rollup WHERE kind = 'created'");
    expect(rows).toBeGreaterThan(0);
  }, 120_000);

  it('follows edits after the fact: a late reply, a reopen, a reassignment, a merge, a tier change, an imported history', async () => {
    const built = await rebuiltAt();
    expect(built).toBeDefined();
    const { users } = t.fixtures;
    const before = (await t.call('GET', `/api/v1/reports/kpis?${qs(START - H, START + 60 * H, {})}`, sup)).body;
    await at(START + 52 * H);
    // A late reply to the first ticket; a customer message on an old solved ticket reopens it; a reassignment.
    await ok('POST', `/api/v1/tickets/${numbers[0]}/messages`, () => agent, { body: 'Late, sorry', internal: false });
    await ok('POST', `/api/v1/tickets/${numbers[2]}/messages`, () => anna, { body: 'It is back' });
    await ok('PATCH', `/api/v1/tickets/${numbers[2]}`, () => agent, { status: 'open' });
    await ok('PATCH', `/api/v1/tickets/${numbers[3]}`, () => agent, { assignee_id: users.agentBilling });
    await ok('PATCH', `/api/v1/tickets/${numbers[4]}`, () => agent, { assignee_id: users.agentSupport, priority: 'urgent', type: 'quote' });
    // A merge: the source stops counting, its messages count on the survivor.
    const merged = await t.call('POST', `/api/v1/tickets/${numbers[5]}/merge`, agent, { into: numbers[6] });
    expect(merged.status, JSON.stringify(merged.body)).toBeLessThan(300);
    // The requester's organization changes tier (no ticket event: the tier is read through the organization).
    const [org] = await t.ctx.db.query<{ id: string }>("SELECT organization_id AS id FROM contacts WHERE email = 'anna@acme.example'");
    if (org?.id) expect((await t.call('PATCH', `/api/v1/organizations/${org.id}`, sup, { tier: 'enterprise' })).status).toBe(200);
    // An imported history over the same DST weekend (test/fixtures/import).
    const admin = await t.signIn('admin@test.dev');
    const csv = await readFile(path.join(ROOT, 'test/fixtures/import/incidents.csv'), 'utf8');
    const mapping = JSON.parse(await readFile(path.join(ROOT, 'test/fixtures/import/incidents-mapping.json'), 'utf8')) as unknown;
    const started = await t.call('POST', '/api/v1/imports', admin, { kind: 'events', file_name: 'incidents.csv', file: csv, mapping });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let report: Record<string, unknown> = {};
    for (let i = 0; i < 400 && !report.done; i++) {
      report = (await t.call('GET', `/api/v1/imports/${started.body.id}`, admin)).body;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(report.tickets_written).toBeGreaterThan(0);

    const nonEmpty = await compareEverything();
    expect(nonEmpty).toBeGreaterThan(20);
    // Applied from the event log, not by building it again; and the edits did change the answer.
    expect(await rebuiltAt()).toBe(built);
    const after = (await t.call('GET', `/api/v1/reports/kpis?${qs(START - H, START + 60 * H, {})}`, sup)).body;
    expect(after).not.toEqual(before);
  }, 120_000);
});
