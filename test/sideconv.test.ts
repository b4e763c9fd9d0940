import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundOutcome } from '../src/app/email/receive-mail.ts';
import { startSmtpListener, type SmtpListener } from '../src/channels/smtp-listener.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs, type SendMail } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Side conversations over real SMTP on loopback, and ownership clocks (group:<id>) with business hours.

let t: TestApp;
let listener: SmtpListener;
let sink: SmtpSink;
let sendMail: SendMail;
let client: nodemailer.Transporter;
let sup: string;
let alex: string;
let bea: string;
const outcomes: InboundOutcome[] = [];
const SUPPORT = 'help@replyby.test';
const SOFIA = { timezone: 'Europe/Sofia', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } };

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2025-11-25T08:30:00Z'); // Tue 10:30 in Sofia
  sup = await t.signIn('super@test.dev');
  alex = await t.signIn('alex@test.dev');
  bea = await t.signIn('bea@test.dev');
  const admin = await t.signIn('admin@test.dev');
  expect((await t.call('POST', '/api/v1/email/support-addresses', admin, { address: SUPPORT, group_id: t.fixtures.groups.support, default_type: 'information_request', language: 'en' })).status).toBe(201);
  sink = await startSmtpSink();
  sendMail = createMailer(sink.url, 'Replyby Support <help@replyby.test>', t.ctx.log);
  listener = await startSmtpListener(t.ctx, { port: 0, host: '127.0.0.1', maxBytes: 10 * 1024 * 1024, onReceived: (o) => outcomes.push(o), mailAuth: null });
  client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  client?.close();
  await listener?.close();
  await sink?.close();
  await t?.close();
});

const send = async (mail: nodemailer.SendMailOptions): Promise<InboundOutcome> => {
  const before = outcomes.length;
  await client.sendMail({ to: SUPPORT, ...mail });
  expect(outcomes.length).toBe(before + 1);
  return outcomes[outcomes.length - 1] as InboundOutcome;
};
const deliver = async () => {
  const before = sink.mails.length;
  await runDueJobs(t.ctx, sendMail);
  return sink.mails.slice(before);
};

