import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// GET /api/v1/reports/kpis (issue 18 item 1) on a day whose answers are known by construction (docs/kpis.md).
//
// 08:00 T1 (e-mail)  agent replies 08:30 (first response 30) · customer writes 09:00 · agent replies 10:00
//                    (a response of 60) · solved 11:00 (resolution 180)
// 08:10 T2 (phone, high)  agent replies 08:20 (10) · solved 08:40 (30) · reopened 08:50 · solved again 09:10
// 08:20 T3 (e-mail)  never answered
// Average response covers every public customer message in the period: the three opening messages (30, 10,
// unanswered) and T1's 09:00 message (60).

let t: TestApp;
let agent: string;
let sup: string;
let anna: string;
const numbers: Record<string, number> = {};

const at = (hhmm: string) => t.clock.set(`2025-03-10T${hhmm}:00Z`);
async function ok(method: 'POST' | 'PATCH', url: string, token: string, body: unknown) {
  const res = await t.call(method, url, token, body);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
  anna = await t.signIn('anna@acme.example', undefined, true);
  const create = async (name: string, hhmm: string, extra: Record<string, unknown> = {}) => {
    at(hhmm);
    numbers[name] = (await ok('POST', '/api/v1/tickets', agent, { subject: name, message: `${name} is broken`, requester: { email: 'anna@acme.example' }, ...extra })).number as number;
  };
  await create('T1', '08:00');
  await create('T2', '08:10', { channel: 'phone', priority: 'high' });
  await create('T3', '08:20');
  const reply = async (name: string, hhmm: string) => { at(hhmm); await ok('POST', `/api/v1/tickets/${numbers[name]}/messages`, agent, { body: `About ${name}`, internal: false }); };
  const status = async (name: string, hhmm: string, s: string) => { at(hhmm); await ok('PATCH', `/api/v1/tickets/${numbers[name]}`, agent, { status: s }); };
  await reply('T2', '08:20');
  await reply('T1', '08:30');
  await status('T2', '08:40', 'solved');
  await status('T2', '08:50', 'open');
  at('09:00');
  await ok('POST', `/api/v1/tickets/${numbers.T1}/messages`, anna, { body: 'Still broken after the update' });
  await status('T2', '09:10', 'solved');
  await reply('T1', '10:00');
  await status('T1', '11:00', 'solved');
  at('12:00');
});
afterAll(() => t.close());

const day = 'from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z';

