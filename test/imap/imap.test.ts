import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollImapOnce, startImapPoller } from '../../src/channels/imap-poller.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { startDovecot, type Dovecot } from './dovecot.ts';

// IMAP intake against a real dovecot on loopback (`npm run test:imap`; CI installs dovecot-imapd).

let t: TestApp;
let dovecot: Dovecot;
let url = '';
const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/email', name));

const withClient = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
  const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout();
  }
};
const unseen = () => withClient(async (c) => {
  const status = await c.status('INBOX', { unseen: true });
  return status ? status.unseen : -1;
});
const inboundCount = async () => (await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_mail WHERE source LIKE 'imap:%'"))[0]?.n ?? 0;

beforeAll(async () => {
  t = await startTestApp();
  dovecot = await startDovecot();
  url = `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/INBOX`;
  const admin = await t.signIn('admin@test.dev');
  expect((await t.call('POST', '/api/v1/email/support-addresses', admin, { address: 'help@replyby.test', language: 'ru' })).status).toBe(201);
});
afterAll(async () => {
  await dovecot?.close();
  await t?.close();
});

describe('IMAP mailbox', () => {
  it('takes every unseen mail, applies it, and marks it seen only then; a second pass finds nothing', async () => {
    await withClient(async (c) => {
      await c.append('INBOX', fixture('cyrillic-koi8r.eml'));
      await c.append('INBOX', 'From: imap-user@example.org\r\nTo: help@replyby.test\r\nSubject: Over IMAP\r\nMessage-ID: <imap.1@example.org>\r\n\r\nHello from an IMAP mailbox, please help.\r\n');
      // The same mail again (a client that saved it twice): kept, recorded as a duplicate.
      await c.append('INBOX', 'From: imap-user@example.org\r\nTo: help@replyby.test\r\nSubject: Over IMAP\r\nMessage-ID: <imap.1@example.org>\r\n\r\nHello from an IMAP mailbox, please help.\r\n');
    });
    expect(await unseen()).toBe(3);
    expect(await pollImapOnce(t.ctx, { url, maxBytes: 1024 * 1024 })).toBe(3);
    expect(await unseen()).toBe(0);
    const rows = await t.ctx.db.query<{ status: string; subject: string | null }>(
      "SELECT i.status, t.subject FROM inbound_mail i LEFT JOIN tickets t ON t.id = i.ticket_id WHERE i.source LIKE 'imap:%' ORDER BY i.received_at, i.id");
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'ticket_created', 'ticket_created']);
    expect(rows.map((r) => r.subject)).toContain('Не могу войти');
    expect(await pollImapOnce(t.ctx, { url, maxBytes: 1024 * 1024 })).toBe(0);
  });

  it('a long-lived connection picks up new mail as it arrives (IDLE)', async () => {
    const before = await inboundCount();
    const poller = startImapPoller(t.ctx, { url, maxBytes: 1024 * 1024, pollMs: 600_000 });
    try {
      await new Promise((r) => setTimeout(r, 500));
      await withClient((c) => c.append('INBOX', 'From: idle@example.org\r\nTo: help@replyby.test\r\nSubject: Pushed\r\nMessage-ID: <idle.1@example.org>\r\n\r\nArrived while idling.\r\n'));
      for (let i = 0; i < 100 && (await inboundCount()) === before; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(await inboundCount()).toBe(before + 1);
      for (let i = 0; i < 50 && (await unseen()) !== 0; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(await unseen()).toBe(0);
    } finally {
      await poller.stop();
    }
  });
});
