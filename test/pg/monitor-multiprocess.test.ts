import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONITOR_CHANNEL } from '../../src/app/monitor/sync-sla-clocks.ts';
import { schemaDatabaseUrl, spawnReplyby, type ReplybyProcess } from '../helpers/replyby-process.ts';
import { seedDueClocks } from '../helpers/seed-due-clocks.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Three real `replyby worker` processes on one PostgreSQL schema, 2,000 tickets whose clocks come due
// within about a minute (1-minute first-response target, warning at 50 %, escalation level 1 at the
// breach): warnings from +10 s to +40 s, breaches and escalations from +40 s to +70 s. One worker is
// SIGKILLed mid-way and a new one started.
//
// What is asserted:
// - in the database: every warning, breach and escalation event exists, and no (ticket, kind, action key)
//   twice — recorded exactly once;
// - webhook receiver: it accepts a POST as new only if its X-Replyby-Delivery id is new (the body's `id`
//   must equal it); exactly one accepted delivery per action, and no action under two delivery ids.
//   A POST repeating an id already accepted (a worker killed after sending, before marking the job
//   done: delivery is at least once) is counted as a repeat, not as a delivery;
// - SMTP sink: it accepts a message as new only if its Message-ID is new (repeats counted likewise);
//   every notification's title appears in exactly one accepted message (digests carry several), and
//   no accepted message mentions an action twice.
// The timeline is relative to when seeding finished, and the waits end as soon as everything arrived,
// so a slow host makes it later, not flaky; on a failure the counts say what is missing.

const TICKETS = Number(process.env.MONITOR_MP_TICKETS ?? 2000);
const EXPECTED = TICKETS * 3;

let t: TestApp;
let schema = '';
let smtp: SMTPServer;
let smtpPort = 0;
let hooks: http.Server;
let hookUrl = '';
const mails = new Map<string, string>(); // Message-ID → body
const deliveries = new Map<string, { event: string; ticket_id: string; key: string }>();
let mailRepeats = 0;
let hookRepeats = 0;
let badHooks = 0;
const procs: ReplybyProcess[] = [];

const bodyOf = (raw: string): string => raw.split(/\r?\n\r?\n/).slice(1).join('\n\n').replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const messageId = (raw: string): string => /^Message-ID:\s*(.*)$/mi.exec(raw.split(/\r?\n\r?\n/)[0] ?? '')?.[1]?.trim() ?? '';

function worker(): ReplybyProcess {
  const child = spawnReplyby('worker', {
    DATABASE_URL: schemaDatabaseUrl(schema), REPLYBY_SKIP_MIGRATIONS: '1', REPLYBY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    REPLYBY_ALLOW_PRIVATE_URLS: '1', REPLYBY_DIGEST_WINDOW_SECONDS: '0', REPLYBY_OUTBOX_LOCK_SECONDS: '15', LOG_LEVEL: 'warn', REPLYBY_MONITOR_CONCURRENCY: '3',
  });
  procs.push(child);
  return child;
}

beforeAll(async () => {
  t = await startTestApp();
  const [row] = await t.ctx.db.query<{ s: string }>('SELECT current_schema() AS s');
  schema = row?.s ?? '';
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = messageId(raw);
        if (mails.has(id)) mailRepeats += 1;
        else mails.set(id, bodyOf(raw));
        callback();
      });
    },
  });
  // A worker killed mid-conversation resets its socket; the sink must outlive that, as a real MTA does.
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  hooks = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['x-replyby-delivery']);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (body.id !== id) badHooks += 1;
      if (deliveries.has(id)) hookRepeats += 1;
      else deliveries.set(id, { event: body.event, ticket_id: body.ticket_id, key: body.data.key });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  for (const p of procs) p.kill();
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => hooks.close(() => r()));
  await t.close();
});

