import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONITOR_CHANNEL } from '../../src/app/monitor/sync-sla-clocks.ts';
import { freePort, schemaDatabaseUrl, spawnReplyby, type ReplybyProcess } from '../helpers/replyby-process.ts';
import { seedDueClocks } from '../helpers/seed-due-clocks.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.ts';

// Issue 17 point 5: the documented production layout on one PostgreSQL — two `replyby start` processes
// with REPLYBY_ROLES=web (HTTP and the SMTP listener, each on its own ports) and two `replyby worker`
// processes (outbox, SLA monitor, sweeps) — under intake load on both web processes at once:
// - tickets over the API and the public web form, and mails to both SMTP listeners, a few of them the
//   same mail delivered to both at once (an MTA retrying at a second MX);
// - every intake ticket's SLA policy warns 6 s after it is created, and tickets seeded with their clocks
//   nearly run out warn at once and breach (with an escalation level) during the load, for the workers' monitors;
// - the Support group routes automatically, and two agents get more capacity in the middle of the load
//   (filled from the queue by the second web process while both assign new tickets);
// - one worker is SIGKILLed half-way and a fresh one started.
// Then: every ticket acknowledged with 201 exists exactly once under a unique number; every customer
// got exactly one acknowledgement (repeats of one Message-ID after the kill are delivery at least once,
// bounded by the killed worker's lanes); every SLA action was recorded once and mailed to each
// recipient once; the outbox is empty with no dead letters; no ticket was assigned twice and no agent
// is over capacity. The waits poll until everything arrived, so a slow host is later, not flaky.

const API_TICKETS = 120;
const FORM_TICKETS = 120;
const MAILS = 24;
/** Mails delivered to both listeners at once (same Message-ID): one ticket each. */
const TWICE = 6;
const SEEDED = 120;
const AGENTS = 5;
const CAPACITY = 20;
const RAISE = 15;
/** Requests in flight at once, across both web processes. */
const CONCURRENCY = 12;
/** The outbox worker's lanes (jobs/outbox-worker.ts): the killed worker had at most this many sends in flight. */
const LANES = 16;
const WARNING_MS = 6_000;
const TARGET_MS = 60_000;
const PUBLIC_URL = 'http://replyby.test';
const SUPPORT = 'help@replyby.test';

let t: TestApp;
let sink: SmtpSink;
let databaseUrl = '';
const procs: ReplybyProcess[] = [];
const webs: { http: string; smtpPort: number }[] = [];

// Mail authentication off: the test's senders (mail.example over loopback) have no DNS records, so SPF/DKIM/DMARC
// would rightly mark them unverified and send them no acknowledgement; this test is about processes, not senders
// (test/mail-auth.test.ts covers those).
const common = () => ({ DATABASE_URL: databaseUrl, REPLYBY_PUBLIC_URL: PUBLIC_URL, REPLYBY_SEED_DEMO: '0', LOG_LEVEL: 'warn', REPLYBY_MAIL_AUTH: '0' });

function webProcess(port: number, smtpPort: number): ReplybyProcess {
  const p = spawnReplyby('start', {
    ...common(), REPLYBY_ROLES: 'web', PORT: String(port), HOST: '127.0.0.1', REPLYBY_SMTP_PORT: String(smtpPort), REPLYBY_SMTP_HOST: '127.0.0.1',
    REPLYBY_SUPPORT_ADDRESS: SUPPORT, REPLYBY_RATE_LIMIT_PUBLIC: '100000',
  });
  procs.push(p);
  return p;
}

