import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 19: the SLA panel showed a business-hours figure beside a wall-clock countdown for every
// clock. To show one figure in the clock's own time, the ticket's clocks say which time they count.

let t: TestApp;
let sup: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2025-03-10T08:00:00Z');
  sup = await t.signIn('super@test.dev');
  admin = await t.signIn('admin@test.dev');
  const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
    name: 'Mixed', metrics: [
      { name: 'first_response', target_minutes: 60, clock: 'calendar' },
      { name: 'resolution', target_minutes: 480 },
    ],
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
});
afterAll(() => t?.close());

describe('a ticket\'s clocks name the time they count', () => {
  it('a wall-clock metric is marked calendar; a business one is not', async () => {
    const created = await t.call('POST', '/api/v1/tickets', admin, { subject: 'Clock kinds', message: 'x', requester_id: t.fixtures.contacts.anna });
    expect(created.status).toBe(201);
    const tk = await t.call('GET', `/api/v1/tickets/${created.body.number}`, admin);
    expect(tk.body.sla.metrics.first_response.clock).toBe('calendar');
    expect(tk.body.sla.metrics.resolution).not.toHaveProperty('clock');
  });
});
