import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review item 11, through the public surface: inbound mail, an agent's reply with files (delivered over a
// real SMTP exchange as MIME attachments), the public web form and a portal message.

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/attachments');
/** The first 512 bytes of a real Windows program (pip's distlib launcher): MZ … PE. */
const PE = readFileSync(path.join(FIXTURES, 'pe-header.bin'));
const EVIL_ZIP = readFileSync(path.join(FIXTURES, 'evil.zip'));

let t: TestApp;
let sink: SmtpSink;
let admin: string;

type Attachment = { id: string; message_id: string | null; filename: string; content_type: string; size_bytes: number; stored: boolean };
type Msg = { id: string; kind: string; author: { kind: string }; body_text: string };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const wrap = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');
const attachments = async (ref: number, token: string) => (await t.call('GET', `/api/v1/tickets/${ref}/attachments`, token)).body.data as Attachment[];
const messages = async (ref: number, token: string) => (await t.call('GET', `/api/v1/tickets/${ref}/messages`, token)).body.data as Msg[];
const download = async (ref: number, id: string, token: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ref}/attachments/${id}`, headers: { authorization: `Bearer ${token}` } });
const count = async (sql: string) => (await t.ctx.db.query<{ n: number }>(sql))[0]?.n ?? 0;

function mailWith(from: string, messageId: string, parts: { name: string; type: string; content: Buffer }[]): Buffer {
  const body = parts.map((p) => `--x\r\nContent-Type: ${p.type}; name="${p.name}"\r\nContent-Disposition: attachment; filename="${p.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap(p.content)}\r\n`).join('');
  return Buffer.from(`From: ${from}\r\nTo: help@replyby.test\r\nSubject: Files for you\r\nMessage-ID: ${messageId}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nPlease see the attached files.\r\n${body}--x--\r\n`);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});

describe('inbound e-mail', () => {
  it('a program is not stored or offered, whatever its name; staff get a note naming it; the mail is kept', async () => {
    const raw = mailWith('mallory@evil.example', '<exe.1@evil.example>', [
      { name: 'log.txt', type: 'text/plain', content: Buffer.from('ERROR 42\n') },
      { name: 'invoice.pdf', type: 'application/pdf', content: PE },
      { name: 'photos.zip', type: 'application/zip', content: EVIL_ZIP },
    ]);
    const outcome = await receiveMail(t.ctx, { raw, source: 'test' });
    expect(outcome.status).toBe('ticket_created');
    const ref = outcome.ticketNumber ?? 0;
    expect((await attachments(ref, admin)).map((a) => a.filename)).toEqual(['log.txt']);
    const notes = (await messages(ref, admin)).filter((m) => m.kind === 'internal');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.author.kind).toBe('system');
    expect(notes[0]?.body_text).toContain('invoice.pdf: executable files are not accepted — a Windows program (MZ header)');
    expect(notes[0]?.body_text).toContain('photos.zip: archives containing executable files are not accepted — contains setup.exe');
    // The raw mail still holds every byte (nothing is lost; an admin can recover a false positive).
    const [row] = await t.ctx.db.query<{ raw: Uint8Array }>('SELECT raw FROM inbound_mail WHERE id = $1', [outcome.id]);
    expect(Buffer.from(row?.raw ?? []).equals(raw)).toBe(true);
  });

  it('a mail whose only attachment is a program still becomes a ticket, with no attachment listed', async () => {
    const outcome = await receiveMail(t.ctx, { raw: mailWith('eve@customer.example', '<exe.2@customer.example>', [{ name: 'setup.exe', type: 'application/octet-stream', content: PE }]), source: 'test' });
    expect(outcome.status).toBe('ticket_created');
    expect(await attachments(outcome.ticketNumber ?? 0, admin)).toEqual([]);
  });
});

