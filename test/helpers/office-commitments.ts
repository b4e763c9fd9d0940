import { expect } from 'vitest';
import { STARTING_POLICIES } from '../../src/app/promise/default-commitments.ts';
import type { TestApp } from './test-app.ts';

/**
 * A Berlin office (Mon–Fri 09:00–17:00) and the starting commitments on it, created through the admin API
 * like any calendar and policy. Returns the calendar's id.
 */
export async function installOfficeCommitments(t: TestApp, token: string): Promise<string> {
  const cal = await t.call('POST', '/api/v1/sla/calendars', token, {
    name: 'Office', spec: { timezone: 'Europe/Berlin', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])) },
  });
  expect(cal.status).toBe(201);
  for (const p of STARTING_POLICIES) {
    const res = await t.call('POST', '/api/v1/sla/policies', token, { name: p.name, conditions: p.conditions, calendar_id: cal.body.id, metrics: p.metrics });
    expect(res.status).toBe(201);
  }
  return cal.body.id as string;
}
