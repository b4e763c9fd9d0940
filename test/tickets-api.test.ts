import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
});
afterAll(() => t.close());

describe('tickets API', () => {
  it('creates a ticket with its first message and events, and lists it', async () => {
    const created = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Printer on fire', message: 'Help', requester: { email: 'new.person@example.org', name: 'New Person' } });
    expect(created.status).toBe(201);
    expect(created.body.display_number).toBe(`#${created.body.number}`);
    expect(created.body.status).toBe('new');
    expect(created.body.group.name).toBe('Support');
    const events = await t.call('GET', `/api/v1/tickets/${created.body.number}/events`, agent);
    expect(events.body.data.map((e: { kind: string }) => e.kind)).toEqual(['created', 'message_added']);
    const list = await t.call('GET', '/api/v1/tickets?status=new', agent);
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(created.body.id);
  });

  it('names the offending field in a 400', async () => {
    const res = await t.call('POST', '/api/v1/tickets', agent, { subject: '', message: 'x', requester: { email: 'a@b.example' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', path: 'subject' });
  });
});