describe("an agent's reply with files", () => {
  let ref = 0;
  let customer = '';

  beforeAll(async () => {
    customer = await t.signIn('anna@acme.example', undefined, true);
    const created = await t.call('POST', '/api/v1/tickets', customer, { subject: 'Printer', message: 'It jams.' });
    expect(created.status).toBe(201);
    ref = created.body.number;
  });

  it('is stored under the reply, downloadable by the customer, and mailed as a real MIME attachment', async () => {
    await runDueJobs(t.ctx, createMailer(sink.url, 'help@replyby.test', t.ctx.log));
    const before = sink.mails.length;
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
    const res = await t.call('POST', `/api/v1/tickets/${ref}/messages`, admin, {
      body: 'The manual is attached.', attachments: [{ filename: 'manual.pdf', content_type: 'application/pdf', content_base64: b64(pdf) }],
    });
    expect(res.status).toBe(201);
    const list = await attachments(ref, customer);
    expect(list).toMatchObject([{ message_id: res.body.id, filename: 'manual.pdf', content_type: 'application/pdf', size_bytes: pdf.length, stored: true }]);
    const dl = await download(ref, list[0]?.id ?? '', customer);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);

    await runDueJobs(t.ctx, createMailer(sink.url, 'help@replyby.test', t.ctx.log));
    const sent = sink.mails.slice(before);
    expect(sent).toHaveLength(1);
    const mail = sent[0];
    expect(mail?.to).toEqual(['anna@acme.example']);
    expect(mail?.parsed.text).toContain('The manual is attached.');
    expect(mail?.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([['manual.pdf', 'application/pdf', true]]);
  });

  it("an internal note's file is for staff only", async () => {
    const res = await t.call('POST', `/api/v1/tickets/${ref}/messages`, admin, { body: 'Logs from the printer', kind: 'internal', attachments: [{ filename: 'printer.log', content_base64: b64('jam at tray 2') }] });
    expect(res.status).toBe(201);
    expect((await attachments(ref, admin)).map((a) => a.filename)).toContain('printer.log');
    expect((await attachments(ref, customer)).map((a) => a.filename)).not.toContain('printer.log');
    const id = (await attachments(ref, admin)).find((a) => a.filename === 'printer.log')?.id ?? '';
    expect((await download(ref, id, customer)).statusCode).toBe(404);
  });

  it('a program is refused, naming the file by index, and nothing is written', async () => {
    const messagesBefore = await count('SELECT count(*)::int AS n FROM messages');
    const res = await t.call('POST', `/api/v1/tickets/${ref}/messages`, admin, {
      body: 'Run this tool.', attachments: [{ filename: 'notes.txt', content_base64: b64('ok') }, { filename: 'tool.pdf', content_type: 'application/pdf', content_base64: PE.toString('base64') }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', path: 'attachments[1]', message: 'attachments[1]: executable files are not accepted' });
    expect(res.body.error.errors).toEqual([{ path: 'attachments[1]', message: 'executable files are not accepted' }]);
    expect(await count('SELECT count(*)::int AS n FROM messages')).toBe(messagesBefore);
  });

  it('files over the limits are refused with 413, each named', async () => {
    const saved = t.ctx.settings.email;
    t.ctx.settings.email = { attachmentMaxBytes: 2048, attachmentsTotalMaxBytes: 3000, attachmentsMaxCount: 2 };
    try {
      const file = (name: string, size: number) => ({ filename: name, content_base64: Buffer.alloc(size, 'a').toString('base64') });
      const res = await t.call('POST', `/api/v1/tickets/${ref}/messages`, admin, { body: 'Big', attachments: [file('a.txt', 2049), file('b.txt', 2000), file('c.txt', 1001), file('d.txt', 10), file('e.txt', 10)] });
      expect(res.status).toBe(413);
      expect(res.body.error.errors).toEqual([
        { path: 'attachments[0]', message: 'is larger than the limit for one file (2048 bytes)' },
        { path: 'attachments[2]', message: 'the files together are larger than the limit for one message (3000 bytes)' },
        { path: 'attachments[4]', message: 'too many files in one message (at most 2)' },
      ]);
    } finally {
      t.ctx.settings.email = saved;
    }
  });

  it('the limits are public, so the forms can say them and check sizes before sending', async () => {
    const saved = t.ctx.settings.email;
    t.ctx.settings.email = { attachmentMaxBytes: 2048, attachmentsTotalMaxBytes: 3000, attachmentsMaxCount: 2 };
    try {
      expect((await t.call('GET', '/api/v1/public/attachment-limits', null)).body).toEqual({ max_file_bytes: 2048, max_total_bytes: 3000, max_count: 2 });
    } finally {
      t.ctx.settings.email = saved;
    }
  });

  it('bad base64 or a missing name is a 400 naming the field', async () => {
    const res = await t.call('POST', `/api/v1/tickets/${ref}/messages`, admin, { body: 'x', attachments: [{ filename: '', content_base64: '!!' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['attachments[0].content_base64', 'attachments[0].filename']);
  });

  it('a customer attaches a file from the portal; a program is refused the same way', async () => {
    const ok = await t.call('POST', `/api/v1/tickets/${ref}/messages`, customer, { body: 'Photo of the jam', attachments: [{ filename: 'jam.png', content_type: 'image/png', content_base64: b64(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) }] });
    expect(ok.status).toBe(201);
    expect((await attachments(ref, admin)).find((a) => a.filename === 'jam.png')?.message_id).toBe(ok.body.id);
    const bad = await t.call('POST', `/api/v1/tickets/${ref}/messages`, customer, { body: 'Try this', attachments: [{ filename: 'fix.bat', content_base64: b64('del /q *') }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('attachments[0]');
  });
});

describe('the public web form', () => {
  const form = { name: 'Wendy Web', email: 'wendy@example.org', subject: 'Broken export', message: 'The CSV is empty.' };

  it('stores files under the request, visible to staff', async () => {
    const csv = Buffer.from('id,name\n');
    const res = await t.call('POST', '/api/v1/public/requests', null, { ...form, attachments: [{ filename: 'export.csv', content_type: 'text/csv', content_base64: b64(csv) }] });
    expect(res.status).toBe(201);
    const list = await attachments(res.body.number, admin);
    const first = (await messages(res.body.number, admin))[0];
    expect(list).toMatchObject([{ filename: 'export.csv', message_id: first?.id, size_bytes: csv.length, stored: true }]);
  });

  it('refuses a program in attachments[1]: no ticket, no acknowledgement', async () => {
    const tickets = await count('SELECT count(*)::int AS n FROM tickets');
    const outbox = await count('SELECT count(*)::int AS n FROM outbox');
    const res = await t.call('POST', '/api/v1/public/requests', null, {
      ...form, attachments: [{ filename: 'export.csv', content_base64: b64('a,b\n') }, { filename: 'export-fix.exe', content_type: 'application/octet-stream', content_base64: PE.toString('base64') }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ path: 'attachments[1]', message: 'attachments[1]: executable files are not accepted' });
    expect(await count('SELECT count(*)::int AS n FROM tickets')).toBe(tickets);
    expect(await count('SELECT count(*)::int AS n FROM outbox')).toBe(outbox);
  });

  it('takes bodies larger than the general limit when they carry files', async () => {
    // The test server's general body limit is 64 KiB; a 200 KiB file passes on the upload routes.
    const res = await t.call('POST', '/api/v1/public/requests', null, { ...form, attachments: [{ filename: 'big.log', content_base64: Buffer.alloc(200 * 1024, 'l').toString('base64') }] });
    expect(res.status).toBe(201);
    expect((await attachments(res.body.number, admin))[0]?.size_bytes).toBe(200 * 1024);
  });
});
