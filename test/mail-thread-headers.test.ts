import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs, type SendMail } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SinkMail, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 10: replies on web-form and portal tickets carried no In-Reply-To/References
// although the acknowledgement had a Message-ID, so the customer's mail client could not thread them.
// Every customer mail about a ticket (acknowledgement, agent reply, notices, promise changes) goes out over
// a real SMTP exchange here and must thread under the ticket's earlier mails.

let t: TestApp;
let sink: SmtpSink;
let sendMail: SendMail;
let agent: string;

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtpSink();
  sendMail = createMailer(sink.url, 'Support <help@replyby.test>', t.ctx.log);
  agent = await t.signIn('alex@test.dev');
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});

/** The mails sent by the outbox now, to one address. */
async function deliver(to: string): Promise<SinkMail[]> {
  const before = sink.mails.length;
  await runDueJobs(t.ctx, sendMail);
  return sink.mails.slice(before).filter((m) => m.to.includes(to));
}
const ids = (value: string): string[] => value.match(/<[^<>\s]+>/g) ?? [];

/** Every mail threads under the ones before it: In-Reply-To is one of them, References names them all (the first included). */
function expectThreaded(mail: SinkMail, earlier: readonly string[], parent: string): void {
  const own = mail.header('Message-ID');
  expect(own).toMatch(/^<[^<>\s]+@replyby\.test>$/);
  expect(mail.header('In-Reply-To')).toBe(parent);
  const refs = ids(mail.header('References'));
  for (const id of earlier) expect(refs, `${mail.parsed.subject} references ${id}`).toContain(id);
  expect(refs).not.toContain(own);
}

