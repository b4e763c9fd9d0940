import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { runLifecycleSweep } from '../src/app/promise/lifecycle-sweep.ts';
import { runRetentionSweep } from '../src/app/privacy/retention.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 21 item 4: one person's data exported and erased everywhere while the tickets stay for the reports;
// closed tickets anonymised by the retention rule (docs/security.md "Personal data").

let t: TestApp;
let admin: string;
let agent: string;
let sup: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent, sup] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev'), t.signIn('super@test.dev')]);
  expect((await t.call('POST', '/api/v1/email/support-addresses', admin, { address: 'help@replyby.test' })).status).toBe(201);
});
afterAll(() => t.close());

const ZORA = 'zora.kovacheva@customer.example';
// Words only this person wrote: after erasure no table, index or raw mail may hold them.
const SECRETS = ['frobnicator', 'Plovdiv', 'Kovacheva', 'zora.kovacheva', 'PDFSECRET'];

function mail(from: string, subject: string, body: string, id: string, attachment?: { name: string; text: string }): Buffer {
  const head = `From: ${from}\r\nTo: help@replyby.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}@customer.example>\r\nDate: Mon, 10 Mar 2025 08:00:00 +0000\r\nMIME-Version: 1.0\r\n`;
  if (!attachment) return Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  const b = 'BOUNDARY42';
  return Buffer.from(`${head}Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`
    + `--${b}\r\nContent-Type: application/pdf; name="${attachment.name}"\r\nContent-Disposition: attachment; filename="${attachment.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`
    + `${Buffer.from(attachment.text).toString('base64')}\r\n--${b}--\r\n`);
}

async function tablesHolding(word: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['contacts', 'tickets', 'messages', 'ticket_events', 'notifications', 'outbox', 'mail_attachments', 'closure_answers', 'audit_log', 'idempotency_keys',
    'ticket_search_docs', 'kpi_rollup', 'side_conversations', 'side_conversation_messages', 'widget_messages', 'channel_conversations']) {
    const [row] = await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} x WHERE x::text ILIKE $1`, [`%${word}%`]);
    if (row!.n) found.push(table);
  }
  const [raw] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_mail WHERE position(convert_to($1, 'UTF8') in raw) > 0 OR envelope_from ILIKE $2", [word, `%${word}%`]);
  if (raw!.n) found.push('inbound_mail');
  const [file] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM mail_attachments WHERE position(convert_to($1, 'UTF8') in content) > 0", [word]);
  if (file!.n) found.push('mail_attachments.content');
  return found;
}

const search = async (q: string) => (await t.call('GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`, admin)).body.data as { number: number }[];
const kpis = async () => (await t.call('GET', '/api/v1/reports/kpis?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z', sup)).body;

