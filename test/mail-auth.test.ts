import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../src/app/email/authenticate-mail.ts';
import { receiveMail, type InboundOutcome } from '../src/app/email/receive-mail.ts';
import { senderVerdict, undecidedReason, type MailAuthFacts } from '../src/core/email/sender-verdict.ts';
import { startSmtpListener, type SmtpListener } from '../src/channels/smtp-listener.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 21 item 7: a spoofed From must never land on the real requester's ticket. Real SMTP on loopback
// (nodemailer → our listener), real SPF/DKIM/DMARC checks by mailauth, real DKIM signatures; only DNS is a
// local table (the records a domain would publish), so the test needs no network.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ZONE: Record<string, string[][]> = {
  // victim.test sends from 192.0.2.10 only, signs with selector s1 and asks receivers to reject failures.
  'TXT:victim.test': [['v=spf1 ip4:192.0.2.10 -all']],
  'TXT:_dmarc.victim.test': [['v=DMARC1; p=reject']],
  'TXT:s1._domainkey.victim.test': [[`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]],
  // nodmarc.test publishes SPF only (this listener's 127.0.0.1 is not in it).
  'TXT:nodmarc.test': [['v=spf1 ip4:192.0.2.20 -all']],
};
// flaky.test's name servers fail (SERVFAIL) until the test says DNS is back.
const FLAKY: Record<string, string[][]> = { 'TXT:flaky.test': [['v=spf1 ip4:127.0.0.1 -all']], 'TXT:_dmarc.flaky.test': [['v=DMARC1; p=reject']] };
let flakyDown = true;
const resolver: DnsResolver = async (name, rrtype) => {
  if (name.toLowerCase().endsWith('flaky.test')) {
    if (flakyDown) throw Object.assign(new Error(`queryTxt ESERVFAIL ${name}`), { code: 'ESERVFAIL' });
    const answer = FLAKY[`${rrtype}:${name.toLowerCase()}`];
    if (!answer) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return answer;
  }
  const records = ZONE[`${rrtype}:${name.toLowerCase()}`];
  if (!records) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return records;
};

let t: TestApp;
let listener: SmtpListener;
let admin: string;
const outcomes: InboundOutcome[] = [];
const SUPPORT = 'help@replyby.test';

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  expect((await t.call('POST', '/api/v1/email/support-addresses', admin, { address: SUPPORT, group_id: t.fixtures.groups.support, default_type: 'information_request', language: 'en' })).status).toBe(201);
  listener = await startSmtpListener(t.ctx, { port: 0, host: '127.0.0.1', maxBytes: 1024 * 1024, onReceived: (o) => outcomes.push(o), mailAuth: { mta: 'mx.replyby.test', resolver } });
});
afterAll(async () => {
  await listener?.close();
  await t?.close();
});

/** One SMTP exchange; `dkim` signs as that domain's s1 key. */
async function send(mail: nodemailer.SendMailOptions, dkim?: string): Promise<InboundOutcome> {
  const client = nodemailer.createTransport({
    host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, name: 'mx.sender.test',
    ...(dkim ? { dkim: { domainName: dkim, keySelector: 's1', privateKey: DKIM_KEY } } : {}),
  });
  const before = outcomes.length;
  await client.sendMail({ to: SUPPORT, text: 'Hello', ...mail });
  client.close();
  expect(outcomes.length).toBe(before + 1);
  return outcomes[outcomes.length - 1] as InboundOutcome;
}
const ticket = async (number: number | null) => (await t.call('GET', `/api/v1/tickets/${number}`, admin)).body;
const stored = async (id: string) => (await t.ctx.db.query<{ auth: { verdict: { verified: boolean; reason: string }; header: string } }>('SELECT auth FROM inbound_mail WHERE id = $1', [id]))[0]!.auth;

describe('inbound SMTP sender authentication', () => {
  it('threads a signed reply, but a forged From with the same ticket token opens a new flagged ticket, unacknowledged', async () => {
    const first = await send({ from: 'Anna <anna@victim.test>', subject: 'Invoice question' }, 'victim.test');
    expect(first).toMatchObject({ status: 'ticket_created', acknowledged: true });
    expect((await stored(first.id)).verdict.verified).toBe(true);
    expect((await ticket(first.ticketNumber)).sender_unverified).toBe(false);

    const reply = await send({ from: 'Anna <anna@victim.test>', subject: `Re: [#${first.ticketNumber}] Invoice question` }, 'victim.test');
    expect(reply).toMatchObject({ status: 'threaded', ticketId: first.ticketId });

    // The probe's spoof: the same From and ticket token, from a host SPF does not allow, unsigned.
    const spoof = await send({ from: 'Anna <anna@victim.test>', subject: `Re: [#${first.ticketNumber}] change my bank details`, envelope: { from: 'anna@victim.test', to: SUPPORT } });
    expect(spoof.status).toBe('ticket_created');
    expect(spoof.ticketId).not.toBe(first.ticketId);
    expect(spoof.acknowledged).toBe(false);
    const flagged = await ticket(spoof.ticketNumber);
    expect(flagged.sender_unverified).toBe(true);
    const auth = await stored(spoof.id);
    expect(auth.verdict).toMatchObject({ verified: false, reason: expect.stringContaining('DMARC failed') });
    expect(auth.header).toMatch(/^Authentication-Results: mx\.replyby\.test;[\s\S]*spf=fail[\s\S]*dmarc=fail/m);
    // The real ticket got nothing from it.
    const messages = (await t.call('GET', `/api/v1/tickets/${first.ticketNumber}/messages`, admin)).body.data as { body_text: string }[];
    expect(messages).toHaveLength(2);
  });

  it('without a DMARC record: an SPF fail with no aligned signature is unverified, an aligned signature is not', async () => {
    const first = await send({ from: 'ben@nodmarc.test', subject: 'Printer' });
    expect(first.status).toBe('ticket_created');
    expect((await ticket(first.ticketNumber)).sender_unverified).toBe(true);
    expect((await stored(first.id)).verdict.reason).toContain('SPF fail');
    // A signature by another domain does not vouch for nodmarc.test.
    const other = await send({ from: 'ben@nodmarc.test', subject: `Re: [#${first.ticketNumber}] Printer` }, 'victim.test');
    expect(other.status).toBe('ticket_created');
  });
});

