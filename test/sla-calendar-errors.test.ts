// The calendar editor marks every wrong field at once: the API reports the name, the zone, each weekday's
// interval and each holiday in one invalid_input answer, with paths the form can put beside its controls.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let sup: string;

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
});
afterAll(async () => {
  await t.close();
});

type Problem = { path: string; message: string };
const paths = (body: { error: { errors: Problem[] } }) => body.error.errors.map((e) => e.path);

describe('calendar validation reports every field at once', () => {
  it('names the empty name, the unknown zone, a bad time, an overlap on another day and a bad country together', async () => {
    const res = await t.call('POST', '/api/v1/sla/calendars', sup, {
      name: '',
      spec: {
        timezone: 'Mars/Olympus',
        hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']], tue: [['09:00', '25:00']], wed: [['09:00', '13:00'], ['12:00', '17:00']], thu: [['22:00', '06:00']] },
        holidays: ['2025-12-25', { country: 'XX' }, '2025-02-30'],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(paths(res.body)).toEqual(['name', 'spec.timezone', 'spec.hours.tue[0][1]', 'spec.hours.wed[1]', 'spec.holidays[1].country', 'spec.holidays[2]']);
    expect(res.body.error.path).toBe('name');
  });

  it('still reports what only the whole calendar can get wrong, and accepts split and overnight shifts', async () => {
    const closed = await t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Closed', spec: { timezone: 'UTC', hours: {} } });
    expect(closed.status).toBe(400);
    expect(paths(closed.body)).toEqual(['spec.hours']);

    const ok = await t.call('POST', '/api/v1/sla/calendars', sup, {
      name: 'Split and night',
      spec: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']], thu: [['22:00', '06:00']] }, holidays: [{ country: 'DE', region: 'BY' }] },
    });
    expect(ok.status).toBe(201);

    const patch = await t.call('PATCH', `/api/v1/sla/calendars/${ok.body.id}`, sup, { name: ' ', spec: { timezone: 'UTC', hours: { fri: [['9:00', '17:00']] } } });
    expect(patch.status).toBe(400);
    expect(paths(patch.body)).toEqual(['name', 'spec.hours.fri[0][0]']);
    const unchanged = await t.call('GET', `/api/v1/sla/calendars/${ok.body.id}`, sup);
    expect(unchanged.body.name).toBe('Split and night');
  });
});
