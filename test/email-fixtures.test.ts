import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail, type InboundOutcome } from '../src/app/email/receive-mail.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Every .eml under test/fixtures/email/ with its expected outcome: intake never crashes, and every mail,
// applied or not, stays in inbound_mail byte for byte.

const DIR = path.resolve(import.meta.dirname, 'fixtures/email');
let t: TestApp;
let sink: SmtpSink;
let admin: string;
// Small, so the over-limit case stays fast on the in-memory database.
const LIMIT = 256 * 1024;
const TOTAL_LIMIT = 300 * 1024;

type Expected = {
  status: InboundOutcome['status'];
  acknowledged?: boolean;
  subject?: string;
  bodyContains?: string;
  bodyLacks?: string[];
  htmlLacks?: string[];
  /** The quoted history: kept as text in body_quoted and folded in a <details> of the HTML. */
  quotedContains?: string;
  language?: string;
  timeZone?: string;
  name?: string;
  attachments?: { filename: string; content: string }[];
};

const TABLE: Record<string, Expected> = {
  'cyrillic-koi8r.eml': { status: 'ticket_created', acknowledged: true, subject: 'Не могу войти', bodyContains: 'Не могу войти в личный кабинет', language: 'ru', timeZone: 'Etc/GMT-3', name: 'Иван Сидоров' },
  'cyrillic-windows1251.eml': { status: 'ticket_created', acknowledged: true, subject: 'Двойной платёж', bodyContains: 'Счёт за октябрь пришёл дважды', language: 'ru' },
  'bulgarian-windows1251.eml': { status: 'ticket_created', acknowledged: true, subject: 'Проблем с фактурата', bodyContains: 'Сумата не съвпада с договора', language: 'bg', timeZone: 'Etc/GMT-2', name: 'Мария Иванова' },
  'chinese-gb2312.eml': { status: 'ticket_created', acknowledged: true, subject: '无法登录', bodyContains: '我的账户无法登录', language: 'zh', timeZone: 'Etc/GMT-8', name: '王伟' },
  'chinese-utf8-subject.eml': { status: 'ticket_created', subject: '订单没有发货', bodyContains: '请帮我查一下物流状态', language: 'zh' },
  'html-only.eml': { status: 'ticket_created', subject: 'HTML only', bodyContains: 'My printer is on fire.', htmlLacks: ['<script', 'onerror', 'javascript:'] },
  'multipart-alternative.eml': { status: 'ticket_created', bodyContains: 'The plain part says hello.' },
  'attachment.eml': { status: 'ticket_created', bodyContains: 'See the attached log.', attachments: [{ filename: 'error log.txt', content: 'ERROR 42 at line 7\n' }] },
  'quoted-reply.eml': { status: 'ticket_created', bodyContains: 'Can you also check the second invoice?', bodyLacks: ['earlier text'], quotedContains: 'earlier text' },
  'gmail-html-reply.eml': { status: 'ticket_created', bodyContains: 'The printer still shows error 42 after the restart.', bodyLacks: ['Please restart', 'wrote:'], quotedContains: 'Please restart the printer' },
  'outlook-html-reply.eml': { status: 'ticket_created', bodyContains: 'Прилагаю счёт ещё раз', bodyLacks: ['Отправлено', 'Пришлите'], quotedContains: 'Пришлите, пожалуйста, счёт.' },
  'apple-html-reply.eml': { status: 'ticket_created', bodyContains: 'The parcel arrived, thank you!', bodyLacks: ['warehouse'], quotedContains: 'Your parcel left the warehouse today.' },
  'auto-reply.eml': { status: 'ticket_created', acknowledged: false },
  'precedence-list.eml': { status: 'ticket_created', acknowledged: false },
  'loop-from-support.eml': { status: 'ignored' },
  'malformed-headers.eml': { status: 'failed' },
  'not-an-email.eml': { status: 'failed' },
};

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2025-11-25T08:30:00Z');
  t.ctx.settings.email = { attachmentMaxBytes: LIMIT, attachmentsTotalMaxBytes: TOTAL_LIMIT };
  admin = await t.signIn('admin@test.dev');
  const res = await t.call('POST', '/api/v1/email/support-addresses', admin, { address: 'help@replyby.test' });
  expect(res.status).toBe(201);
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});