describe('GET /api/v1/reports/kpis', () => {
  it('counts a known day exactly', async () => {
    const res = await t.call('GET', `/api/v1/reports/kpis?${day}`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const k = res.body;
    expect(k.volume).toBe(3);
    expect(k.first_response).toEqual({ n: 2, mean_minutes: 20, p50_minutes: 20, p90_minutes: 28, unanswered: 1 });
    // 10, 30, 60 → mean 33.33, p50 30, p90 54 (linear interpolation between 30 and 60 at 0.8)
    expect(k.average_response.n).toBe(3);
    expect(k.average_response.unanswered).toBe(1);
    expect(k.average_response.mean_minutes).toBeCloseTo(100 / 3, 9);
    expect(k.average_response.p50_minutes).toBe(30);
    expect(k.average_response.p90_minutes).toBeCloseTo(54, 9);
    // T2 solved again at 09:10 (60 minutes after it arrived; the last solve counts), T1 at 11:00 (180).
    expect(k.resolution).toEqual({ n: 2, mean_minutes: 120, p50_minutes: 120, p90_minutes: 168 });
    expect(k.reopen).toEqual({ solved: 2, reopened: 1, rate_pct: 50 });
  });

  it('filters by channel and priority, and an empty period has no averages', async () => {
    const phone = (await t.call('GET', `/api/v1/reports/kpis?${day}&channel=phone`, sup)).body;
    expect(phone.volume).toBe(1);
    expect(phone.first_response).toMatchObject({ n: 1, mean_minutes: 10 });
    const high = (await t.call('GET', `/api/v1/reports/kpis?${day}&priority=high`, sup)).body;
    expect(high.volume).toBe(1);
    const empty = (await t.call('GET', '/api/v1/reports/kpis?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z', sup)).body;
    expect(empty).toMatchObject({ volume: 0, first_response: { n: 0, mean_minutes: null, p50_minutes: null }, reopen: { rate_pct: null } });
  });

  it('refuses bad filters naming them, and agents', async () => {
    for (const [query, field] of [['from=yesterday', 'from'], ['channel=fax', 'channel'], ['group_id=1', 'group_id'], ['sort=up', 'sort']]) {
      const res = await t.call('GET', `/api/v1/reports/kpis?${query}`, sup);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect((await t.call('GET', '/api/v1/reports/kpis', agent)).status).toBe(403);
  });
});

describe('GET /api/v1/reports/heatmap', () => {
  it("puts arrivals in the viewer's weekday and hour", async () => {
    const berlin = await t.call('GET', `/api/v1/reports/heatmap?${day}&zone=Europe/Berlin`, sup);
    expect(berlin.status, JSON.stringify(berlin.body)).toBe(200);
    expect(berlin.body.arrivals).toHaveLength(7);
    expect(berlin.body.arrivals[0][9]).toBe(3); // Monday 09:xx in Berlin = 08:xx UTC
    expect(berlin.body.arrivals.flat().reduce((a: number, b: number) => a + b, 0)).toBe(3);
    const utc = (await t.call('GET', `/api/v1/reports/heatmap?${day}&channel=phone`, sup)).body;
    expect(utc.zone).toBe('UTC');
    expect(utc.arrivals[0][8]).toBe(1);
    expect((await t.call('GET', `/api/v1/reports/heatmap?zone=Nowhere/City`, sup)).status).toBe(400);
  });

  it('exports the same grid as CSV, one row per weekday × hour', async () => {
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/reports/heatmap?${day}&zone=Europe/Berlin&format=csv`, headers: { authorization: `Bearer ${sup}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('weekday,day,hour,zone,arrivals,breaches');
    expect(lines).toHaveLength(1 + 7 * 24);
    const json = (await t.call('GET', `/api/v1/reports/heatmap?${day}&zone=Europe/Berlin`, sup)).body;
    for (const line of lines.slice(1)) {
      const [weekday, , hour, zone, arrivals, breaches] = line.split(',');
      expect(zone).toBe('Europe/Berlin');
      expect(Number(arrivals), line).toBe(json.arrivals[Number(weekday) - 1][Number(hour)]);
      expect(Number(breaches), line).toBe(json.breaches[Number(weekday) - 1][Number(hour)]);
    }
    expect(lines).toContain('1,Monday,9,Europe/Berlin,3,0');
  });

  it('drills from a cell to exactly its tickets, in the cell\'s zone', async () => {
    const cell = async (q: string) => {
      const res = await t.call('GET', `/api/v1/reports/kpis/tickets?${day}&${q}`, sup);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.data as { number: number }[]).map((r) => r.number).sort((a, b) => a - b);
    };
    expect(await cell('kpi=volume&zone=Europe/Berlin&weekday=1&hour=9')).toEqual([numbers.T1, numbers.T2, numbers.T3]);
    expect(await cell('kpi=volume&zone=Europe/Berlin&weekday=1&hour=8')).toEqual([]);
    expect(await cell('kpi=volume&weekday=1&hour=8&channel=phone')).toEqual([numbers.T2]);
    expect(await cell('kpi=breached_in_period&zone=Europe/Berlin&weekday=1&hour=9')).toEqual([]);
    for (const [q, field] of [['kpi=volume&weekday=1', 'hour'], ['kpi=volume&hour=9', 'weekday'], ['kpi=resolution&weekday=1&hour=9', 'weekday'],
      ['kpi=volume&weekday=8&hour=9', 'weekday'], ['kpi=volume&weekday=1&hour=24', 'hour']] as const) {
      const res = await t.call('GET', `/api/v1/reports/kpis/tickets?${day}&${q}`, sup);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(res.body), q).toContain(field);
    }
  });
});

describe('GET /api/v1/reports/kpis/tickets (drill-down)', () => {
  it('lists the tickets behind each number, with the value each contributed, as JSON and CSV', async () => {
    const get = async (q: string) => (await t.call('GET', `/api/v1/reports/kpis/tickets?${day}&${q}`, sup)).body;
    const fr = await get('kpi=first_response');
    expect(fr.data, JSON.stringify(fr)).toBeDefined();
    expect(fr.data.map((r: { number: number; minutes: number }) => [r.number, r.minutes])).toEqual([[numbers.T1, 30], [numbers.T2, 10]]);
    expect((await get('kpi=first_response_unanswered')).data.map((r: { number: number }) => r.number)).toEqual([numbers.T3]);
    expect((await get('kpi=resolution')).data.map((r: { minutes: number }) => r.minutes)).toEqual([180, 60]);
    expect((await get('kpi=reopened')).data.map((r: { number: number }) => r.number)).toEqual([numbers.T2]);
    expect((await get('kpi=volume')).data).toHaveLength(3);
    for (const q of ['kpi=sla_met', 'kpi=sla_breached&metric=first_response', 'kpi=repeat_contacts']) {
      expect((await t.call('GET', `/api/v1/reports/kpis/tickets?${day}&${q}`, sup)).status, q).toBe(200);
    }
    // Each list agrees with the summary's count.
    const k = (await t.call('GET', `/api/v1/reports/kpis?${day}`, sup)).body;
    expect(fr.data).toHaveLength(k.first_response.n);

    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/reports/kpis/tickets?${day}&kpi=resolution&format=csv`, headers: { authorization: `Bearer ${sup}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('ticket,subject,status,priority,type,channel,created_at,solved_at,minutes');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^#${numbers.T1},T1,solved,.*,180$`));
  });

  it('refuses an unknown KPI naming the field', async () => {
    const res = await t.call('GET', `/api/v1/reports/kpis/tickets?kpi=happiness`, sup);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('kpi');
  });
});
