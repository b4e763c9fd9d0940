import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The endpoints the agent's reply box and queue views need beyond the triage and routing APIs:
// a macro preview that changes nothing, and the "snoozed" built-in view.

let t: TestApp;
let admin: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev')]);
});
afterAll(() => t.close());

const ticket = async (subject: string) => {
  const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message: 'Details inside.', requester_id: t.fixtures.contacts.anna });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.number as number;
};

describe('macro preview', () => {
  it('renders the placeholders for this ticket and names the fields it would set, without changing the ticket', async () => {
    const number = await ticket('Preview me');
    const macro = await t.call('POST', '/api/v1/macros', admin, {
      title: 'Ask for details', language: 'en', shared: true,
      body: 'Hi {{requester.name}}, about {{ticket.number}}. {{agent.name}}', actions: { status: 'pending', tags: ['needs-info'] },
    });
    const preview = await t.call('GET', `/api/v1/tickets/${number}/macros/${macro.body.id}/preview`, agent);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.text).toBe(`Hi anna@acme.example, about #${number}. alex@test.dev`);
    expect(preview.body.actions).toEqual({ status: 'pending', tags: ['needs-info'] });
    const after = (await t.call('GET', `/api/v1/tickets/${number}`, agent)).body;
    expect(after.status).not.toBe('pending');
    expect(after.tags).not.toContain('needs-info');
    expect((await t.call('GET', `/api/v1/tickets/${number}/macros/7c9e6679-7425-40de-944b-e07fc1f90ae7/preview`, agent)).status).toBe(404);
    expect((await t.call('GET', `/api/v1/tickets/${number}/macros/${macro.body.id}/preview`, null)).status).toBe(401);
  });
});

describe('the snoozed view', () => {
  it('holds snoozed tickets, which leave the working views until they wake', async () => {
    const number = await ticket('Snooze me');
    const inView = async (view: string) =>
      ((await t.call('GET', `/api/v1/tickets?view=${view}&limit=200`, admin)).body.data as { number: number }[]).map((x) => x.number);
    expect(await inView('all_open')).toContain(number);
    expect(await inView('snoozed')).not.toContain(number);
    const countsBefore = (await t.call('GET', '/api/v1/views/counts', admin)).body;
    const until = new Date(Date.now() + 86_400_000).toISOString();
    expect((await t.call('POST', `/api/v1/tickets/${number}/snooze`, agent, { until })).status).toBe(200);
    expect(await inView('snoozed')).toContain(number);
    expect(await inView('all_open')).not.toContain(number);
    expect(await inView('unassigned')).not.toContain(number);
    expect(await inView('all')).toContain(number);
    const counts = (await t.call('GET', '/api/v1/views/counts', admin)).body;
    expect(counts.snoozed).toBe(countsBefore.snoozed + 1);
    expect(counts.all_open).toBe(countsBefore.all_open - 1);
    expect((await t.call('DELETE', `/api/v1/tickets/${number}/snooze`, agent)).status).toBe(200);
    expect(await inView('snoozed')).not.toContain(number);
    expect(await inView('all_open')).toContain(number);
  });
});