describe('one person: export and erase', () => {
  let contactId: string;
  let ticketNumber: number;
  let ticketId: string;
  let otherNumber: number;

  beforeAll(async () => {
    const first = await receiveMail(t.ctx, {
      raw: mail(`Zora Kovacheva <${ZORA}>`, 'Broken frobnicator, refund please', 'My frobnicator exploded yesterday near the Plovdiv warehouse.\nCall me back soon please.', 'zora.1', { name: 'frobnicator-invoice.pdf', text: 'PDFSECRET invoice of Zora' }),
      source: 'test', envelopeTo: ['help@replyby.test'],
    });
    expect(first.status).toBe('ticket_created');
    ticketNumber = first.ticketNumber!;
    ticketId = first.ticketId!;
    const reply = await t.call('POST', `/api/v1/tickets/${ticketNumber}/messages`, agent, {
      body: 'Hello Zora, we replace the unit this week.\n\n> My frobnicator exploded yesterday near the Plovdiv warehouse.',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    t.clock.advanceMinutes(30);
    const again = await receiveMail(t.ctx, {
      raw: Buffer.from(`From: Zora Kovacheva <${ZORA}>\r\nTo: help@replyby.test\r\nSubject: Re: Broken frobnicator\r\nMessage-ID: <zora.2@customer.example>\r\nIn-Reply-To: <zora.1@customer.example>\r\n\r\nThanks, the frobnicator serial is FX-991.\r\n`),
      source: 'test', envelopeTo: ['help@replyby.test'],
    });
    expect(again.ticketNumber).toBe(ticketNumber);
    const other = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Oleg asks about invoices', message: 'Where is my invoice for March?', requester: { email: 'oleg@acme.example' } });
    expect(other.status).toBe(201);
    otherNumber = other.body.number;
    const [c] = await t.ctx.db.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1', [ZORA]);
    contactId = c!.id;
  });

  it('is for admins only: agents and supervisors get 403, bad input a 400 naming the field', async () => {
    for (const token of [agent, sup]) {
      expect((await t.call('GET', `/api/v1/contacts/${contactId}/export`, token)).status).toBe(403);
      expect((await t.call('POST', `/api/v1/contacts/${contactId}/erase`, token, { confirm: 'ERASE' })).status).toBe(403);
    }
    const unconfirmed = await t.call('POST', `/api/v1/contacts/${contactId}/erase`, admin, { confirm: 'yes' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.path).toBe('confirm');
    expect((await t.call('POST', '/api/v1/contacts/not-a-uuid/erase', admin, { confirm: 'ERASE' })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/export', admin)).status).toBe(404);
    expect(await tablesHolding('frobnicator')).toContain('messages');
  });

  it('exports everything held about the person, with attachment links that download, and an audit row', async () => {
    const res = await t.call('GET', `/api/v1/contacts/${contactId}/export`, admin);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.contact).toMatchObject({ id: contactId, email: ZORA, name: 'Zora Kovacheva', erased_at: null });
    expect(body.tickets.map((x: { number: number }) => x.number)).toEqual([ticketNumber]);
    expect(body.truncated).toBe(false);
    const written = body.messages.filter((m: { written_by_contact: boolean }) => m.written_by_contact).map((m: { body_text: string }) => m.body_text);
    expect(written.join('\n')).toContain('Plovdiv warehouse');
    expect(written.join('\n')).toContain('FX-991');
    expect(body.messages.some((m: { author_kind: string; body_text: string }) => m.author_kind === 'user' && m.body_text.includes('replace the unit'))).toBe(true);
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]).toMatchObject({ filename: 'frobnicator-invoice.pdf', stored: true });
    const file = await t.app.inject({ method: 'GET', url: body.attachments[0].download_url, headers: { authorization: `Bearer ${admin}` } });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('PDFSECRET');
    expect(JSON.stringify(body)).not.toContain('Where is my invoice for March');
    const [row] = (await t.call('GET', '/api/v1/audit-log?target_type=contact&limit=1', admin)).body.data;
    expect(row).toMatchObject({ action: 'export', target_type: 'contact', target_id: contactId, actor_email: 'admin@test.dev' });
  });

  it('erases name, address, texts and files everywhere; search, raw mail and export find nothing; the reports read the same', async () => {
    expect((await search('frobnicator')).map((x) => x.number)).toContain(ticketNumber);
    expect((await search(ZORA)).map((x) => x.number)).toContain(ticketNumber);
    const before = await kpis();
    const ticketBefore = (await t.call('GET', `/api/v1/tickets/${ticketNumber}`, admin)).body;
    const eventsBefore = (await t.call('GET', `/api/v1/tickets/${ticketNumber}/events`, admin)).body.data;
    const otherBefore = (await t.call('GET', `/api/v1/tickets/${otherNumber}/messages`, admin)).body;

    const res = await t.call('POST', `/api/v1/contacts/${contactId}/erase`, admin, { confirm: 'ERASE' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ contact_id: contactId, already_erased: false, counts: { tickets: 1, messages: 2, raw_mails: 2, attachments: 1 } });

    for (const word of SECRETS) expect(await tablesHolding(word), word).toEqual([]);
    for (const q of ['frobnicator', 'Plovdiv', ZORA, 'Kovacheva']) expect(await search(q), q).toEqual([]);

    const messages = (await t.call('GET', `/api/v1/tickets/${ticketNumber}/messages`, admin)).body.data as { author: { kind: string }; body_text: string }[];
    expect(messages.filter((m) => m.author.kind === 'contact').map((m) => m.body_text)).toEqual(['[erased]', '[erased]']);
    const staff = messages.find((m) => m.author.kind === 'user')!;
    expect(staff.body_text).toContain('we replace the unit this week');
    expect(staff.body_text).toContain('Hello [erased],');
    expect(staff.body_text).not.toContain('>');

    const ticketAfter = (await t.call('GET', `/api/v1/tickets/${ticketNumber}`, admin)).body;
    expect(ticketAfter.subject).toBe('[erased]');
    for (const k of ['status', 'created_at', 'first_responded_at', 'solved_at', 'closed_at', 'priority', 'type', 'group_id', 'assignee_id', 'sla']) {
      expect(ticketAfter[k], k).toEqual(ticketBefore[k]);
    }
    const eventsAfter = (await t.call('GET', `/api/v1/tickets/${ticketNumber}/events`, admin)).body.data;
    expect(eventsAfter.map((e: { kind: string; created_at: string }) => [e.kind, e.created_at])).toEqual(eventsBefore.map((e: { kind: string; created_at: string }) => [e.kind, e.created_at]));
    expect(await kpis()).toEqual(before);
    expect((await t.call('GET', `/api/v1/tickets/${otherNumber}/messages`, admin)).body).toEqual(otherBefore);

    const file = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: { authorization: `Bearer ${admin}` } });
    expect(file.body).not.toContain('frobnicator');

    const exported = await t.call('GET', `/api/v1/contacts/${contactId}/export`, admin);
    expect(exported.status).toBe(200);
    expect(exported.body.contact).toMatchObject({ email: null, name: '[erased]' });
    expect(exported.body.contact.erased_at).not.toBeNull();
    const text = JSON.stringify(exported.body);
    for (const word of [...SECRETS, 'Zora', 'warehouse', 'FX-991']) expect(text, word).not.toContain(word);

    // A portal sign-in by the old address finds no one.
    expect((await t.ctx.db.query('SELECT 1 FROM contacts WHERE email = $1', [ZORA])).length).toBe(0);
  });

  it('is idempotent and audited by reference: a second erase changes nothing and says so', async () => {
    const snapshot = async () => JSON.stringify(await t.ctx.db.query("SELECT m.id, m.body_text, m.body_html FROM messages m ORDER BY m.id"));
    const before = await snapshot();
    const res = await t.call('POST', `/api/v1/contacts/${contactId}/erase`, admin, { confirm: 'ERASE' });
    expect(res.status).toBe(200);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ already_erased: true, counts: { tickets: 0, messages: 0, staff_messages: 0, events: 0, raw_mails: 0, attachments: 0 } });
    expect(await snapshot()).toBe(before);
    const log = (await t.call('GET', '/api/v1/audit-log?target_type=contact', admin)).body.data as { action: string; target_id: string; after: { already_erased: boolean } }[];
    expect(log.map((r) => [r.action, r.after.already_erased ?? null])).toEqual([['erase', true], ['export', null], ['erase', false], ['export', null]]);
    expect(log.every((r) => r.target_id === contactId)).toBe(true);
  });
});