function workerProcess(): ReplybyProcess {
  const p = spawnReplyby('worker', { ...common(), REPLYBY_SMTP_URL: sink.url, REPLYBY_DIGEST_WINDOW_SECONDS: '0', REPLYBY_OUTBOX_LOCK_SECONDS: '10' });
  procs.push(p);
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(base: string, url: string, body: unknown, token?: string, method = 'POST'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, {
    method, body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // kept as text for the failure message
  }
  return { status: res.status, body: parsed };
}

let supToken = '';
let policyId = '';
const agentIds: string[] = [];

beforeAll(async () => {
  // Migrated and seeded once, before any process starts (the processes' own migrate finds nothing to do).
  t = await startTestApp();
  t.ctx.now = () => new Date();
  const [row] = await t.ctx.db.query<{ s: string }>('SELECT current_schema() AS s');
  databaseUrl = schemaDatabaseUrl(row?.s ?? '');
  sink = await startSmtpSink();

  supToken = await t.signIn('super@test.dev');
  const policy = await t.call('POST', '/api/v1/sla/policies', supToken, {
    name: 'Fast', metrics: [{ name: 'first_response', target_minutes: TARGET_MS / 60_000, clock: 'calendar', warn_at_percent: [(WARNING_MS * 100) / TARGET_MS] }],
    escalations: [{ after_minutes: 0, action: 'notify_admin' }],
  });
  expect(policy.status).toBe(201);
  policyId = policy.body.id;
  const support = t.fixtures.groups.support;
  expect((await t.call('PATCH', `/api/v1/groups/${support}/routing`, supToken, { assignment_mode: 'round_robin' })).status).toBe(200);
  agentIds.push(t.fixtures.users.agentSupport);
  for (let i = 1; i < AGENTS; i++) {
    const u = await t.call('POST', '/api/v1/users', supToken, { email: `agent${i}@test.dev`, name: `Agent ${i}`, password: PASSWORD, group_ids: [support] });
    expect(u.status).toBe(201);
    agentIds.push(u.body.id);
  }
  for (const id of agentIds) expect((await t.call('PATCH', `/api/v1/routing/agents/${id}`, supToken, { capacity: CAPACITY, availability: 'online' })).status).toBe(200);

  for (let i = 0; i < 2; i++) webs.push({ http: `http://127.0.0.1:${await freePort()}`, smtpPort: await freePort() });
  const started = [...webs.map((w) => webProcess(Number(new URL(w.http).port), w.smtpPort)), workerProcess(), workerProcess()];
  await Promise.all(started.map((p) => p.ready));
}, 180_000);

afterAll(async () => {
  for (const p of procs) p.kill();
  await Promise.all(procs.map((p) => p.exited));
  await sink?.close();
  await t?.close();
});

type Outcome = { kind: 'api' | 'form' | 'mail' | 'twice'; email: string; status: number | string; number: number | null; via: number };

describe('two web and two worker processes on one PostgreSQL', () => {
  it('lose, repeat and double-fire nothing under intake load through a worker SIGKILL', async () => {
    const started = Date.now();
    const count = async (sql: string, params: unknown[] = []) => Number((await t.ctx.db.query<{ n: string }>(sql, params))[0]?.n ?? 0);

    // Tickets whose first-response clock has nearly run out: the warning is due at once, the breach (and
    // ladder level 1 with it) over the load's first seconds. Billing's agent handles them, outside routing.
    const firstCreated = Date.now() - TARGET_MS + 5_000;
    await seedDueClocks(t.ctx.db, {
      count: SEEDED, policyId, groupId: t.fixtures.groups.billing, assigneeId: t.fixtures.users.agentBilling,
      firstDue: new Date(firstCreated + WARNING_MS), spacingMs: 8_000 / SEEDED, targetMs: TARGET_MS, warningMs: WARNING_MS, subjectPrefix: 'Overdue ',
    });
    // What intake's sync-sla-clocks sends for a near action (the bulk seed bypasses it).
    await t.ctx.db.query("SELECT pg_notify($1 || '_' || current_schema(), $2)", [MONITOR_CHANNEL, new Date().toISOString()]);

    const mailers = webs.map((w) => nodemailer.createTransport({ host: '127.0.0.1', port: w.smtpPort, secure: false, ignoreTLS: true }));
    const mail = (i: number, kind: 'mail' | 'twice') => ({
      from: `Mail Customer ${i} <${kind}${i}@mail.example>`, to: SUPPORT, subject: `Printer ${kind} ${i} does not print`,
      text: `Hello,\n\nmy printer number ${i} stopped printing this morning.\n\nRegards`, messageId: `<${kind}-${i}-${started}@mail.example>`,
    });
    type Job = () => Promise<Outcome>;
    const jobs: Job[] = [];
    for (let i = 0; i < Math.max(API_TICKETS, FORM_TICKETS, MAILS, TWICE); i++) {
      if (i < API_TICKETS) {
        const via = i % 2;
        const email = `api${i}@customer.example`;
        jobs.push(async () => {
          const r = await post(webs[via]?.http ?? '', '/api/v1/tickets', { subject: `API request ${i}`, message: `Question ${i} about the invoice export.`, requester: { email, name: `API ${i}` } }, supToken);
          return { kind: 'api', email, status: r.status, number: r.status === 201 ? Number(r.body.number) : null, via };
        });
      }
      if (i < FORM_TICKETS) {
        const via = (i + 1) % 2;
        const email = `form${i}@customer.example`;
        jobs.push(async () => {
          const r = await post(webs[via]?.http ?? '', '/api/v1/public/requests', { name: `Form ${i}`, email, subject: `Form request ${i}`, message: `The login page ${i} shows an error.` });
          return { kind: 'form', email, status: r.status, number: r.status === 201 ? Number(r.body.number) : null, via };
        });
      }
      if (i < MAILS) {
        const via = i % 2;
        jobs.push(async () => {
          const m = mail(i, 'mail');
          const status = await mailers[via]?.sendMail(m).then(() => 250, (err: unknown) => String(err)) ?? 'no listener';
          return { kind: 'mail', email: `mail${i}@mail.example`, status, number: null, via };
        });
      }
      if (i < TWICE) {
        jobs.push(async () => {
          const m = mail(i, 'twice');
          const both = await Promise.all(mailers.map((tr) => tr.sendMail(m).then(() => 250, (err: unknown) => String(err))));
          return { kind: 'twice', email: `twice${i}@mail.example`, status: both.every((s) => s === 250) ? 250 : both.join('; '), number: null, via: -1 };
        });
      }
    }

    // The load: CONCURRENCY requests in flight across both web processes; a third of the way in, two
    // agents get more room (one web process fills it from the queue while both assign new tickets);
    // half-way, worker 1 is killed outright and a fresh worker started.
    const outcomes: Outcome[] = [];
    const side: Promise<{ status: number }>[] = [];
    let next = 0;
    let acksAtKill = -1;
    let replacement: ReplybyProcess | null = null;
    const onDone = (done: number) => {
      if (done === Math.floor(jobs.length / 3)) {
        for (const id of agentIds.slice(0, 2)) side.push(post(webs[1]?.http ?? '', `/api/v1/routing/agents/${id}`, { capacity: CAPACITY + RAISE }, supToken, 'PATCH'));
      }
      if (done === Math.floor(jobs.length / 2)) {
        acksAtKill = sink.mails.filter((m) => m.header('message-id').startsWith('<ack.')).length;
        procs[2]?.kill();
        replacement = workerProcess();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) {
        outcomes.push(await job());
        onDone(outcomes.length);
      }
    }));
    const sideResults = await Promise.all(side);
    const loadDone = Date.now();
    for (const m of mailers) m.close();
    expect(replacement).not.toBeNull();
    await (replacement as ReplybyProcess | null)?.ready;

    const customers = new Set(outcomes.map((o) => o.email));
    const ackMails = () => sink.mails.filter((m) => m.header('message-id').startsWith('<ack.'));
    const intakeFilter = "subject NOT LIKE 'Overdue %'";
    const slaEvents = (kind: string, filter: string) => count(`SELECT count(*) AS n FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.kind = $1 AND ${filter}`, [kind]);
    const progress = async () => ({
      acks: new Set(ackMails().map((m) => m.header('message-id'))).size,
      outboxPending: await count('SELECT count(*) AS n FROM outbox WHERE done_at IS NULL'),
      intakeTickets: await count(`SELECT count(*) AS n FROM tickets WHERE ${intakeFilter}`),
      intakeWarnings: await slaEvents('sla_warning', `t.${intakeFilter}`),
      seededEscalations: await slaEvents('sla_escalation', "t.subject LIKE 'Overdue %'"),
      dueClocks: await count('SELECT count(*) AS n FROM sla_clocks WHERE next_action_at <= now()'),
    });
    let state = await progress();
    for (;;) {
      if (process.env.MANY_PROCESSES_VERBOSE) console.log(new Date().toISOString(), state);
      const settled = state.acks >= customers.size && state.outboxPending === 0 && state.intakeWarnings >= state.intakeTickets
        && state.seededEscalations >= SEEDED && state.dueClocks === 0;
      if (settled || Date.now() > loadDone + 90_000) break;
      await sleep(500);
      state = await progress();
    }

    // Every request was answered as accepted: 201 over HTTP, 250 over SMTP (both listeners, for the mails sent twice).
    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 250)).toEqual([]);
    expect(sideResults.map((r) => r.status)).toEqual([200, 200]);
    expect(outcomes).toHaveLength(jobs.length);
    expect(customers.size).toBe(jobs.length);

    // Tickets: every number answered exists once, for its customer; one ticket per customer, none extra.
    const tickets = await t.ctx.db.query<{ id: string; number: number; email: string; channel: string; assignee_id: string | null }>(
      `SELECT t.id, t.number, c.email, t.channel, t.assignee_id FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.${intakeFilter}`);
    const byNumber = new Map(tickets.map((r) => [r.number, r]));
    expect(byNumber.size).toBe(tickets.length);
    const answered = outcomes.filter((o) => o.number !== null);
    expect(answered).toHaveLength(API_TICKETS + FORM_TICKETS);
    expect(answered.filter((o) => byNumber.get(o.number ?? 0)?.email !== o.email)).toEqual([]);
    expect(new Set(answered.map((o) => o.number)).size).toBe(answered.length);
    const perCustomer = new Map<string, number>();
    for (const r of tickets) perCustomer.set(r.email, (perCustomer.get(r.email) ?? 0) + 1);
    expect([...perCustomer].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(perCustomer.keys())).toEqual(customers);
    // Numbers come from one sequence: a gap is a creation rolled back, which only a mail committed by the
    // other listener at the same moment may cause (it is then recorded as a duplicate).
    const all = (await t.ctx.db.query<{ number: number }>('SELECT number FROM tickets ORDER BY number')).map((r) => r.number);
    const gaps = (all.at(-1) ?? 0) - (all[0] ?? 0) + 1 - all.length;
    expect(gaps).toBeLessThanOrEqual(TWICE);
    // Each mail sent to both listeners is stored twice (raw first) and applied once.
    const inbound = await t.ctx.db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM inbound_mail GROUP BY status ORDER BY status');
    expect(inbound.map((r) => [r.status, Number(r.n)])).toEqual([['duplicate', TWICE], ['ticket_created', MAILS + TWICE]]);

    // Acknowledgements: one Message-ID per customer, naming that customer's ticket; a repeat of the same
    // Message-ID (a send in flight when its worker was killed) is bounded by the killed worker's lanes.
    const acks = ackMails();
    const ackIds = new Map<string, Set<string>>();
    for (const m of acks) for (const to of m.to) ackIds.set(to, new Set([...(ackIds.get(to) ?? []), m.header('message-id')]));
    expect([...customers].filter((c) => ackIds.get(c)?.size !== 1)).toEqual([]);
    expect([...ackIds.keys()].filter((to) => !customers.has(to))).toEqual([]);
    const ticketOf = new Map(tickets.map((r) => [r.id, r.email]));
    expect([...ackIds].filter(([to, ids]) => ticketOf.get(/^<ack\.([^@]+)@/.exec([...ids][0] ?? '')?.[1] ?? '') !== to)).toEqual([]);
    const ackRepeats = acks.length - new Set(acks.map((m) => m.header('message-id'))).size;
    expect(ackRepeats).toBeLessThanOrEqual(LANES);
    // The kill did land mid-way: after the first acknowledgements, before the last.
    expect(acksAtKill).toBeGreaterThan(0);
    expect(acksAtKill).toBeLessThan(customers.size);

    // SLA actions: none recorded twice; each intake ticket warned once, each seeded ticket warned, breached and escalated once.
    const dupes = await count(`SELECT count(*) AS n FROM (SELECT ticket_id, kind, after->>'key' FROM ticket_events
      WHERE kind IN ('sla_warning', 'sla_breach', 'sla_escalation') GROUP BY 1, 2, 3 HAVING count(*) > 1) d`);
    expect(dupes).toBe(0);
    const perTicket = await t.ctx.db.query<{ seeded: boolean; kind: string; tickets: string; events: string }>(
      `SELECT t.subject LIKE 'Overdue %' AS seeded, e.kind, count(DISTINCT t.id) AS tickets, count(e.seq) AS events
       FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind IN ('sla_warning', 'sla_breach', 'sla_escalation')
       GROUP BY 1, 2 ORDER BY 1, 2`);
    const slaCount = (seeded: boolean, kind: string) => perTicket.find((r) => r.seeded === seeded && r.kind === kind);
    expect(Number(slaCount(false, 'sla_warning')?.tickets)).toBe(tickets.length);
    expect(Number(slaCount(false, 'sla_warning')?.events)).toBe(tickets.length);
    for (const kind of ['sla_warning', 'sla_breach', 'sla_escalation']) {
      expect([kind, Number(slaCount(true, kind)?.tickets), Number(slaCount(true, kind)?.events)]).toEqual([kind, SEEDED, SEEDED]);
    }
    expect(state.dueClocks).toBe(0);

    // Notifications: one per recipient and action, each mailed to its recipient in exactly one message
    // (digests carry several; a repeat of one Message-ID counts once).
    const notes = await t.ctx.db.query<{ email: string; title: string }>('SELECT u.email, n.title FROM notifications n JOIN users u ON u.id = n.user_id');
    const noteKeys = notes.map((n) => `${n.email}|${n.title}`);
    expect(new Set(noteKeys).size).toBe(noteKeys.length);
    expect(notes.length).toBeGreaterThanOrEqual(tickets.length + 3 * SEEDED);
    const staffMails = new Map<string, { to: string[]; text: string }>();
    for (const m of sink.mails) if (!m.header('message-id').startsWith('<ack.')) staffMails.set(m.header('message-id'), { to: m.to, text: m.parsed.text ?? '' });
    const mailed = new Map<string, number>();
    for (const m of staffMails.values()) {
      for (const line of new Set(m.text.split(/\r?\n/).filter((l) => l.startsWith('SLA ')))) {
        for (const to of m.to) mailed.set(`${to}|${line}`, (mailed.get(`${to}|${line}`) ?? 0) + 1);
      }
    }
    expect(noteKeys.filter((k) => mailed.get(k) !== 1)).toEqual([]);
    const staffRepeats = sink.mails.length - acks.length - staffMails.size;
    expect(staffRepeats).toBeLessThanOrEqual(LANES);

    // The outbox: everything done, no dead letters.
    expect(state.outboxPending).toBe(0);
    expect(await count('SELECT count(*) AS n FROM outbox WHERE failed_at IS NOT NULL')).toBe(0);

    // Routing: no ticket assigned twice, each assignee the one routing chose, no agent over capacity.
    const routed = await t.ctx.db.query<{ ticket_id: string; n: string; last: string }>(
      `SELECT ticket_id, count(*) AS n, (array_agg(after->>'assignee_id' ORDER BY seq DESC))[1] AS last FROM ticket_events
       WHERE kind = 'assignee_changed' AND after->>'by' = 'routing' GROUP BY ticket_id`);
    expect(routed.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const assigneeOf = new Map(tickets.map((r) => [r.id, r.assignee_id]));
    expect(routed.filter((r) => assigneeOf.get(r.ticket_id) !== r.last)).toEqual([]);
    expect(tickets.filter((r) => r.assignee_id !== null).length).toBe(routed.length);
    const loads = await t.ctx.db.query<{ user_id: string; open: string; capacity: number }>(
      `SELECT a.user_id, count(t.id) AS open, a.capacity FROM agent_routing a LEFT JOIN tickets t ON t.assignee_id = a.user_id AND t.status IN ('new', 'open', 'pending', 'on_hold')
       WHERE a.user_id = ANY($1::uuid[]) GROUP BY a.user_id, a.capacity`, [agentIds]);
    expect(loads.filter((l) => Number(l.open) > l.capacity)).toEqual([]);

    // eslint-disable-next-line no-console
    console.log(`many processes: ${tickets.length} intake tickets (${API_TICKETS} API, ${FORM_TICKETS} web form, ${MAILS + TWICE} mails, ${TWICE} of them to both listeners) `
      + `+ ${SEEDED} seeded due; ${routed.length} routed; ${acks.length} acknowledgements (${ackRepeats} repeated by Message-ID, ${acksAtKill} received at the SIGKILL); `
      + `${notes.length} notifications in ${staffMails.size} staff mails (${staffRepeats} repeated); number gaps ${gaps}; load ${((loadDone - started) / 1000).toFixed(1)} s, settled ${((Date.now() - loadDone) / 1000).toFixed(1)} s later`);
  }, 240_000);
});