describe('e-mail fixtures', () => {
  it('the table covers every fixture file', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml') && f !== 'mailer-daemon-bounce.eml').sort();
    expect(files).toEqual(Object.keys(TABLE).sort());
  });

  it.each(Object.entries(TABLE))('%s', async (file, expected) => {
    const raw = readFileSync(path.join(DIR, file));
    const outcome = await receiveMail(t.ctx, { raw, source: 'test', envelopeTo: ['help@replyby.test'] });
    expect(outcome.status).toBe(expected.status);
    const [kept] = await t.ctx.db.query<{ raw: Uint8Array; status: string; note: string | null }>('SELECT raw, status, note FROM inbound_mail WHERE id = $1', [outcome.id]);
    expect(Buffer.from(kept?.raw ?? new Uint8Array()).equals(raw)).toBe(true);
    expect(kept?.status).toBe(expected.status);
    if (expected.status === 'failed') expect(kept?.note).toBeTruthy();
    if (expected.acknowledged !== undefined) expect(outcome.acknowledged).toBe(expected.acknowledged);
    if (expected.status !== 'ticket_created') return;
    const ticket = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}`, admin)).body;
    if (expected.subject) expect(ticket.subject).toBe(expected.subject);
    const messages = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}/messages`, admin)).body.data as { id: string; body_text: string; body_html: string; body_quoted: string | null }[];
    const body = messages[0];
    if (expected.bodyContains) expect(body?.body_text).toContain(expected.bodyContains);
    for (const s of expected.bodyLacks ?? []) expect(body?.body_text).not.toContain(s);
    for (const s of expected.htmlLacks ?? []) expect(body?.body_html).not.toContain(s);
    if (expected.quotedContains) {
      expect(body?.body_quoted).toContain(expected.quotedContains);
      const [shown, folded] = (body?.body_html ?? '').split('<details class="quoted">');
      expect(shown).not.toContain(expected.quotedContains);
      expect(folded).toContain(expected.quotedContains);
    } else {
      expect(body?.body_quoted ?? null).toBeNull();
    }
    const [contact] = await t.ctx.db.query<{ language: string; time_zone: string; name: string }>('SELECT c.language, c.time_zone, c.name FROM contacts c JOIN tickets t ON t.requester_id = c.id WHERE t.id = $1', [outcome.ticketId]);
    if (expected.language) expect(contact?.language).toBe(expected.language);
    if (expected.timeZone) expect(contact?.time_zone).toBe(expected.timeZone);
    if (expected.name) expect(contact?.name).toBe(expected.name);
    if (expected.attachments) {
      const list = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}/attachments`, admin)).body.data as { id: string; filename: string; message_id: string }[];
      expect(list.map((a) => a.filename)).toEqual(expected.attachments.map((a) => a.filename));
      const dl = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${outcome.ticketNumber}/attachments/${list[0]?.id}`, headers: { authorization: `Bearer ${admin}` } });
      expect(dl.statusCode).toBe(200);
      expect(dl.body).toBe(expected.attachments[0]?.content);
      // A customer who cannot see the ticket cannot fetch its attachment either.
      const stranger = await t.signIn('ben@globex.example', undefined, true);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${outcome.ticketNumber}/attachments/${list[0]?.id}`, headers: { authorization: `Bearer ${stranger}` } })).statusCode).toBe(404);
    }
  });

  it('a very large mail is kept whole; an attachment over the limit is listed but not stored', async () => {
    const big = Buffer.alloc(LIMIT + 1024, 'A').toString('base64').replace(/.{76}/g, '$&\r\n');
    const text = 'Long line of text. '.repeat(60_000);
    const raw = Buffer.from(`From: big@big.example\r\nTo: help@replyby.test\r\nSubject: Huge\r\nMessage-ID: <big.1@big.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--x\r\nContent-Type: application/octet-stream; name="dump.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--x--\r\n`);
    const outcome = await receiveMail(t.ctx, { raw, source: 'test' });
    expect(outcome.status).toBe('ticket_created');
    const [row] = await t.ctx.db.query<{ size_bytes: number }>('SELECT size_bytes FROM inbound_mail WHERE id = $1', [outcome.id]);
    expect(row?.size_bytes).toBe(raw.length);
    const list = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}/attachments`, admin)).body.data as { id: string; stored: boolean; size_bytes: number }[];
    expect(list).toMatchObject([{ stored: false, size_bytes: LIMIT + 1024 }]);
    const dl = await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}/attachments/${list[0]?.id}`, admin);
    expect(dl.status).toBe(413);
    expect(dl.body.error.path).toBe('id');
  });

  it('attachments within the per-mail total are stored in order; the one that would pass it is listed, not stored', async () => {
    const part = (name: string) => `--x\r\nContent-Type: application/octet-stream; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.alloc(120 * 1024, name).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
    const raw = Buffer.from(`From: many@files.example\r\nTo: help@replyby.test\r\nSubject: Three logs\r\nMessage-ID: <many.1@files.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nThree logs attached.\r\n${part('a.log')}${part('b.log')}${part('c.log')}--x--\r\n`);
    const outcome = await receiveMail(t.ctx, { raw, source: 'test' });
    expect(outcome.status).toBe('ticket_created');
    const list = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}/attachments`, admin)).body.data as { filename: string; stored: boolean; size_bytes: number }[];
    expect(list.map((a) => [a.filename, a.stored, a.size_bytes]).sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([['a.log', true, 120 * 1024], ['b.log', true, 120 * 1024], ['c.log', false, 120 * 1024]]);
  });

  it('a bounce for an agent reply is recorded on that message, and never opens a ticket', async () => {
    const outcome = await receiveMail(t.ctx, { raw: Buffer.from('From: gone@customer.example\r\nTo: help@replyby.test\r\nSubject: Hello\r\nMessage-ID: <gone.1@customer.example>\r\n\r\nHi there, a question.\r\n'), source: 'test' });
    await t.call('POST', `/api/v1/tickets/${outcome.ticketNumber}/messages`, admin, { body: 'An answer.' });
    await runDueJobs(t.ctx, createMailer(sink.url, 'help@replyby.test', t.ctx.log));
    const reply = sink.mails.find((m) => m.parsed.subject?.startsWith('Re:'));
    expect(reply).toBeDefined();
    const dsn = readFileSync(path.join(DIR, 'mailer-daemon-bounce.eml'), 'utf8').replace('{{BOUNCED_ID}}', reply?.parsed.messageId ?? '');
    const [{ n: before } = { n: 0 }] = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
    const bounce = await receiveMail(t.ctx, { raw: Buffer.from(dsn), source: 'test' });
    expect(bounce).toMatchObject({ status: 'bounce', ticketId: outcome.ticketId });
    const [{ n: after } = { n: 0 }] = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
    expect(after).toBe(before);
    const messages = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}/messages`, admin)).body.data as { delivery: { status: string; error: string } | null }[];
    expect(messages.at(-1)?.delivery).toEqual({ status: 'bounced', error: 'smtp; 550 5.1.1 user unknown' });
  });
});
