import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 9: mailing-list mail (List-Id or List-Unsubscribe, no Precedence header) was
// acknowledged, sign-in link and all. Raw RFC 822 fixtures through the intake use case, then the outbox
// over a real SMTP exchange: the list mail becomes a ticket, and nothing is mailed back to the list.

const DIR = path.resolve(import.meta.dirname, 'fixtures/email-lists');
let t: TestApp;
let sink: SmtpSink;

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});

const intake = (file: string) => receiveMail(t.ctx, { raw: readFileSync(path.join(DIR, file)), source: 'test', envelopeTo: ['help@replyby.test'] });
const ackJobs = async (ticketId: string | null) => Number((await t.ctx.db.query<{ n: string }>(
  "SELECT count(*) AS n FROM outbox WHERE kind = 'mail.acknowledgement' AND payload->>'ticket_id' = $1", [ticketId]))[0]?.n ?? 0);

describe('mailing-list mail', () => {
  it.each([
    ['list-id-only.eml', 'dev@lists.example', 'list-id'],
    ['list-unsubscribe-only.eml', 'news@shop.example', 'list-unsubscribe'],
  ])('%s is stored as a ticket but never acknowledged', async (file, sender, header) => {
    const outcome = await intake(file);
    expect(outcome).toMatchObject({ status: 'ticket_created', acknowledged: false });
    expect(outcome.note).toContain(`mailing list (${header})`);
    expect(await ackJobs(outcome.ticketId)).toBe(0);
    const [stored] = await t.ctx.db.query<{ acknowledged: boolean; subject: string }>(
      'SELECT i.acknowledged, t.subject FROM inbound_mail i JOIN tickets t ON t.id = i.ticket_id WHERE i.id = $1', [outcome.id]);
    expect(stored?.acknowledged).toBe(false);
    expect(stored?.subject).toBeTruthy();
    await runDueJobs(t.ctx, createMailer(sink.url, 'Support <help@replyby.test>', t.ctx.log));
    expect(sink.mails.filter((m) => m.to.includes(sender))).toEqual([]);
  });

  it('the same kind of mail from a person (no List-* header) is acknowledged', async () => {
    const outcome = await intake('person.eml');
    expect(outcome).toMatchObject({ status: 'ticket_created', acknowledged: true, note: null });
    expect(await ackJobs(outcome.ticketId)).toBe(1);
    await runDueJobs(t.ctx, createMailer(sink.url, 'Support <help@replyby.test>', t.ctx.log));
    expect(sink.mails.filter((m) => m.to.includes('anna.person@customer.example'))).toHaveLength(1);
  });
});