describe('side conversations', () => {
  let number = 0;
  let sideId = '';
  let token = '';
  let firstId = '';

  it('an agent writes to an outside address: the mail has its own subject token, Message-ID and plus Reply-To; the customer gets nothing', async () => {
    const opened = await send({ from: 'Ben <ben@globex.example>', subject: 'Refund for order 77', text: 'Please refund order 77.', messageId: '<c1@customer.example>' });
    expect(opened.status).toBe('ticket_created');
    number = opened.ticketNumber ?? 0;
    await deliver(); // the acknowledgement
    const started = await t.call('POST', `/api/v1/tickets/${number}/side-conversations`, alex, { email: 'Ops@Vendor.example', subject: 'Is order 77 shipped?', body: 'Hi, was order 77 shipped?' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ kind: 'email', external_address: 'ops@vendor.example', state: 'waiting', message_count: 1 });
    sideId = started.body.id;
    token = started.body.token;
    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([['ops@vendor.example']]);
    const out = mails[0];
    expect(out?.parsed.subject).toBe(`[SC-${token}] Is order 77 shipped?`);
    expect(out?.parsed.subject).not.toContain(`#${number}`);
    expect(out?.header('reply-to')).toContain(`help+sc-${token}@replyby.test`);
    expect(out?.parsed.text).toContain('was order 77 shipped?');
    firstId = out?.parsed.messageId ?? '';
    expect(firstId).toMatch(/^<sc\.[0-9a-f-]+@/);
  });

  it('the reply lands in the side thread (by References), never on the customer timeline, and the clock counts the wait', async () => {
    t.clock.advanceMinutes(45);
    const before = (await t.call('GET', `/api/v1/tickets/${number}/messages`, alex)).body.data.length;
    const reply = await send({
      from: 'Ops <ops@vendor.example>', to: `help+sc-${token}@replyby.test`, subject: `Re: [SC-${token}] Is order 77 shipped?`,
      text: 'Yes, shipped yesterday.\n\nOn Tue, Alex wrote:\n> Hi, was order 77 shipped?', inReplyTo: firstId, references: [firstId], messageId: '<v1@vendor.example>',
    });
    expect(reply).toMatchObject({ status: 'threaded', ticketNumber: number });
    const thread = (await t.call('GET', `/api/v1/tickets/${number}/side-conversations/${sideId}`, alex)).body;
    expect(thread).toMatchObject({ state: 'open', waited_minutes: 45, message_count: 2 });
    expect(thread.messages.map((m: { side: string; body_text: string }) => [m.side, m.body_text])).toEqual([
      ['ours', 'Hi, was order 77 shipped?'], ['theirs', 'Yes, shipped yesterday.'],
    ]);
    expect((await t.call('GET', `/api/v1/tickets/${number}/messages`, alex)).body.data.length).toBe(before);
    const tess = await t.signIn('ben@globex.example', undefined, true);
    const portal = await t.call('GET', `/api/v1/tickets/${number}/timeline`, tess);
    expect(JSON.stringify(portal.body)).not.toMatch(/shipped|side_conversation/);
    const staff = await t.call('GET', `/api/v1/tickets/${number}/timeline`, alex);
    expect(JSON.stringify(staff.body)).toContain('side_conversation');
    // Nothing goes to the customer; the starter is told (staff mail).
    const mails = await deliver();
    expect(mails.flatMap((m) => m.to)).not.toContain('ben@globex.example');
    // A second delivery of the same mail is a duplicate, not a second message.
    const again = await send({ from: 'ops@vendor.example', subject: `Re: [SC-${token}] Is order 77 shipped?`, text: 'Yes, shipped yesterday.', inReplyTo: firstId, messageId: '<v1@vendor.example>' });
    expect(again.status).toBe('duplicate');
  });

  it('our answer continues the thread; a reply found only by the subject token still threads; closing stops the clock', async () => {
    expect((await t.call('POST', `/api/v1/tickets/${number}/side-conversations/${sideId}/messages`, alex, { body: 'Tracking number please?' })).status).toBe(201);
    const [second] = await deliver();
    expect(second?.parsed.subject).toBe(`Re: [SC-${token}] Is order 77 shipped?`);
    expect(second?.header('in-reply-to')).toBe('<v1@vendor.example>');
    expect(String(second?.header('references'))).toContain(firstId);
    t.clock.advanceMinutes(30);
    const bySubject = await send({ from: 'colleague@vendor.example', subject: `AW: [SC-${token}] Is order 77 shipped?`, text: 'TRK-123' });
    expect(bySubject).toMatchObject({ status: 'threaded', ticketNumber: number });
    const closed = await t.call('PATCH', `/api/v1/tickets/${number}/side-conversations/${sideId}`, alex, { state: 'closed' });
    expect(closed.body).toMatchObject({ state: 'closed', waited_minutes: 75, message_count: 4 });
    t.clock.advanceMinutes(600);
    expect((await t.call('GET', `/api/v1/tickets/${number}/side-conversations`, alex)).body.data[0]).toMatchObject({ id: sideId, waited_minutes: 75 });
  });

  it('an internal side conversation to a group: its members are told in the app and by mail, and answer it', async () => {
    const started = await t.call('POST', `/api/v1/tickets/${number}/side-conversations`, alex, { group_id: t.fixtures.groups.billing, subject: 'Refund approval', body: 'Can Billing approve the refund?' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ kind: 'group', group: { id: t.fixtures.groups.billing, name: 'Billing' }, state: 'waiting' });
    const inbox = (await t.call('GET', '/api/v1/notifications', bea)).body;
    expect(JSON.stringify(inbox)).toContain('Refund approval');
    const mails = await deliver();
    expect(mails.flatMap((m) => m.to)).toContain('bea@test.dev');
    expect(mails.flatMap((m) => m.to)).not.toContain('ben@globex.example');
    // Bea (Billing) cannot see the Support ticket, but may read and answer the conversation sent to her group.
    expect((await t.call('GET', `/api/v1/tickets/${number}/side-conversations`, bea)).status).toBe(404);
    t.clock.advanceMinutes(20);
    const answered = await t.call('POST', `/api/v1/tickets/${number}/side-conversations/${started.body.id}/messages`, bea, { body: 'Approved.' });
    expect(answered.body).toMatchObject({ state: 'open', waited_minutes: 20 });
    expect(JSON.stringify((await t.call('GET', '/api/v1/notifications', alex)).body)).toContain('Approved.');
  });

  it('refuses bad input with the field named, customers, and strangers', async () => {
    const neither = await t.call('POST', `/api/v1/tickets/${number}/side-conversations`, alex, { subject: 'x', body: 'y' });
    expect(neither.status).toBe(400);
    expect(JSON.stringify(neither.body)).toContain('group_id');
    const badMail = await t.call('POST', `/api/v1/tickets/${number}/side-conversations`, alex, { email: 'not-an-address', subject: 'x', body: 'y' });
    expect(badMail.status).toBe(400);
    expect(JSON.stringify(badMail.body)).toContain('email');
    const own = await t.call('POST', `/api/v1/tickets/${number}/side-conversations`, alex, { email: SUPPORT, subject: 'x', body: 'y' });
    expect(own.status).toBe(400);
    const tess = await t.signIn('ben@globex.example', undefined, true);
    expect((await t.call('GET', `/api/v1/tickets/${number}/side-conversations`, tess)).status).toBe(403);
    expect((await t.call('GET', `/api/v1/tickets/${number}/side-conversations/${sideId}`, bea)).status).toBe(404);
  });
});