describe('erasure reaches the newer stores: the chat widget log, side conversations, the search documents', () => {
  it('leaves none of the words of a widget visitor whose words an agent forwarded in a side conversation', async () => {
    const PAGE = 'http://shop.localhost:5173';
    const widget = (await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Shop chat', widget: { allowed_origins: [PAGE] } })).body;
    const start = await t.app.inject({ method: 'POST', url: `/api/v1/widget/${widget.id}/sessions`, remoteAddress: '203.0.113.9',
      headers: { origin: PAGE, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Vesela Quillfeather', email: 'vesela@chat.example', message: 'My zanzibarite lamp flickers since Tuesday' }) });
    expect(start.statusCode, start.body).toBe(201);
    const number = (start.json() as { ticket_number: number }).ticket_number;
    const side = await t.call('POST', `/api/v1/tickets/${number}/side-conversations`, agent,
      { email: 'parts@vendor.example', subject: 'Vesela Quillfeather: lamp', body: 'Our customer writes:\nMy zanzibarite lamp flickers since Tuesday\nDo you have a spare?' });
    expect(side.status, JSON.stringify(side.body)).toBe(201);
    await t.call('GET', '/api/v1/reports/kpis?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z', sup); // brings the rollup up to date
    expect(await tablesHolding('zanzibarite')).toEqual(expect.arrayContaining(['widget_messages', 'side_conversation_messages', 'ticket_search_docs']));
    expect(await tablesHolding('Quillfeather')).toEqual(expect.arrayContaining(['contacts', 'side_conversations']));

    const [contact] = await t.ctx.db.query<{ id: string }>("SELECT id FROM contacts WHERE email = 'vesela@chat.example'");
    const res = await t.call('POST', `/api/v1/contacts/${contact!.id}/erase`, admin, { confirm: 'ERASE' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.counts.side_messages).toBeGreaterThanOrEqual(1);
    expect(res.body.counts.chat_messages).toBeGreaterThanOrEqual(1);
    for (const word of ['zanzibarite', 'Quillfeather', 'vesela@chat.example']) expect(await tablesHolding(word), word).toEqual([]);
    const thread = (await t.ctx.db.query<{ body_text: string }>('SELECT body_text FROM side_conversation_messages m JOIN side_conversations s ON s.id = m.side_conversation_id JOIN tickets t ON t.id = s.ticket_id WHERE t.number = $1', [number]))[0]!;
    expect(thread.body_text).toContain('Do you have a spare?');
    expect(await tablesHolding('Do you have a spare')).toContain('side_conversation_messages');
  });
});

describe('retention: closed tickets anonymised N months after closing', () => {
  const closeTicket = async (email: string, subject: string, type: string) => {
    const res = await t.call('POST', '/api/v1/tickets', sup, { subject, message: `${subject}: details written by the customer.`, requester: { email }, type });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await t.call('PATCH', `/api/v1/tickets/${res.body.number}`, agent, { status: 'solved' })).status).toBe(200);
    return res.body.number as number;
  };
  // Sessions expire as the test clock moves by months: sign in again after each jump.
  const jump = async (iso: string) => {
    t.clock.set(iso);
    [admin, agent, sup] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev'), t.signIn('super@test.dev')]);
  };
  const subject = async (n: number) => (await t.call('GET', `/api/v1/tickets/${n}`, admin)).body.subject as string;

  it('validates the rule, counts in a dry run, and erases only closed tickets old enough, in audited batches', async () => {
    expect((await t.call('GET', '/api/v1/admin/retention-settings', agent)).status).toBe(403);
    expect((await t.call('PATCH', '/api/v1/admin/retention-settings', sup, { enabled: true })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/admin/retention/dry-run', agent)).status).toBe(403);
    const zero = await t.call('PATCH', '/api/v1/admin/retention-settings', admin, { months: 0 });
    expect([zero.status, zero.body.error.path]).toEqual([400, 'months']);
    const badType = await t.call('PATCH', '/api/v1/admin/retention-settings', admin, { per_type: { no_such_type: 3 } });
    expect([badType.status, badType.body.error.path]).toEqual([400, 'per_type.no_such_type']);

    await jump('2025-04-01T10:00:00Z');
    const oldClosed = await closeTicket('ret.one@customer.example', 'Retention old closed complaint', 'complaint');
    const oldOpen = (await t.call('POST', '/api/v1/tickets', sup, { subject: 'Retention old but open', message: 'Still waiting for a fix.', requester: { email: 'ret.two@customer.example' }, type: 'complaint' })).body.number as number;
    await jump('2025-04-06T10:00:00Z');
    await runLifecycleSweep(t.ctx); // closes after the customer's silence
    await jump('2025-05-10T10:00:00Z');
    await runLifecycleSweep(t.ctx); // archives: read-only for every path but erasure
    const archived = (await t.call('GET', `/api/v1/tickets/${oldClosed}`, admin)).body;
    expect(archived.status).toBe('closed');
    expect(archived.archived_at).not.toBeNull();
    await jump('2026-02-01T10:00:00Z');
    const recentQuote = await closeTicket('ret.three@customer.example', 'Retention recent quote', 'quote');
    const recentComplaint = await closeTicket('ret.four@customer.example', 'Retention recent complaint', 'complaint');
    await jump('2026-02-06T10:00:00Z');
    await runLifecycleSweep(t.ctx);

    await jump('2026-05-01T10:00:00Z');
    const set = await t.call('PATCH', '/api/v1/admin/retention-settings', admin, { months: 12, per_type: { quote: 2 } });
    expect(set.body).toEqual({ enabled: false, months: 12, per_type: { quote: 2 } });
    // Off: the sweep does nothing; the dry run still says what it would do.
    expect(await runRetentionSweep(t.ctx)).toEqual({ anonymised: 0 });
    const dry = await t.call('GET', '/api/v1/admin/retention/dry-run', admin);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ enabled: false, per_type: { complaint: 1, quote: 1 } });
    // Zora's closed? No: her ticket was never closed, and the erased one is anonymised already.
    expect(dry.body.due).toBe(2);
    expect(dry.body.cutoffs).toEqual([{ type: 'quote', before: '2026-03-01T10:00:00.000Z' }, { type: null, before: '2025-05-01T10:00:00.000Z' }]);

    await t.call('PATCH', '/api/v1/admin/retention-settings', admin, { enabled: true });
    const kpiBefore = (await t.call('GET', '/api/v1/reports/kpis?from=2025-03-01T00:00:00Z&to=2026-05-01T00:00:00Z', sup)).body;
    const auditBefore = (await t.call('GET', '/api/v1/audit-log?target_type=ticket', admin)).body.data.length;
    expect(await runRetentionSweep(t.ctx, { batch: 1 })).toEqual({ anonymised: 2 });
    expect(await subject(oldClosed)).toBe('[erased]');
    expect(await subject(recentQuote)).toBe('[erased]');
    expect(await subject(oldOpen)).toBe('Retention old but open');
    expect(await subject(recentComplaint)).toBe('Retention recent complaint');
    const msgs = (await t.call('GET', `/api/v1/tickets/${oldClosed}/messages`, admin)).body.data as { author: { kind: string }; body_text: string }[];
    expect(msgs.filter((m) => m.author.kind === 'contact').map((m) => m.body_text)).toEqual(['[erased]']);
    expect(await search('Retention old closed complaint')).toEqual([]);
    expect((await t.call('GET', '/api/v1/reports/kpis?from=2025-03-01T00:00:00Z&to=2026-05-01T00:00:00Z', sup)).body).toEqual(kpiBefore);
    // One audit row per batch (batch of 1 here), naming tickets by id.
    const audit = (await t.call('GET', '/api/v1/audit-log?target_type=ticket', admin)).body.data as { action: string; actor_email: string | null; after: { reason: string; ticket_ids: string[] } }[];
    expect(audit.length - auditBefore).toBe(2);
    expect(audit[0]).toMatchObject({ action: 'erase', actor_email: null, after: { reason: 'retention' } });
    expect(audit[0]!.after.ticket_ids).toHaveLength(1);
    // Done once: the next pass finds nothing.
    expect(await runRetentionSweep(t.ctx)).toEqual({ anonymised: 0 });
    expect((await t.call('GET', '/api/v1/admin/retention/dry-run', admin)).body.due).toBe(0);
  });
});