describe('outgoing customer mail threads under the ticket', () => {
  it('a web-form ticket: the acknowledgement, then the agent reply In-Reply-To the acknowledgement, then every notice under both', async () => {
    const req = await t.call('POST', '/api/v1/public/requests', null, { name: 'Wanda Web', email: 'wanda@example.org', subject: 'Login fails', message: 'I cannot sign in.' });
    expect(req.status).toBe(201);
    const number = req.body.number as number;
    const [ack] = await deliver('wanda@example.org');
    expect(ack?.header('Message-ID')).toMatch(/^<ack\./);
    const ackId = ack?.header('Message-ID') ?? '';

    expect((await t.call('POST', `/api/v1/tickets/${number}/messages`, agent, { body: 'Please try resetting your password.' })).status).toBe(201);
    const [reply] = await deliver('wanda@example.org');
    expect(reply?.parsed.text).toContain('resetting your password');
    if (!reply) throw new Error('no reply mail');
    // The review's case, to the letter.
    expect(reply.header('In-Reply-To')).toBe(ackId);
    expect(ids(reply.header('References'))).toContain(ackId);
    expectThreaded(reply, [ackId], ackId);
    const replyId = reply.header('Message-ID');

    const moved = await t.call('POST', `/api/v1/tickets/${number}/promise`, agent, { promised_at: '2025-03-12T12:00:00Z', reason: 'vendor' });
    expect(moved.status).toBe(200);
    const [promise] = await deliver('wanda@example.org');
    expect(promise).toBeDefined();
    if (promise) expectThreaded(promise, [ackId, replyId], replyId);

    expect((await t.call('PATCH', `/api/v1/tickets/${number}`, agent, { status: 'solved' })).status).toBe(200);
    const [closure] = await deliver('wanda@example.org');
    expect(closure).toBeDefined();
    if (closure) expectThreaded(closure, [ackId, replyId, promise?.header('Message-ID') ?? ''], closure.header('In-Reply-To'));
    // Four mails, four distinct Message-IDs: each its own, none reusing another's.
    const all = [ack, reply, promise, closure].map((m) => m?.header('Message-ID'));
    expect(new Set(all).size).toBe(4);
  });

  it('a portal ticket: the work-started notice and the agent reply thread under the acknowledgement too', async () => {
    const anna = await t.signIn('anna@acme.example', undefined, true);
    const created = await t.call('POST', '/api/v1/tickets', anna, { subject: 'Portal question', message: 'Where is my invoice?' });
    expect(created.status).toBe(201);
    const [ack] = await deliver('anna@acme.example');
    const ackId = ack?.header('Message-ID') ?? '';
    expect(ackId).toMatch(/^<ack\./);
    // The assignee starting work tells the customer (one of the promise's notices; an assignment alone does not).
    expect((await t.call('PATCH', `/api/v1/tickets/${created.body.number}`, agent, { assignee_id: t.fixtures.users.agentSupport })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/tickets/${created.body.number}/start-work`, agent)).status).toBeLessThan(300);
    const [started] = await deliver('anna@acme.example');
    if (!started) throw new Error('no work-started notice');
    expectThreaded(started, [ackId], ackId);
    expect((await t.call('POST', `/api/v1/tickets/${created.body.number}/messages`, agent, { body: 'It is attached to your account page.' })).status).toBe(201);
    const mails = await deliver('anna@acme.example');
    const reply = mails.find((m) => m.parsed.text?.includes('account page'));
    if (!reply) throw new Error('no reply mail');
    // The customer never mailed us: the reply answers our latest mail and names the whole thread.
    expectThreaded(reply, [ackId, started.header('Message-ID')], started.header('Message-ID'));
  });

  it('an e-mail ticket: the reply answers the customer\'s mail and references the acknowledgement', async () => {
    const raw = Buffer.from('From: Mia Mail <mia@example.org>\r\nTo: help@replyby.test\r\nSubject: Broken link\r\nMessage-ID: <first.1@mia.example>\r\n\r\nThe link on your page is broken.\r\n');
    const inbound = await receiveMail(t.ctx, { raw, source: 'test', envelopeTo: ['help@replyby.test'] });
    expect(inbound.status).toBe('ticket_created');
    const [ack] = await deliver('mia@example.org');
    if (!ack) throw new Error('no acknowledgement');
    expectThreaded(ack, ['<first.1@mia.example>'], '<first.1@mia.example>');
    expect((await t.call('POST', `/api/v1/tickets/${inbound.ticketNumber}/messages`, agent, { body: 'Fixed, thank you.' })).status).toBe(201);
    const mails = await deliver('mia@example.org');
    const reply = mails.find((m) => m.parsed.text?.includes('Fixed, thank you.'));
    if (!reply) throw new Error('no reply mail');
    expectThreaded(reply, ['<first.1@mia.example>', ack.header('Message-ID')], '<first.1@mia.example>');
  });

  it('a retried send carries the same Message-ID and the same thread headers, never naming itself', async () => {
    const req = await t.call('POST', '/api/v1/public/requests', null, { name: 'Rex Retry', email: 'rex@example.org', subject: 'Retry', message: 'Once more.' });
    await deliver('rex@example.org');
    await t.call('POST', `/api/v1/tickets/${req.body.number}/messages`, agent, { body: 'First answer.' });
    const [job] = await t.ctx.db.query<{ id: string; kind: string; payload: Record<string, unknown> }>(
      "SELECT id::text AS id, kind, payload FROM outbox WHERE kind = 'mail.agent_reply' ORDER BY id DESC LIMIT 1");
    if (!job) throw new Error('no reply job');
    const first = await renderMail(t.ctx, job);
    // A later mail on the ticket exists by the time of the retry: the retry's headers do not change.
    await t.call('POST', `/api/v1/tickets/${req.body.number}/messages`, agent, { body: 'Second answer.' });
    await deliver('rex@example.org');
    const again = await renderMail(t.ctx, job);
    expect(again).toMatchObject({ messageId: first?.messageId, inReplyTo: first?.inReplyTo, references: first?.references });
    expect(first?.references).not.toContain(first?.messageId);
  });
});
