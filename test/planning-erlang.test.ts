import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planErlang } from '../src/core/planning/index.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// POST /api/v1/planning/erlang (planning spec §1): the core's plan over HTTP, 400 naming the field.

let t: TestApp;
let sup: string;
let agent: string;
const body = { calls: 100, interval_minutes: 30, aht_seconds: 180, answer_seconds: 20, target_sl: 0.8, shrinkage: 0.3 };

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
});
afterAll(() => t.close());

describe('POST /api/v1/planning/erlang', () => {
  it('answers the plan, unrounded, to staff', async () => {
    const res = await t.call('POST', '/api/v1/planning/erlang', sup, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual(planErlang(body));
    expect(res.body).toMatchObject({ traffic_erlangs: 10, agents: 14, staff: 20 });
    const withCeiling = await t.call('POST', '/api/v1/planning/erlang', agent, { ...body, max_occupancy: 0.6 });
    expect(withCeiling.status).toBe(200);
    expect(withCeiling.body).toMatchObject({ agents: 17 });
  });

  it.each([
    [{ calls: -1 }, 'calls'],
    [{ target_sl: 1 }, 'target_sl'],
    [{ shrinkage: 1 }, 'shrinkage'],
    [{ aht_seconds: 'slow' }, 'aht_seconds'],
    [{ max_occupancy: 0 }, 'max_occupancy'],
  ])('%j → 400 naming the field', async (patch, field) => {
    const res = await t.call('POST', '/api/v1/planning/erlang', sup, { ...body, ...patch });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('refuses a body that is not an object, and callers who are not signed in', async () => {
    expect((await t.call('POST', '/api/v1/planning/erlang', sup, [1, 2])).status).toBe(400);
    expect((await t.call('POST', '/api/v1/planning/erlang', null, body)).status).toBe(401);
  });
});

describe('GET /api/v1/planning/forecast', () => {
  // Six Mondays (2025-02-03 … 2025-03-10) with 3 e-mails and one phone call at 10:xx Berlin time each, then the
  // forecast on Monday 2025-03-10 at 12:00Z for the week ahead. Berlin is UTC+1 all along (DST starts 30 March).
  const mondays = ['2025-02-03', '2025-02-10', '2025-02-17', '2025-02-24', '2025-03-03'];
  let groupId: string;
  let forecastClock: string;

  beforeAll(async () => {
    const groups = await t.call('GET', '/api/v1/groups', sup);
    expect(groups.status, JSON.stringify(groups.body)).toBe(200);
    groupId = (groups.body.data as { id: string }[])[0]?.id ?? '';
    for (const day of mondays) {
      for (const [minute, channel] of [['05', 'email'], ['20', 'email'], ['40', 'email'], ['50', 'phone']] as const) {
        t.clock.set(`${day}T09:${minute}:00Z`);
        const res = await t.call('POST', '/api/v1/tickets', agent, { subject: `Week ${day} ${minute}`, message: 'Export stops at 50 %', channel, group_id: groupId, requester: { email: `c${minute}@customers.example` } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    }
    forecastClock = '2025-03-08T12:00:00Z'; // Saturday: the history holds exactly five Mondays
    t.clock.set(forecastClock);
  });

  it("forecasts the week ahead from the weeks before, in the zone's local week, with the backtest's error", async () => {
    const res = await t.call('GET', `/api/v1/planning/forecast?group_id=${groupId}&channel=email&history_weeks=5&zone=Europe/Berlin`, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = res.body as { model: string; backtestErrorPct: number | null; zone: string; history: { arrivals: number }; intervals: { start: string; expected: number; high: number }[] };
    expect(f.zone).toBe('Europe/Berlin');
    expect(f.history.arrivals).toBe(15);
    expect(f.backtestErrorPct).toBe(0);
    expect(f.intervals).toHaveLength(168);
    expect(f.intervals[0]?.start).toBe('2025-03-08T12:00:00.000Z');
    const monday = f.intervals.find((i) => i.start === '2025-03-10T09:00:00.000Z'); // 10:00 in Berlin
    expect(monday?.expected).toBe(3);
    const others = f.intervals.filter((i) => i.start !== '2025-03-10T09:00:00.000Z').reduce((s, i) => s + i.expected, 0);
    expect(others).toBe(0);
    const phone = await t.call('GET', `/api/v1/planning/forecast?group_id=${groupId}&channel=phone&history_weeks=5&zone=Europe/Berlin`, sup);
    expect((phone.body as typeof f).intervals.find((i) => i.start === '2025-03-10T09:00:00.000Z')?.expected).toBe(1);
  });

  it('refuses bad parameters naming them, and agents', async () => {
    for (const [query, field] of [['interval_minutes=45', 'interval_minutes'], ['history_weeks=2', 'history_weeks'], ['zone=Mars/Base', 'zone'], ['channel=fax', 'channel'], ['group_id=7', 'group_id'], ['colour=red', 'colour']]) {
      const res = await t.call('GET', `/api/v1/planning/forecast?${query}`, sup);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
    }
    expect((await t.call('GET', '/api/v1/planning/forecast', agent)).status).toBe(403);
  });
});
