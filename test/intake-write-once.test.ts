import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 17: intake decides everything first and writes the ticket row once — triage's changes, the clocks,
// the repeat link and the promise go in with the INSERT. A row trigger counts every UPDATE of a ticket.

let t: TestApp;
let admin: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev')]);
  await t.ctx.db.exec(`
    CREATE TABLE test_ticket_updates (ticket_id uuid NOT NULL);
    CREATE FUNCTION test_log_ticket_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO test_ticket_updates VALUES (NEW.id); RETURN NULL; END $$;
    CREATE TRIGGER test_ticket_updates AFTER UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION test_log_ticket_update();`);
  const policy = await t.call('POST', '/api/v1/sla/policies', admin, {
    name: 'Four hours, warned at half', metrics: [{ name: 'first_response', target_minutes: 240, clock: 'calendar', warning: { thresholds: [50] } }],
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
});
afterAll(() => t.close());

const updatesOf = async (number: number) =>
  (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_ticket_updates u JOIN tickets t ON t.id = u.ticket_id WHERE t.number = $1', [number]))[0]?.n;
const webRequest = async (subject: string, message: string, email: string) => {
  const res = await t.call('POST', '/api/v1/public/requests', null, { name: 'Web Customer', email, subject, message });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.number as number;
};

describe('intake writes the ticket row once', () => {
  let rule: string;
  it('a request a trigger changes (priority, tags, group, a note) is inserted as triaged, with its clocks and promise, and never updated', async () => {
    const created = await t.call('POST', '/api/v1/triggers', admin, {
      name: 'Refunds to Billing', conditions: [{ field: 'text', op: 'contains_any', value: ['refund'] }],
      actions: { priority: 'high', add_tags: ['refund'], group_id: t.fixtures.groups.billing, internal_note: 'Refund request: check the invoice.' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    rule = created.body.id;
    const number = await webRequest('Refund for order 1182', 'I would like a refund for my last order, please.', 'refund.one@example.com');
    const ticket = (await t.call('GET', `/api/v1/tickets/${number}`, admin)).body;
    expect(ticket).toMatchObject({ priority: 'high', tags: ['refund'], group: { id: t.fixtures.groups.billing }, stage: 'triaged' });
    expect(ticket.promise?.promised_at, JSON.stringify(ticket)).toBeTruthy();
    const [row] = await t.ctx.db.query<{ language: string | null; sla_policy_id: string | null; sla_next_due_at: Date | null; promised_reply_at: Date | null; clocks: number }>(
      `SELECT language, sla_policy_id, sla_next_due_at, promised_reply_at, (SELECT count(*)::int FROM sla_clocks c WHERE c.ticket_id = t.id) AS clocks FROM tickets t WHERE number = $1`, [number]);
    expect(row?.language).toBe('en');
    expect(row?.sla_policy_id).not.toBeNull();
    expect(row?.sla_next_due_at).not.toBeNull();
    expect(row?.promised_reply_at).not.toBeNull();
    expect(row?.clocks).toBeGreaterThan(0);
    // The rule's note is an internal message whose event names it, in order after the creation.
    const log = (await t.call('GET', `/api/v1/tickets/${number}/events`, admin)).body.data as { kind: string; after: { rule?: { name: string }; message_id?: string } }[];
    expect(log.slice(0, 2).map((e) => e.kind)).toEqual(['created', 'message_added']);
    const note = log.find((e) => e.kind === 'message_added' && e.after.rule?.name === 'Refunds to Billing');
    const messages = (await t.call('GET', `/api/v1/tickets/${number}/messages`, admin)).body.data as { id: string; kind: string }[];
    expect(messages.find((m) => m.id === note?.after.message_id)?.kind).toBe('internal');
    expect(await updatesOf(number)).toBe(0);
  });

  it('a repeat contact is linked in the INSERT, and the acknowledgement job is queued with it', async () => {
    const email = 'repeat.once@example.com';
    const first = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Cannot export the monthly report', message: 'Export fails.', requester: { email } });
    expect(first.status).toBe(201);
    expect((await t.call('PATCH', `/api/v1/tickets/${first.body.number}`, agent, { status: 'solved' })).status).toBe(200);
    const number = await webRequest('Cannot export the monthly report again', 'The export fails again.', email);
    const [row] = await t.ctx.db.query<{ repeat_of_id: string | null; jobs: number }>(
      `SELECT repeat_of_id, (SELECT count(*)::int FROM outbox o WHERE o.kind = 'mail.acknowledgement' AND o.payload->>'ticket_id' = t.id::text) AS jobs
       FROM tickets t WHERE number = $1`, [number]);
    expect(row?.repeat_of_id).toBe(first.body.id);
    expect(row?.jobs).toBe(1);
    expect(await updatesOf(number)).toBe(0);
  });

  it("an admin's change to a trigger applies to the very next request in the same process", async () => {
    expect((await t.call('PATCH', `/api/v1/triggers/${rule}`, admin, { active: false })).status).toBe(200);
    const number = await webRequest('Refund please', 'A refund for the duplicate charge, please.', 'refund.two@example.com');
    const ticket = (await t.call('GET', `/api/v1/tickets/${number}`, admin)).body;
    expect(ticket).toMatchObject({ priority: 'normal', tags: [], stage: 'received' });
    expect(ticket.group.id).not.toBe(t.fixtures.groups.billing);
  });
});
