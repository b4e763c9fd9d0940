import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { DEFAULT_TEMPLATES } from '../src/core/email/templates.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 8: merging two customers' tickets showed one customer's message to the other, with
// no warning; the merged customer's ticket read "No messages yet" and they got no mail. Through HTTP (and
// intake for the mail replies): the confirmation, who reads what afterwards, the mail and the replies.

let t: TestApp;
let agent: string;
let sup: string;
let oleg: string; // Acme, not a manager: the "Eve" of the review, whose ticket is merged away
let ben: string; // Globex: the survivor's customer
type Job = { kind: string; payload: Record<string, unknown> };
type Msg = { id: string; body_text: string };

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
  oleg = await t.signIn('oleg@acme.example', undefined, true);
  ben = await t.signIn('ben@globex.example', undefined, true);
  await t.ctx.db.query("UPDATE contacts SET language = 'ru', name = 'Олег' WHERE email = 'oleg@acme.example'");
}, 120_000);
afterAll(() => t?.close());

let seq = 0;
async function ticket(email: string, message: string): Promise<{ id: string; number: number }> {
  seq += 1;
  const res = await t.call('POST', '/api/v1/tickets', agent, { subject: `Site down ${seq}`, message, requester: { email } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  t.clock.advanceMinutes(1);
  return res.body;
}
const bodies = async (path: string, token: string) => {
  const res = await t.call('GET', path, token);
  return { status: res.status, texts: res.status === 200 ? (res.body.data as Msg[]).map((m) => m.body_text) : [] };
};
const merge = (from: number, into: number, extra: Record<string, unknown> = {}) => t.call('POST', `/api/v1/tickets/${from}/merge`, agent, { into, ...extra });
const mergedJobs = (ticketId: string) => t.ctx.db.query<Job>("SELECT kind, payload FROM outbox WHERE kind = 'mail.merged' AND payload->>'ticket_id' = $1", [ticketId]);

function mailWithAttachment(from: string, subject: string, text: string, messageId: string): Buffer {
  return Buffer.from([
    `From: ${from}`, 'To: help@replyby.test', `Subject: ${subject}`, `Message-ID: ${messageId}`, 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', text, '--b1',
    'Content-Type: text/plain; name="logs.txt"', 'Content-Disposition: attachment; filename="logs.txt"', '', 'secret log lines', '--b1--', '',
  ].join('\r\n'));
}

describe('merging tickets of different requesters', () => {
  it('is refused without an explicit confirmation naming both requesters (single and bulk), and nothing changes', async () => {
    const eve = await ticket('oleg@acme.example', 'Our site is down since 9:00');
    const other = await ticket('ben@globex.example', 'Site unreachable');
    const single = await merge(eve.number, other.number);
    expect(single.status).toBe(409);
    expect(single.body.error.path).toBe('confirm_different_requesters');
    expect(single.body.error.message).toContain('oleg@acme.example');
    expect(single.body.error.message).toContain('ben@globex.example');
    const bulk = await t.call('POST', '/api/v1/tickets/bulk-merge', agent, { numbers: [eve.number, other.number], into: other.number });
    expect(bulk.status).toBe(409);
    expect(bulk.body.error.path).toBe('confirm_different_requesters');
    expect(bulk.body.error.message).toContain('oleg@acme.example');
    // Not a boolean: named as bad input.
    expect((await merge(eve.number, other.number, { confirm_different_requesters: 'yes' })).body.error.path).toBe('confirm_different_requesters');
    expect((await t.call('GET', `/api/v1/tickets/${eve.number}`, sup)).body).toMatchObject({ status: 'new', merged_into_id: null });
    expect(await mergedJobs(eve.id)).toHaveLength(0);
    // Confirmed: merged.
    const ok = await t.call('POST', '/api/v1/tickets/bulk-merge', agent, { numbers: [eve.number], into: other.number, confirm_different_requesters: true });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('the same requester needs no confirmation', async () => {
    const a = await ticket('ben@globex.example', 'first');
    const b = await ticket('ben@globex.example', 'second');
    expect((await merge(a.number, b.number)).status).toBe(200);
  });
});

describe('after a merge of two customers\' requests', () => {
  let eve: { id: string; number: number };
  let survivor: { id: string; number: number };
  let attachmentId: string;

  beforeAll(async () => {
    // Eve's request arrives by mail with a file; the other customer's through the API.
    const inbound = await receiveMail(t.ctx, { raw: mailWithAttachment('oleg@acme.example', 'Site down', 'Zebracorn: our site is down', '<eve.1@acme.example>'), source: 'test' });
    expect(inbound.status).toBe('ticket_created');
    const [row] = await t.ctx.db.query<{ id: string; number: number }>('SELECT id, number FROM tickets WHERE id = $1', [inbound.ticketId]);
    if (!row) throw new Error('no ticket');
    eve = row;
    expect((await t.call('POST', `/api/v1/tickets/${eve.number}/messages`, agent, { body: 'Staff to Eve: which URL?' })).status).toBe(201);
    survivor = await ticket('ben@globex.example', 'Benmessage: the site is slow');
    const res = await merge(eve.number, survivor.number, { confirm_different_requesters: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await t.call('POST', `/api/v1/tickets/${survivor.number}/messages`, agent, { body: 'Staff to Ben after the merge' })).status).toBe(201);
    const files = await t.call('GET', `/api/v1/tickets/${survivor.number}/attachments`, sup);
    attachmentId = files.body.data[0]?.id;
    expect(attachmentId).toBeTruthy();
  });

  it('the survivor\'s customer reads none of the merged customer\'s conversation, through any endpoint', async () => {
    for (const path of [`/api/v1/tickets/${survivor.number}/messages`, `/api/v1/tickets/${survivor.number}/timeline`]) {
      const { status, texts } = await bodies(path, ben);
      expect(status).toBe(200);
      expect(texts.join('\n')).toContain('Benmessage');
      expect(texts).toContain('Staff to Ben after the merge');
      expect(texts.join('\n')).not.toContain('Zebracorn');
      expect(texts).not.toContain('Staff to Eve: which URL?');
    }
    // Search does not match the merged-in words on their own ticket.
    const search = await t.call('GET', '/api/v1/tickets?q=Zebracorn', ben);
    expect(search.status).toBe(200);
    expect(search.body.data).toEqual([]);
    // The merged customer's file is neither listed nor downloadable for them.
    expect((await t.call('GET', `/api/v1/tickets/${survivor.number}/attachments`, ben)).body.data).toEqual([]);
    expect((await t.call('GET', `/api/v1/tickets/${survivor.number}/attachments/${attachmentId}`, ben)).status).toBe(404);
    // And the merged ticket itself stays out of their reach.
    expect((await t.call('GET', `/api/v1/tickets/${eve.number}/messages`, ben)).status).toBe(404);
  });

  it('the merged customer keeps reading their own conversation (not "No messages yet"), and only theirs', async () => {
    const { status, texts } = await bodies(`/api/v1/tickets/${eve.number}/timeline`, oleg);
    expect(status).toBe(200);
    expect(texts.join('\n')).toContain('Zebracorn');
    expect(texts).toContain('Staff to Eve: which URL?');
    expect(texts.join('\n')).not.toContain('Benmessage');
    expect(texts).not.toContain('Staff to Ben after the merge');
    expect((await t.call('GET', `/api/v1/tickets/${eve.number}`, oleg)).body).toMatchObject({ status: 'closed', merged: true });
    expect((await t.call('GET', `/api/v1/tickets/${eve.number}/attachments`, oleg)).body.data.map((a: { filename: string }) => a.filename)).toEqual(['logs.txt']);
    expect((await t.call('GET', `/api/v1/tickets/${eve.number}/attachments/${attachmentId}`, oleg)).status).toBe(200);
    expect((await t.call('GET', `/api/v1/tickets/${survivor.number}`, oleg)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/tickets?q=Benmessage', oleg)).body.data).toEqual([]);
    // Staff read both conversations on the survivor.
    const staff = await bodies(`/api/v1/tickets/${survivor.number}/messages`, sup);
    expect(staff.texts.join('\n')).toContain('Zebracorn');
    expect(staff.texts.join('\n')).toContain('Benmessage');
    expect((await t.call('GET', `/api/v1/tickets/${survivor.number}/attachments`, sup)).body.data).toHaveLength(1);
  });

  it('the merged customer is told, in their language, where the request went, with a link they can open', async () => {
    const [job] = await mergedJobs(eve.id);
    expect(job).toBeDefined();
    const mail = job ? await renderMail(t.ctx, job) : null;
    expect(mail?.to).toBe('oleg@acme.example');
    expect(mail?.headers?.['Content-Language']).toBe('ru');
    expect(mail?.subject).toBe(`Re: [#${eve.number}] Site down`);
    expect(mail?.text).toContain(`обращением #${survivor.number}`);
    // They cannot see the survivor: the link is their own request, which keeps their messages.
    expect(mail?.text).toContain(`http://replyby.test/portal/tickets/${eve.number}`);
    expect(mail?.text).not.toContain(`/portal/tickets/${survivor.number}`);
    expect(mail?.inReplyTo).toBe('<eve.1@acme.example>');
    // Each language has its own words for it.
    expect(new Set(Object.values(DEFAULT_TEMPLATES.merged).map((x) => x.body)).size).toBe(4);
  });

  it('their later replies by e-mail (to the merge notice or by the subject) and in the portal reach the survivor, still private', async () => {
    const [job] = await mergedJobs(eve.id);
    const notice = job ? await renderMail(t.ctx, job) : null;
    const reply = await receiveMail(t.ctx, {
      raw: Buffer.from(`From: oleg@acme.example\r\nTo: help@replyby.test\r\nSubject: Re: site\r\nMessage-ID: <eve.2@acme.example>\r\nIn-Reply-To: ${notice?.messageId}\r\n\r\nQuokkaword: still down\r\n`), source: 'test',
    });
    expect(reply.status).toBe('threaded');
    const bySubject = await receiveMail(t.ctx, {
      raw: Buffer.from(`From: oleg@acme.example\r\nTo: help@replyby.test\r\nSubject: Re: [#${eve.number}] Site down\r\nMessage-ID: <eve.3@acme.example>\r\n\r\nNarwhalword: and now?\r\n`), source: 'test',
    });
    expect(bySubject.status).toBe('threaded');
    expect((await t.call('POST', `/api/v1/tickets/${eve.number}/messages`, oleg, { body: 'Platypusword from the portal' })).status).toBe(201);
    const staff = (await bodies(`/api/v1/tickets/${survivor.number}/messages`, sup)).texts.join('\n');
    for (const w of ['Quokkaword', 'Narwhalword', 'Platypusword']) expect(staff).toContain(w);
    const own = (await bodies(`/api/v1/tickets/${eve.number}/messages`, oleg)).texts.join('\n');
    for (const w of ['Quokkaword', 'Narwhalword', 'Platypusword']) expect(own).toContain(w);
    const other = (await bodies(`/api/v1/tickets/${survivor.number}/timeline`, ben)).texts.join('\n');
    for (const w of ['Quokkaword', 'Narwhalword', 'Platypusword']) expect(other).not.toContain(w);
    // No new ticket was opened for them.
    expect((await t.ctx.db.query("SELECT 1 FROM tickets WHERE requester_id = (SELECT id FROM contacts WHERE email = 'oleg@acme.example') AND merged_into_id IS NULL")).length).toBe(0);
  });

  it('an organization manager, who may see the merged request, reads it too; a stranger to both reads neither', async () => {
    const anna = await t.signIn('anna@acme.example', undefined, true);
    expect((await bodies(`/api/v1/tickets/${eve.number}/messages`, anna)).texts.join('\n')).toContain('Zebracorn');
    expect((await t.call('GET', `/api/v1/tickets/${survivor.number}/messages`, anna)).status).toBe(404);
  });
});

describe('the merge notice when the customer can see the survivor', () => {
  it('links the survivor', async () => {
    const a = await ticket('ben@globex.example', 'one');
    const b = await ticket('ben@globex.example', 'two');
    expect((await merge(a.number, b.number)).status).toBe(200);
    const [job] = await mergedJobs(a.id);
    const mail = job ? await renderMail(t.ctx, job) : null;
    expect(mail?.to).toBe('ben@globex.example');
    expect(mail?.text).toContain(`http://replyby.test/portal/tickets/${b.number}`);
  });
});