describe('a DNS error during the checks', () => {
  it('defers the mail with 451 4.4.3 and stores nothing; the retry after DNS is back is received and verified', async () => {
    const before = (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_mail'))[0]!.n;
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, name: 'mx.flaky.test' });
    const mail = { from: 'carl@flaky.test', to: SUPPORT, subject: 'Cannot log in', text: 'Hello', envelope: { from: 'carl@flaky.test', to: SUPPORT } };
    const refused = await client.sendMail(mail).then(() => null, (err: { responseCode?: number; response?: string }) => err);
    expect(refused?.responseCode).toBe(451);
    expect(refused?.response).toContain('4.4.3');
    expect((await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_mail'))[0]!.n).toBe(before);

    flakyDown = false;
    const count = outcomes.length;
    await client.sendMail(mail);
    client.close();
    expect(outcomes.length).toBe(count + 1);
    const received = outcomes[outcomes.length - 1] as InboundOutcome;
    expect(received.status).toBe('ticket_created');
    expect((await ticket(received.ticketNumber)).sender_unverified).toBe(false);
  });
});

describe('the rule (core/email/sender-verdict.ts)', () => {
  const facts = (over: Partial<MailAuthFacts>): MailAuthFacts => ({
    checkedBy: 'mx', fromDomain: 'a.test', spf: { result: 'none', domain: 'a.test' }, dkim: [], dmarc: { result: 'none', policy: null }, ...over,
  });
  it('leaves the verdict open only when a DNS error stood where an answer might have vouched for the sender', () => {
    expect(undecidedReason(facts({ dmarc: { result: 'temperror', policy: null } }))).toContain('DMARC');
    expect(undecidedReason(facts({ spf: { result: 'temperror', domain: 'a.test' } }))).toContain('SPF');
    expect(undecidedReason(facts({ dkim: [{ result: 'temperror', domain: 'a.test', aligned: true }] }))).toContain('DKIM');
    // Decided: a DMARC fail stays a fail; a pass elsewhere vouches whatever else erred; no error at all is a plain "unverified".
    expect(undecidedReason(facts({ dmarc: { result: 'fail', policy: 'reject' }, spf: { result: 'temperror', domain: 'a.test' } }))).toBeNull();
    expect(undecidedReason(facts({ spf: { result: 'pass', domain: 'a.test' }, dmarc: { result: 'temperror', policy: null } }))).toBeNull();
    expect(undecidedReason(facts({ spf: { result: 'fail', domain: 'a.test' } }))).toBeNull();
    expect(senderVerdict(facts({ spf: { result: 'fail', domain: 'a.test' } })).verified).toBe(false);
  });
});

describe('IMAP: the trusted receiving server\'s Authentication-Results', () => {
  const raw = (headers: string, subject: string) => Buffer.from(`${headers}From: dora@victim.test\r\nTo: ${SUPPORT}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Math.random()}@victim.test>\r\n\r\nhi\r\n`);
  it('believes the trusted server\'s verdict, ignores a header from anyone else, and allows mail when none is trusted', async () => {
    const first = await receiveMail(t.ctx, { raw: raw('Authentication-Results: mx.trusted.test; dmarc=pass header.from=victim.test\r\n', 'Login'), source: 'imap:test', auth: { trustedAuthservId: 'mx.trusted.test' } });
    expect(first.status).toBe('ticket_created');
    const token = `Re: [#${first.ticketNumber}] Login`;
    const forged = await receiveMail(t.ctx, {
      raw: raw('Authentication-Results: mx.trusted.test; spf=fail smtp.mailfrom=dora@victim.test; dmarc=fail header.from=victim.test\r\nAuthentication-Results: mx.trusted.test; dmarc=pass\r\n', token),
      source: 'imap:test', auth: { trustedAuthservId: 'mx.trusted.test' },
    });
    expect(forged.status).toBe('ticket_created');
    expect((await ticket(forged.ticketNumber)).sender_unverified).toBe(true);
    const noHeader = await receiveMail(t.ctx, { raw: raw('Authentication-Results: spoofer.test; dmarc=pass\r\n', token), source: 'imap:test', auth: { trustedAuthservId: 'mx.trusted.test' } });
    expect(noHeader.status).toBe('ticket_created');
    const unchecked = await receiveMail(t.ctx, { raw: raw('', token), source: 'imap:test', auth: null });
    expect(unchecked).toMatchObject({ status: 'threaded', ticketId: first.ticketId });
    // A DNS error the trusted server met cannot be deferred over IMAP (nobody would retry): unverified, not threaded.
    const dnsDown = await receiveMail(t.ctx, { raw: raw('Authentication-Results: mx.trusted.test; spf=temperror smtp.mailfrom=dora@victim.test; dmarc=temperror header.from=victim.test\r\n', token), source: 'imap:test', auth: { trustedAuthservId: 'mx.trusted.test' } });
    expect(dnsDown.status).toBe('ticket_created');
    expect(dnsDown.ticketId).not.toBe(first.ticketId);
    expect((await ticket(dnsDown.ticketNumber)).sender_unverified).toBe(true);
  });
});
