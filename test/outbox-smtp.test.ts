import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs, type SendMail } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The transactional outbox delivering over a real SMTP exchange on loopback (nodemailer → smtp-server).

type Received = { from: string; to: string[]; raw: string; subject: string };

let t: TestApp;
let smtp: SMTPServer;
let sendMail: SendMail;
let agent: string;
const received: Received[] = [];
let refuseRecipients = false;

const header = (raw: string, name: string): string => {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(unfolded)?.[1]?.trim() ?? '';
};
// Text bodies may be quoted-printable; undo soft line breaks and =XX escapes so assertions read plainly.
const bodyOf = (raw: string): string => raw.split(/\r?\n\r?\n/).slice(1).join('\n\n').replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (refuseRecipients) return callback(Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, subject: header(raw, 'Subject') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = smtp.server.address() as AddressInfo;
  sendMail = createMailer(`smtp://127.0.0.1:${port}`, 'Replyby Support <support@replyby.test>', t.ctx.log);
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.close();
});

const outboxRow = async (kind: string) => {
  const [row] = await t.ctx.db.query<{ id: string; attempts: number; run_at: Date; done_at: Date | null; last_error: string | null; locked_until: Date | null }>(
    'SELECT id::text AS id, attempts, run_at, done_at, last_error, locked_until FROM outbox WHERE kind = $1 ORDER BY id DESC LIMIT 1', [kind]);
  if (!row) throw new Error(`no ${kind} job`);
  return row;
};

