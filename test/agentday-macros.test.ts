import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { withoutTrailingSignature } from '../src/core/email/signature.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 14: inserting a macro fills the reply box only; its field changes go with the
// reply, in the reply's transaction; the reply mail is signed once.

let t: TestApp;
let admin: string;
let agent: string;
let bea: string;
let anna: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent, bea] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev'), t.signIn('bea@test.dev')]);
  anna = await t.signIn('anna@acme.example', undefined, true);
});
afterAll(() => t.close());

const ticket = async (subject: string) => {
  const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message: 'Details inside.', requester_id: t.fixtures.contacts.anna, assignee_id: t.fixtures.users.agentSupport, group_id: t.fixtures.groups.support });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: number };
};
const jobs = (ticketId: string, kind: string) => t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>(
  "SELECT kind, payload FROM outbox WHERE kind = $1 AND payload->>'ticket_id' = $2 ORDER BY id", [kind, ticketId]);

describe('macros apply their field changes on send', () => {
  it('preview changes nothing; the reply with macro_id sets the fields with the message, one mail, signed once', async () => {
    const tk = await ticket('Export fails');
    const macro = await t.call('POST', '/api/v1/macros', admin, {
      title: 'Need details', language: 'en', shared: true, actions: { status: 'pending', tags: ['needs-info'] },
      body: 'Hi {{requester.name}},\n\ncould you send a screenshot?\n\n{{agent.name}}',
    });
    expect(macro.status).toBe(201);
    const preview = await t.call('GET', `/api/v1/tickets/${tk.number}/macros/${macro.body.id}/preview`, agent);
    expect(preview.status).toBe(200);
    expect(preview.body.actions).toEqual({ status: 'pending', tags: ['needs-info'] });
    // Inserting is only the preview's text in the reply box: the ticket is as it was.
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body).toMatchObject({ status: 'new', tags: [] });
    expect(await jobs(tk.id, 'mail.promise_waiting_on_you')).toHaveLength(0);

    const sent = await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: preview.body.text, kind: 'public', macro_id: macro.body.id });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body).toMatchObject({ status: 'pending', tags: ['needs-info'] });
    const events = (await t.call('GET', `/api/v1/tickets/${tk.number}/events`, admin)).body.data as { kind: string; created_at: string; actor: { id: string } }[];
    const message = events.find((e) => e.kind === 'message_added');
    const status = events.find((e) => e.kind === 'status_changed');
    expect(status?.actor.id).toBe(t.fixtures.users.agentSupport);
    expect(status?.created_at).toBe(message?.created_at);
    // The reply tells the customer; no separate "we are waiting on you".
    expect(await jobs(tk.id, 'mail.promise_waiting_on_you')).toHaveLength(0);
    const replies = await jobs(tk.id, 'mail.agent_reply');
    expect(replies).toHaveLength(1);
    const mail = replies[0] ? await renderMail(t.ctx, replies[0]) : null;
    expect(mail?.text.split('alex@test.dev').length).toBe(2);
  });

  it('a status chosen beside the reply wins; a failing change keeps the message out (one transaction); bad ids are 4xx', async () => {
    const tk = await ticket('Second');
    const macro = await t.call('POST', '/api/v1/macros', admin, { title: 'Bad type', language: 'en', shared: true, body: 'Hello', actions: { type: 'no_such_type', status: 'pending' } });
    const failed = await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'Hello', macro_id: macro.body.id });
    expect(failed.status).toBe(400);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}/messages`, agent)).body.data).toHaveLength(1);
    expect(await jobs(tk.id, 'mail.agent_reply')).toHaveLength(0);

    const ok = await t.call('POST', '/api/v1/macros', admin, { title: 'Hold', language: 'en', shared: true, body: 'Hello', actions: { status: 'pending', priority: 'high' } });
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'Hello', macro_id: ok.body.id, status: 'on_hold' })).status).toBe(201);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body).toMatchObject({ status: 'on_hold', priority: 'high' });

    const mine = await t.call('POST', '/api/v1/macros', agent, { title: 'Mine', language: 'en', body: 'x', actions: { status: 'solved' } });
    const other = await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, bea, { body: 'x', macro_id: mine.body.id, kind: 'internal' });
    expect([400, 404]).toContain(other.status);
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'x', macro_id: 'nope' })).body.error.path).toBe('macro_id');
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, anna, { body: 'x', macro_id: ok.body.id })).status).toBe(403);
  });

  it('drops only a last line that is the signer\'s name', () => {
    expect(withoutTrailingSignature('Hi,\n\nthanks\n\nAlex Agent\n', 'Alex Agent')).toBe('Hi,\n\nthanks');
    expect(withoutTrailingSignature('Hi,\n— alex agent', 'Alex Agent')).toBe('Hi,');
    expect(withoutTrailingSignature('Thanks, Alex Agent', 'Alex Agent')).toBe('Thanks, Alex Agent');
    expect(withoutTrailingSignature('Alex Agent', 'Alex Agent')).toBe('Alex Agent');
    expect(withoutTrailingSignature('Hi\nAlex', null)).toBe('Hi\nAlex');
  });
});