describe('ownership clock (group:<key>)', () => {
  it('counts the business time a ticket is held by Billing, across two assignments', async () => {
    const billing = t.fixtures.groups.billing;
    const cal = await t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Sofia', spec: SOFIA });
    // The group by name on one side and by id on the other: both are stored as its id.
    const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: 'Ownership', calendar_id: cal.body.id,
      metrics: [{ name: 'held_by_billing', target_minutes: 240, pause_statuses: [], start_on: ['group:Billing'], stop_on: [`group:${billing}`] }],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect(policy.body.metrics[0]).toMatchObject({ start_on: [`group:${billing}`], stop_on: [`group:${billing}`] });
    const bad = await t.call('POST', '/api/v1/sla/policies', sup, { name: 'Bad', metrics: [{ name: 'x_held', target_minutes: 5, start_on: ['group:Legal'], stop_on: ['agent_message'] }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('metrics.0.start_on.0');
    const unknownOnUpdate = await t.call('PATCH', `/api/v1/sla/policies/${policy.body.id}`, sup, { metrics: [{ name: 'held_by_billing', target_minutes: 240, pause_statuses: [], start_on: ['group:nowhere'], stop_on: [`group:${billing}`] }] });
    expect(unknownOnUpdate.status).toBe(400);
    t.clock.set('2025-11-26T07:00:00Z'); // Wed 09:00 Sofia
    const c = await t.call('POST', '/api/v1/tickets', alex, { subject: 'Owned', message: 'x', requester: { email: 'own@example.org' } });
    const n = c.body.number;
    t.clock.set('2025-11-26T08:00:00Z'); // 10:00 → Billing
    await t.call('PATCH', `/api/v1/tickets/${n}`, sup, { group_id: billing });
    t.clock.set('2025-11-26T10:00:00Z'); // 12:00 → Support (2 h)
    await t.call('PATCH', `/api/v1/tickets/${n}`, sup, { group_id: t.fixtures.groups.support });
    t.clock.set('2025-11-26T14:00:00Z'); // 16:00 → Billing; 17:00 closes; Thu 09:00–09:30 (1 h 30 in all)
    await t.call('PATCH', `/api/v1/tickets/${n}`, sup, { group_id: billing });
    t.clock.set('2025-11-27T07:30:00Z');
    const m = (await t.call('GET', `/api/v1/tickets/${n}`, sup)).body.sla.metrics.held_by_billing;
    expect(m).toMatchObject({ status: 'running', elapsed_business_minutes: 210 });
  });
});
