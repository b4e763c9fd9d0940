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