describe('outbox over SMTP', () => {
  let number = 0;

  it('a web request is acknowledged by e-mail to the requester, naming the ticket number', async () => {
    const req = await t.call('POST', '/api/v1/public/requests', null, { name: 'Rita Requester', email: 'rita@example.org', subject: 'Parcel lost', message: 'Tracking says delivered.' });
    expect(req.status).toBe(201);
    number = req.body.number;
    expect(received).toHaveLength(0); // nothing is sent inside the request
    const ran = await runDueJobs(t.ctx, sendMail);
    expect(ran).toBe(1);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(['rita@example.org']);
    expect(mail.from).toBe('support@replyby.test');
    expect(mail.subject).toContain(`#${number}`);
    expect(mail.subject).toContain('Parcel lost');
    expect(header(mail.raw, 'To')).toContain('rita@example.org');
    expect(bodyOf(mail.raw)).toContain(`http://replyby.test/portal/tickets/${number}`);
    // Its sign-in link (written by the statement that read the ticket) signs the requester in on that ticket's page.
    const follow = /http:\/\/replyby\.test(\/api\/v1\/portal\/magic\/rbm_[A-Za-z0-9_-]+)/.exec(bodyOf(mail.raw).replace(/=\r?\n/g, ''))?.[1];
    expect(follow).toBeDefined();
    const opened = await t.app.inject({ method: 'GET', url: follow ?? '' });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/portal/tickets/${number}`);
    const job = await outboxRow('mail.acknowledgement');
    expect(job).toMatchObject({ attempts: 1, last_error: null, locked_until: null });
    expect(job.done_at).not.toBeNull();
    // Done jobs are not sent again.
    expect(await runDueJobs(t.ctx, sendMail)).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("an agent's public reply is mailed to the requester; an internal note is not", async () => {
    await t.call('POST', `/api/v1/tickets/${number}/messages`, agent, { body: 'Only for us: check the courier', kind: 'internal' });
    expect(await runDueJobs(t.ctx, sendMail)).toBe(0);
    const res = await t.call('POST', `/api/v1/tickets/${number}/messages`, agent, { body: 'We have asked the courier to trace it.' });
    expect(res.status).toBe(201);
    expect(await runDueJobs(t.ctx, sendMail)).toBe(1);
    expect(received).toHaveLength(2);
    const mail = received[1]!;
    expect(mail.to).toEqual(['rita@example.org']);
    expect(mail.subject).toContain(`#${number}`);
    expect(mail.subject).toMatch(/^Re: /);
    expect(bodyOf(mail.raw)).toContain('We have asked the courier to trace it.');
    expect(received.map((m) => m.raw).join('\n')).not.toContain('Only for us');
  });

  it('a failed send stays in the outbox, is retried later with backoff, and is delivered then', async () => {
    refuseRecipients = true;
    await t.call('POST', `/api/v1/tickets/${number}/messages`, agent, { body: 'Update: the parcel was found.' });
    const before = t.clock.now.getTime();
    expect(await runDueJobs(t.ctx, sendMail)).toBe(1);
    expect(received).toHaveLength(2);
    const failed = await outboxRow('mail.agent_reply');
    expect(failed.done_at).toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toMatch(/451|unavailable/);
    expect(failed.locked_until).toBeNull();
    expect(failed.run_at.getTime()).toBeGreaterThan(before);

    // Not due yet: nothing is claimed and the attempt count holds.
    expect(await runDueJobs(t.ctx, sendMail)).toBe(0);
    expect((await outboxRow('mail.agent_reply')).attempts).toBe(1);

    // Due again, and still failing: the next retry waits longer.
    t.clock.set(failed.run_at.toISOString());
    expect(await runDueJobs(t.ctx, sendMail)).toBe(1);
    const second = await outboxRow('mail.agent_reply');
    expect(second).toMatchObject({ attempts: 2, done_at: null });
    expect(second.run_at.getTime() - t.clock.now.getTime()).toBeGreaterThan(failed.run_at.getTime() - before);

    // The server recovers; the job goes through once.
    refuseRecipients = false;
    t.clock.set(second.run_at.toISOString());
    expect(await runDueJobs(t.ctx, sendMail)).toBe(1);
    expect(received).toHaveLength(3);
    expect(bodyOf(received[2]!.raw)).toContain('Update: the parcel was found.');
    const done = await outboxRow('mail.agent_reply');
    expect(done).toMatchObject({ attempts: 3, last_error: null });
    expect(done.done_at).not.toBeNull();
    expect(await runDueJobs(t.ctx, sendMail)).toBe(0);
    expect(received).toHaveLength(3);
  });

  it('a magic-link request mails a working sign-in link', async () => {
    const res = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'rita@example.org' });
    expect(res.status).toBe(202);
    expect(await runDueJobs(t.ctx, sendMail)).toBe(1);
    const mail = received.at(-1)!;
    expect(mail.to).toEqual(['rita@example.org']);
    const link = /http:\/\/replyby\.test(\/api\/v1\/portal\/magic\/rbm_[A-Za-z0-9_-]+)/.exec(bodyOf(mail.raw))?.[1];
    expect(link).toBeDefined();
    const open = await t.app.inject({ method: 'GET', url: link ?? '' });
    expect(open.statusCode).toBe(303);
    expect(open.cookies.map((c) => c.name)).toContain('rb_session');
  });

  it("customers' mails go out side by side, but one ticket's acknowledgement always before its reply", async () => {
    const before = received.length;
    const a = await t.call('POST', '/api/v1/public/requests', null, { name: 'Ann', email: 'ann@example.org', subject: 'Order A', message: 'Where is it?' });
    const b = await t.call('POST', '/api/v1/public/requests', null, { name: 'Bob', email: 'bob@example.org', subject: 'Order B', message: 'Where is it?' });
    await t.call('POST', `/api/v1/tickets/${a.body.number}/messages`, agent, { body: 'On its way, Ann.' });
    // Ann's acknowledgement is slow to send: Bob's must not wait behind it, Ann's reply must.
    const started: string[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => { releaseSlow = resolve; });
    const gated: SendMail = async (mail) => {
      started.push(`${mail.to}:${mail.subject}`);
      if (mail.to === 'ann@example.org' && !/^Re: /.test(mail.subject)) {
        // Let the other lane start first, then finish.
        await new Promise((r) => setTimeout(r, 50));
        await slow;
      }
      await sendMail(mail);
    };
    const running = runDueJobs(t.ctx, gated);
    for (let i = 0; i < 200 && !started.some((s) => s.startsWith('bob@')); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(started.some((s) => s.startsWith('bob@'))).toBe(true);
    expect(started.filter((s) => s.startsWith('ann@'))).toHaveLength(1);
    releaseSlow();
    expect(await running).toBe(3);
    const ann = received.slice(before).filter((m) => m.to.includes('ann@example.org')).map((m) => m.subject);
    expect(ann).toHaveLength(2);
    expect(ann[0]).not.toMatch(/^Re: /);
    expect(ann[1]).toMatch(/^Re: /);
  });

});
