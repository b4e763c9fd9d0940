import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundOutcome } from '../src/app/email/receive-mail.ts';
import { startSmtpListener, type SmtpListener } from '../src/channels/smtp-listener.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs, type SendMail } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// E-mail in and out over real SMTP on loopback: nodemailer → our listener → ticket → outbox → nodemailer → sink.

let t: TestApp;
let listener: SmtpListener;
let sink: SmtpSink;
let sendMail: SendMail;
let client: nodemailer.Transporter;
let sup: string;
let agent: string;
const outcomes: InboundOutcome[] = [];
const SUPPORT = 'help@replyby.test';

const SOFIA = { timezone: 'Europe/Sofia', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } };

beforeAll(async () => {
  t = await startTestApp();
  // Tue 25 Nov 2025, 10:30 in Sofia: inside business hours.
  t.clock.set('2025-11-25T08:30:00Z');
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
  const cal = await t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Sofia', spec: SOFIA });
  expect(cal.status).toBe(201);
  const policy = await t.call('POST', '/api/v1/sla/policies', sup, { name: 'Business hours', calendar_id: cal.body.id, metrics: [{ name: 'first_response', target_minutes: 240 }] });
  expect(policy.status).toBe(201);
  const admin = await t.signIn('admin@test.dev');
  const address = await t.call('POST', '/api/v1/email/support-addresses', admin, { address: SUPPORT, group_id: t.fixtures.groups.billing, default_type: 'information_request', language: 'en' });
  expect(address.status).toBe(201);
  sink = await startSmtpSink();
  sendMail = createMailer(sink.url, 'Replyby Support <help@replyby.test>', t.ctx.log);
  listener = await startSmtpListener(t.ctx, { port: 0, host: '127.0.0.1', maxBytes: 30 * 1024 * 1024, onReceived: (o) => outcomes.push(o), mailAuth: null });
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
  expect(outcomes.length).toBe(before + 1); // the 250 came after the mail was applied
  return outcomes[outcomes.length - 1] as InboundOutcome;
};
const deliver = async () => {
  const before = sink.mails.length;
  await runDueJobs(t.ctx, sendMail);
  return sink.mails.slice(before);
};
const messagesOf = async (number: number) => (await t.call('GET', `/api/v1/tickets/${number}/messages`, sup)).body.data as { body_text: string; body_html: string; body_quoted: string | null; author: { kind: string }; delivery: { status: string } | null }[];

describe('e-mail over SMTP', () => {
  let first: InboundOutcome;
  let ackMessageId = '';

  it('a mail to a support address opens a ticket in its group and type, and the acknowledgement carries number, summary and promise', async () => {
    const contact = await t.call('POST', '/api/v1/contacts', agent, { email: 'tess@customer.example', name: 'Tess Person', language: 'en', time_zone: 'Europe/Sofia' });
    expect(contact.status).toBe(201);
    first = await send({ from: 'Tess Person <tess@customer.example>', subject: 'Invoice total looks wrong', text: 'The November invoice shows 120 EUR, the contract says 100.', messageId: '<first.1@customer.example>' });
    expect(first.status).toBe('ticket_created');
    expect(first.acknowledged).toBe(true);
    const ticket = (await t.call('GET', `/api/v1/tickets/${first.ticketNumber}`, sup)).body;
    expect(ticket).toMatchObject({ channel: 'email', subject: 'Invoice total looks wrong', type: 'information_request' });
    expect(ticket.group?.id ?? ticket.group_id).toBe(t.fixtures.groups.billing);
    const [ack, ...rest] = await deliver();
    expect(rest).toHaveLength(0);
    expect(ack?.to).toEqual(['tess@customer.example']);
    expect(ack?.parsed.subject).toBe(`[#${first.ticketNumber}] Invoice total looks wrong`);
    expect(ack?.header('auto-submitted')).toBe('auto-replied');
    expect(ack?.header('in-reply-to')).toBe('<first.1@customer.example>');
    const text = ack?.parsed.text ?? '';
    // Review 2026-12-01 item 19: a capital "We" after the greeting.
    expect(text).toContain('Hello Tess Person,\n\nWe received your request #');
    expect(text).toContain('"The November invoice shows 120 EUR, the contract says 100."');
    expect(text).toContain('We will reply by Tue 25 Nov, 14:30 (Europe/Sofia) — within 4 business hours.');
    expect(text).not.toMatch(/Api|\{\{/);
    ackMessageId = ack?.parsed.messageId ?? '';
    expect(ackMessageId).toMatch(/^<ack\.[0-9a-f-]+@replyby\.test>$/);
  });

  it('a reply to the acknowledgement threads into the ticket by In-Reply-To, without a second acknowledgement', async () => {
    const reply = await send({ from: 'tess@customer.example', subject: 'Re: something else entirely', text: 'Attached the contract.\n\nOn Tue, 25 Nov 2025 Replyby wrote:\n> We received your request', inReplyTo: ackMessageId, references: [ackMessageId] });
    expect(reply).toMatchObject({ status: 'threaded', ticketId: first.ticketId, acknowledged: false });
    const messages = await messagesOf(first.ticketNumber ?? 0);
    expect(messages).toHaveLength(2);
    expect(messages[1]?.body_text).toBe('Attached the contract.');
    expect(messages[1]?.body_html).toContain('<details class="quoted">');
    expect(await deliver()).toHaveLength(0);
  });

  it('a reply with only the subject token threads too; the same token from a stranger opens a new ticket', async () => {
    const own = await send({ from: 'tess@customer.example', subject: `Fwd: [#${first.ticketNumber}] Invoice`, text: 'One more detail.' });
    expect(own).toMatchObject({ status: 'threaded', ticketId: first.ticketId });
    const stranger = await send({ from: 'mallory@elsewhere.example', subject: `[#${first.ticketNumber}] Invoice`, text: 'Let me in.' });
    expect(stranger.status).toBe('ticket_created');
    expect(stranger.ticketId).not.toBe(first.ticketId);
    await deliver();
  });

  it("an agent's reply leaves with Message-ID, In-Reply-To and References, and its delivery shows on the ticket", async () => {
    const res = await t.call('POST', `/api/v1/tickets/${first.ticketNumber}/messages`, sup, { body: 'Corrected, sorry.' });
    expect(res.status).toBe(201);
    expect((await messagesOf(first.ticketNumber ?? 0)).at(-1)?.delivery?.status).toBe('queued');
    const [reply] = await deliver();
    expect(reply?.parsed.subject).toBe(`Re: [#${first.ticketNumber}] Invoice total looks wrong`);
    expect(reply?.parsed.messageId).toMatch(/^<msg\.[0-9a-f-]+@replyby\.test>$/);
    expect(reply?.header('in-reply-to')).toMatch(/^<.+@.+>$/);
    const refs = reply?.header('references') ?? '';
    expect(refs).toContain('<first.1@customer.example>');
    expect(refs).toContain(ackMessageId);
    expect((await messagesOf(first.ticketNumber ?? 0)).at(-1)?.delivery?.status).toBe('sent');
    // The customer answering the agent's mail threads by its Message-ID.
    const answer = await send({ from: 'tess@customer.example', subject: 'Re: x', text: 'Thanks!', inReplyTo: reply?.parsed.messageId ?? '' });
    expect(answer).toMatchObject({ status: 'threaded', ticketId: first.ticketId });
  });

  it('the same Message-ID delivered again is recorded as a duplicate, not a second ticket', async () => {
    const again = await send({ from: 'Tess Person <tess@customer.example>', subject: 'Invoice total looks wrong', text: 'The November invoice shows 120 EUR.', messageId: '<first.1@customer.example>' });
    expect(again).toMatchObject({ status: 'duplicate', ticketId: first.ticketId });
    const [row] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_mail WHERE message_id = '<first.1@customer.example>'");
    expect(row?.n).toBe(2); // both kept
  });

  it('a new Russian-writing sender gets the acknowledgement in Russian, in the zone of their Date header', async () => {
    const outcome = await send({
      from: 'Олег Петров <oleg.p@mail.example>', subject: 'Не приходит счёт',
      text: 'Здравствуйте! Уже вторую неделю не могу получить счёт за ноябрь, помогите пожалуйста разобраться.',
      date: 'Tue, 25 Nov 2025 11:29:00 +0300',
    });
    expect(outcome.status).toBe('ticket_created');
    const contact = (await t.call('GET', '/api/v1/contacts?q=oleg.p', agent)).body.data.find((c: { email: string }) => c.email === 'oleg.p@mail.example');
    expect(contact).toMatchObject({ language: 'ru', time_zone: 'Etc/GMT-3', name: 'Олег Петров' });
    const [ack] = await deliver();
    const text = ack?.parsed.text ?? '';
    expect(text).toContain('Здравствуйте, Олег Петров!');
    expect(text).toContain('Мы ответим до вт 25 нояб., 15:30 (UTC+3) — в течение 4 рабочих часов.');
    expect(ack?.header('content-language')).toBe('ru');
  });

  it('review item 1: a web-form request from a ru-RU / Europe/Moscow browser is acknowledged in Russian and Moscow time', async () => {
    const req = await t.call('POST', '/api/v1/public/requests', null, { name: 'Ирина', email: 'irina@example.ru', subject: 'Vopros', message: 'Hello there', language: 'ru-RU', time_zone: 'Europe/Moscow' });
    expect(req.status).toBe(201);
    const [ack] = await deliver();
    expect(ack?.parsed.text).toContain('Мы ответим до вт 25 нояб., 15:30 (Europe/Moscow)');
  });

  it('outside business hours the acknowledgement says when the team is back', async () => {
    t.clock.set('2025-11-29T10:00:00Z'); // Saturday
    await t.call('PATCH', `/api/v1/contacts/${(await t.call('GET', '/api/v1/contacts?q=tess', agent)).body.data[0].id}`, agent, { time_zone: 'Europe/Sofia' });
    const outcome = await send({ from: 'tess@customer.example', subject: 'Weekend question', text: 'Are you open on Saturdays at all?' });
    expect(outcome.status).toBe('ticket_created');
    const [ack] = await deliver();
    expect(ack?.parsed.text).toContain('Our team is away right now and back on Mon 1 Dec, 09:00 (Europe/Sofia).');
    expect(ack?.parsed.text).toContain('We will reply by Mon 1 Dec, 13:00 (Europe/Sofia) — within 4 business hours.');
  });

  it('auto-replies and bulk mail are never acknowledged; acknowledgements per sender are rate-limited', async () => {
    const ooo = await send({ from: 'away@customer.example', subject: 'Out of office', text: 'I am away until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(ooo).toMatchObject({ status: 'ticket_created', acknowledged: false });
    const bulk = await send({ from: 'news@customer.example', subject: 'Newsletter', text: 'Our news this week.', headers: { Precedence: 'bulk' } });
    expect(bulk.acknowledged).toBe(false);
    const flood: boolean[] = [];
    for (let i = 0; i < 7; i += 1) flood.push((await send({ from: 'flood@customer.example', subject: `Flood ${i}`, text: 'again and again' })).acknowledged);
    expect(flood).toEqual([true, true, true, true, true, false, false]);
    expect((await deliver()).filter((m) => m.to.includes('flood@customer.example'))).toHaveLength(5);
  });

  it('admins edit a template per language; unknown placeholders are refused naming the field; the next acknowledgement uses it', async () => {
    const admin = await t.signIn('admin@test.dev');
    const body = 'Привет, {{requester.name}}! Номер {{ticket.ref}}. Ответим до {{promise.local}}.';
    expect((await t.call('PUT', '/api/v1/email/templates/acknowledgement/ru', agent, { subject: 'x', body })).status).toBe(403);
    const bad = await t.call('PUT', '/api/v1/email/templates/acknowledgement/ru', admin, { subject: '[{{ticket.ref}}]', body: 'Цена {{ticket.price}}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('body');
    expect((await t.call('PUT', '/api/v1/email/templates/acknowledgement/xx', admin, { subject: 'x', body: 'y' })).body.error.path).toBe('language');
    const put = await t.call('PUT', '/api/v1/email/templates/acknowledgement/ru', admin, { subject: 'Обращение {{ticket.ref}}', body });
    expect(put.status).toBe(200);
    expect((await t.call('GET', '/api/v1/email/templates/acknowledgement/ru', admin)).body).toMatchObject({ customized: true, body });
    t.clock.set('2025-11-25T08:30:00Z');
    await send({ from: 'Олег Петров <oleg.p@mail.example>', subject: 'Ещё вопрос', text: 'Ещё один вопрос по счёту.' });
    const [ack] = await deliver();
    expect(ack?.parsed.subject).toMatch(/^Обращение #\d+$/);
    expect(ack?.parsed.text?.trim()).toMatch(/^Привет, Олег Петров! Номер #\d+\. Ответим до вт 25 нояб\., 15:30 \(UTC\+3\)\.$/);
    expect((await t.call('DELETE', '/api/v1/email/templates/acknowledgement/ru', admin)).body.customized).toBe(false);
  });

  it('issue 9: triggers match the support address a mail was sent to, at creation and on the customer\'s reply', async () => {
    const admin = await t.signIn('admin@test.dev');
    expect((await t.call('POST', '/api/v1/email/support-addresses', admin, { address: 'vip@replyby.test' })).status).toBe(201);
    const created = await t.call('POST', '/api/v1/triggers', admin, {
      name: 'VIP line', conditions: [{ field: 'support_address', op: 'is', value: ['VIP@replyby.test'] }], actions: { add_tags: ['vip-line'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const replied = await t.call('POST', '/api/v1/triggers', admin, {
      name: 'VIP replies are urgent', events: ['customer_replied'], conditions: [{ field: 'support_address', op: 'is', value: ['vip@replyby.test'] }], actions: { priority: 'urgent' },
    });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
    const vip = await send({ from: 'vera@customer.example', to: 'vip@replyby.test', subject: 'Contract renewal', text: 'We would like to renew the contract for next year.' });
    const plain = await send({ from: 'vera@customer.example', subject: 'Another question', text: 'A different question for the normal line.' });
    const ticketOf = async (o: InboundOutcome) => (await t.call('GET', `/api/v1/tickets/${o.ticketNumber}`, sup)).body as { tags: string[]; priority: string };
    expect((await ticketOf(vip)).tags).toContain('vip-line');
    expect((await ticketOf(plain)).tags).not.toContain('vip-line');
    // The customer's reply (threaded by the subject token) runs the customer_replied trigger with the same address.
    const reply = await send({ from: 'vera@customer.example', to: 'vip@replyby.test', subject: `Re: [#${vip.ticketNumber}] Contract renewal`, text: 'Any news?' });
    expect(reply).toMatchObject({ status: 'threaded', ticketId: vip.ticketId });
    expect((await ticketOf(vip)).priority).toBe('urgent');
    const other = await send({ from: 'vera@customer.example', subject: `Re: [#${plain.ticketNumber}] Another question`, text: 'And here?' });
    expect(other.status).toBe('threaded');
    expect((await ticketOf(plain)).priority).not.toBe('urgent');
    await deliver();
  });

  it('an HTML reply from Gmail shows its new part, with the quoted history folded underneath', async () => {
    const ask = await send({ from: 'gina@customer.example', subject: 'Printer setup', text: 'The printer shows error 42.' });
    const reply = await send({
      from: 'gina@customer.example', subject: `Re: [#${ask.ticketNumber}] Printer setup`,
      html: '<div dir="ltr">Still <b>error 42</b> after the restart.</div><br><div class="gmail_quote"><div class="gmail_attr">On Tue, 25 Nov 2025 at 10:00, Support wrote:<br></div><blockquote class="gmail_quote">Please restart the printer.</blockquote></div>',
    });
    expect(reply.status).toBe('threaded');
    const last = (await messagesOf(ask.ticketNumber ?? 0)).at(-1);
    expect(last?.body_text).toBe('Still error 42 after the restart.');
    expect(last?.body_quoted).toContain('Please restart the printer.');
    expect(last?.body_html).toMatch(/^<div>Still <b>error 42<\/b> after the restart.<\/div><br \/><details class="quoted"><summary>…<\/summary>.*Please restart the printer\..*<\/details>$/s);
    await deliver();
  });
});