describe('SLA monitor on three processes', () => {
  it('records and delivers every action exactly once through a SIGKILL', async () => {
    t.ctx.now = () => new Date();
    t.ctx.settings.allowPrivateUrls = true;
    const sup = await t.signIn('super@test.dev');
    const admin = await t.signIn('admin@test.dev');
    expect((await t.call('POST', '/api/v1/webhooks', admin, { url: hookUrl })).status).toBe(201);
    const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: 'Fast', metrics: [{ name: 'first_response', target_minutes: 1, warn_at_percent: [50] }], escalations: [{ after_minutes: 0, action: 'notify_admin' }],
    });
    expect(policy.status).toBe(201);
    await t.ctx.db.query("UPDATE outbox SET done_at = now() WHERE kind = 'sla.recompute_open'");
    await Promise.all([worker(), worker(), worker()].map((w) => w.ready));

    // Warnings come due over 30 s starting in 10 s, breaches (and the ladder level with them) 30 s after each.
    const firstDue = new Date(Date.now() + 10_000);
    await seedDueClocks(t.ctx.db, {
      count: TICKETS, policyId: policy.body.id, groupId: t.fixtures.groups.support, assigneeId: t.fixtures.users.agentSupport,
      firstDue, spacingMs: 30_000 / TICKETS, targetMs: 60_000, warningMs: 30_000, subjectPrefix: 'Load ',
    });
    // What intake's sync-sla-clocks sends for a near action (the bulk seed bypasses it).
    await t.ctx.db.query("SELECT pg_notify($1 || '_' || current_schema(), $2)", [MONITOR_CHANNEL, firstDue.toISOString()]);
    const lastDue = firstDue.getTime() + 60_000;

    const count = async (sql: string) => Number((await t.ctx.db.query<{ n: string }>(sql))[0]?.n ?? 0);
    const recorded = () => count("SELECT count(*) AS n FROM ticket_events WHERE kind IN ('sla_warning', 'sla_breach', 'sla_escalation')");
    // Mid-way through (a third of the actions recorded): kill one worker outright, start a new one.
    let atKill = await recorded();
    while (atKill < EXPECTED / 3 && Date.now() < lastDue + 60_000) {
      await new Promise((r) => setTimeout(r, 200));
      atKill = await recorded();
    }
    procs[0]?.kill();
    await new Promise((r) => setTimeout(r, 2000));
    worker();

    // Done when every action is recorded and delivered; give up 100 s after the last one came due.
    for (;;) {
      const pending = await count('SELECT count(*) AS n FROM outbox WHERE done_at IS NULL');
      if (process.env.MONITOR_MP_VERBOSE) console.log(new Date().toISOString(), { recorded: await recorded(), pending, deliveries: deliveries.size, mails: mails.size });
      if ((await recorded() >= EXPECTED && pending === 0 && deliveries.size >= EXPECTED) || Date.now() > lastDue + 100_000) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // The kill did land mid-way (not before the first action nor after the last).
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(EXPECTED);

    const dupes = await count(`SELECT count(*) AS n FROM (SELECT ticket_id, kind, after->>'key' FROM ticket_events
      WHERE kind IN ('sla_warning', 'sla_breach', 'sla_escalation') GROUP BY 1, 2, 3 HAVING count(*) > 1) d`);
    expect(dupes).toBe(0);
    const byKind = await t.ctx.db.query<{ kind: string; n: string }>(
      "SELECT kind, count(*) AS n FROM ticket_events WHERE kind IN ('sla_warning', 'sla_breach', 'sla_escalation') GROUP BY kind ORDER BY kind");
    expect(byKind.map((r) => [r.kind, Number(r.n)])).toEqual([['sla_breach', TICKETS], ['sla_escalation', TICKETS], ['sla_warning', TICKETS]]);

    // Webhooks: one delivery per action, none for the same action under two delivery ids.
    const actions = new Set([...deliveries.values()].map((d) => `${d.ticket_id}|${d.key}`));
    expect(deliveries.size).toBe(EXPECTED);
    expect(actions.size).toBe(EXPECTED);
    expect(badHooks).toBe(0);

    // E-mail: every notification's title appears in exactly one distinct message.
    const titles = (await t.ctx.db.query<{ title: string }>('SELECT title FROM notifications')).map((r) => r.title);
    expect(titles).toHaveLength(EXPECTED);
    const seen = new Map<string, number>();
    let repeatedWithin = 0;
    for (const body of mails.values()) {
      const lines = body.split(/\r?\n/).filter((line) => line.startsWith('SLA '));
      if (new Set(lines).size !== lines.length) repeatedWithin += 1;
      for (const line of lines) seen.set(line, (seen.get(line) ?? 0) + 1);
    }
    expect(repeatedWithin).toBe(0);
    expect(titles.filter((title) => seen.get(title) !== 1)).toEqual([]);
    expect(seen.size).toBe(EXPECTED);
    // eslint-disable-next-line no-console
    console.log(`monitor multi-process: ${TICKETS} tickets, ${EXPECTED} actions (${atKill} recorded at the SIGKILL); ${mails.size} mails, ${deliveries.size} webhook deliveries; repeats dropped by id: mail ${mailRepeats}, webhook ${hookRepeats}`);
  }, 300_000);
});
