// npm run bench:peer — Replyby against a peer, Request Tracker 5 (Debian's packages), under the same load.
//
// Setup (once per run):
//   * bench/peer/setup-rt.sh installs request-tracker5 + rt5-db-postgresql + rt5-standalone (Starlet) from Debian if
//     missing (needs root), writes RT's site config and creates RT's database PEER_RT_DB with rt-setup-database;
//     the bench drops that database first, so every run starts from RT's own fresh install;
//   * Replyby: a fresh database PEER_REPLYBY_DB, the real server (`node bin/replyby.mjs start`, demo seed) migrates it;
//   * both get PEER_TICKETS (default 100,000) tickets bulk-inserted with generate_series (not through either
//     system's API: the queue page measures reading), 80 % of them active, for five requesters, then ANALYZE.
// Rounds (PEER_ROUNDS, default 3): RT, then Replyby, never both servers up at once. Per system and round:
//   1. start the server (RT: rt-server with Starlet, PEER_RT_WORKERS=4 workers; Replyby: `replyby start`, one
//      process, web and worker roles), sign in, a short warm-up of every measured request (RT's Mason compiles
//      each page once per worker);
//   2. open queue page, PEER_QUEUE_SAMPLES (default 60) sequential samples. RT: GET /Search/Results.html for
//      Queue = 'General' AND Status = '__Active__' (RT's default format, 50 rows, server-rendered with its count).
//      Replyby: what the agent's queue screen fetches, the HTML shell and then, at once, the first 50 open tickets
//      (GET /api/v1/tickets?view=all_open&sort=due&limit=50), the view counts and the saved views;
//   3. ticket creation over HTTP, PEER_CREATE_S (default 15) seconds at each of 1, 8 and 32 connections (autocannon),
//      subject + a ~500-byte body + a requester from a pool of 300 addresses. RT: POST /REST/2.0/ticket, Replyby:
//      POST /api/v1/tickets, both authenticated by the session cookie / token of one sign-in (RT's basic auth and
//      auth tokens run bcrypt on every request, which would measure password hashing, not ticket creation);
//   4. mail intake, the same raw messages at PEER_MAIL_CONCURRENCY (default 8) for PEER_MAIL_S (default 20) seconds.
//      RT: one `rt-mailgate --action correspond --queue General` process per message, as an MTA runs it; Replyby:
//      SMTP to its listener (one pooled connection per lane). Counted: messages accepted per second, and checked
//      afterwards that every accepted message made a ticket.
// Both systems acknowledge new tickets by mail: RT renders its autoreply into an mbox file ($MailCommand 'mbox'),
// Replyby's worker sends its acknowledgement to an SMTP sink in this process.
// Last line: peer-bench: create_ratio=X mail_ratio=Y queue_ratio=Z  (Replyby ÷ RT, higher = Replyby better;
// create/mail: throughput ratio, create being the geometric mean over the three concurrencies; queue: RT's p50 ÷
// Replyby's p50). Not part of CI. Needs root (apt-get), Debian 12 and PostgreSQL on BENCH_PG_ADMIN_URL with trust
// auth for the `postgres` role.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { databaseUrlFor, dropDatabase, recreateDatabase } from './lib/pg-database.ts';
import { freePort, REPO_ROOT, signIn, startServer, type ServerHandle } from './lib/server-process.ts';
import { SEED_TICKETS_SQL } from './lib/seed-tickets.ts';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

const ROUNDS = Math.max(1, Math.round(envNumber('PEER_ROUNDS', 3)));
const TICKETS = Math.round(envNumber('PEER_TICKETS', 100_000));
const CREATE_S = envNumber('PEER_CREATE_S', 15);
const CONCURRENCIES = (process.env.PEER_CREATE_CONCURRENCY ?? '1,8,32').split(',').map(Number);
const MAIL_S = envNumber('PEER_MAIL_S', 20);
const MAIL_CONCURRENCY = Math.max(1, Math.round(envNumber('PEER_MAIL_CONCURRENCY', 8)));
const QUEUE_SAMPLES = Math.max(1, Math.round(envNumber('PEER_QUEUE_SAMPLES', 60)));
const RT_WORKERS = Math.max(1, Math.round(envNumber('PEER_RT_WORKERS', 4)));
const RT_PORT = Math.round(envNumber('PEER_RT_PORT', 8091));
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RT_DB = process.env.PEER_RT_DB ?? 'peer_rt';
const REPLYBY_DB = process.env.PEER_REPLYBY_DB ?? 'peer_replyby';
const KEEP = process.env.PEER_KEEP_DATABASES === '1';

const RT_URL = `http://127.0.0.1:${RT_PORT}`;
const RT_SERVER = '/usr/share/request-tracker5/libexec/rt-server';
const RT_MAILGATE = '/usr/bin/rt-mailgate-5';
const RT_MBOX_DIR = '/var/lib/request-tracker5';
const SUPPORT = 'support@bench.example';
const AGENT = { email: 'alex@demo.replyby.dev', password: 'demo1234' };
const REQUESTERS = 300;
const requester = (i: number) => `peer-customer${i % REQUESTERS}@customers${i % 7}.example`;
// Five requesters own the seeded tickets on both sides (Replyby's shared seed uses the demo's first five contacts).
const SEED_REQUESTERS = Array.from({ length: 5 }, (_, i) => `peer-seed${i}@customers.example`);
const BODY = [
  'Hello support team,',
  'since this morning our invoices export stops at 50 % and the browser shows a spinner forever. We tried two',
  'browsers (Firefox and Chrome), cleared the cache and signed out and in again; the export worked last week and',
  'nothing changed on our side as far as we know. It is the monthly export our accountant needs by Friday, so it',
  'is getting a bit urgent. Could you have a look, or tell us how to get the file another way in the meantime?',
  'Thanks, and best regards, the finance team',
].join('\n');

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};
const median = (xs: number[]) => pct(xs, 0.5);
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function sql<T extends pg.QueryResultRow>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrlFor(ADMIN_URL, database) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

function rawMail(id: string, i: number): string {
  return [
    `From: Customer ${i % REQUESTERS} <${requester(i)}>`,
    `To: ${SUPPORT}`,
    `Subject: Mail bench ${id}: export stops halfway`,
    `Message-ID: <${id}@peer-bench.example>`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    BODY,
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The two systems behind one interface

type Session = { cookie?: string; token?: string };

type System = {
  name: 'rt' | 'replyby';
  start: () => Promise<void>;
  stop: () => Promise<void>;
  signIn: () => Promise<Session>;
  createRequest: (s: Session, i: number, phase: string) => { path: string; headers: Record<string, string>; body: string };
  createdStatus: number;
  baseUrl: () => string;
  /** One open-queue page as its screen loads it; resolves when everything needed is in. `check`: also verify it
   * shows 50 tickets, seeded requesters among them (done on warm-up samples only, outside the timed ones). */
  queuePage: (s: Session, check?: boolean) => Promise<void>;
  /** Sends the messages at `concurrency`; returns how many it sent and how many were refused. */
  mail: (ids: string[], concurrency: number) => Promise<{ sent: number; refused: number; seconds: number; firstRefusal?: string }>;
  /** Tickets whose subject starts with the prefix. */
  countTickets: (subjectPrefix: string) => Promise<number>;
  totalTickets: () => Promise<number>;
};

async function fetchOk(url: string, init: RequestInit, what: string): Promise<string> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return text;
}

/** Runs one(i) on `concurrency` lanes until the budget is spent; returns how many were started. */
async function lanes(concurrency: number, budgetMs: number, one: (i: number) => Promise<void>, limit = Infinity): Promise<number> {
  let next = 0;
  const until = performance.now() + budgetMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < limit && performance.now() < until) await one(next++);
  }));
  return next;
}

function rtSystem(): System {
  let child: ChildProcess | null = null;
  let output = '';
  const q = encodeURIComponent("Queue = 'General' AND Status = '__Active__'");
  return {
    name: 'rt',
    createdStatus: 201,
    baseUrl: () => RT_URL,
    async start() {
      child = spawn(RT_SERVER, ['--port', String(RT_PORT), '--host', '127.0.0.1', '--max-workers', String(RT_WORKERS)], {
        stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      });
      const c = child;
      process.on('exit', () => { try { if (c.pid) process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } });
      const keep = (b: Buffer) => { output = (output + b.toString('utf8')).slice(-4000); };
      c.stdout?.on('data', keep);
      c.stderr?.on('data', keep);
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (c.exitCode !== null) throw new Error(`rt-server exited (${c.exitCode}):\n${output}`);
        try {
          const res = await fetch(`${RT_URL}/NoAuth/Login.html`, { signal: AbortSignal.timeout(5000) });
          if (res.ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`rt-server not answering after 120 s:\n${output}`);
        await sleep(250);
      }
    },
    async stop() {
      const c = child;
      child = null;
      if (!c?.pid) return;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      if (c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      try { process.kill(-c.pid, 'SIGKILL'); } catch { /* all gone */ }
    },
    async signIn() {
      const res = await fetch(`${RT_URL}/NoAuth/Login.html`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=root&pass=password',
      });
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('RT_SID_'));
      await res.arrayBuffer();
      if (!cookie) throw new Error(`RT sign-in gave no session cookie (${res.status})`);
      return { cookie };
    },
    createRequest(s, i, phase) {
      return {
        path: '/REST/2.0/ticket',
        headers: { 'content-type': 'application/json', cookie: s.cookie ?? '' },
        body: JSON.stringify({ Queue: 'General', Subject: `Create bench ${phase}-${i}: export stops halfway`, Requestor: requester(i), Content: BODY, ContentType: 'text/plain' }),
      };
    },
    async queuePage(s, check) {
      const html = await fetchOk(`${RT_URL}/Search/Results.html?Query=${q}`, { headers: { cookie: s.cookie ?? '' } }, 'RT search results');
      if (!check) return;
      const ids = new Set([...html.matchAll(/Ticket\/Display\.html\?id=(\d+)/g)].map((m) => m[1]));
      if (ids.size !== 50 || !html.includes('Seeded ticket') || !html.includes('peer-seed')) {
        throw new Error(`RT search results: ${ids.size} tickets, seeded: ${html.includes('Seeded ticket')}, seeded requesters: ${html.includes('peer-seed')}`);
      }
    },
    async mail(ids, concurrency) {
      let refused = 0;
      let firstRefusal: string | undefined;
      const t0 = performance.now();
      const sent = await lanes(concurrency, MAIL_S * 1000, async (i) => {
        const id = ids[i] ?? `m${i}`;
        let stderr = '';
        const code = await new Promise<number | null>((resolve) => {
          const p = spawn(RT_MAILGATE, ['--url', RT_URL, '--queue', 'General', '--action', 'correspond'], { stdio: ['pipe', 'ignore', 'pipe'] });
          p.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
          p.stdin.end(rawMail(id, i));
          p.once('exit', (c) => resolve(c));
        });
        if (code !== 0) {
          refused += 1;
          firstRefusal ??= `rt-mailgate exit ${code}: ${stderr.slice(0, 300)}`;
        }
      }, ids.length);
      return { sent, refused, seconds: (performance.now() - t0) / 1000, firstRefusal };
    },
    async countTickets(prefix) {
      const [row] = await sql<{ n: number }>(RT_DB, 'SELECT count(*)::int AS n FROM tickets WHERE subject LIKE $1', [`${prefix}%`]);
      return row?.n ?? 0;
    },
    async totalTickets() {
      const [row] = await sql<{ n: number }>(RT_DB, 'SELECT count(*)::int AS n FROM tickets');
      return row?.n ?? 0;
    },
  };
}

/** An SMTP sink for Replyby's acknowledgements (RT writes its autoreplies to an mbox file). */
async function startSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false, maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => { received += 1; callback(); });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function replybySystem(sinkUrl: string): System {
  let server: ServerHandle | null = null;
  let smtpPort = 0;
  const env = () => ({
    DATABASE_URL: databaseUrlFor(ADMIN_URL, REPLYBY_DB), REPLYBY_SEED_DEMO: '1', LOG_LEVEL: 'warn',
    REPLYBY_PUBLIC_URL: 'http://bench.example', REPLYBY_SUPPORT_ADDRESS: SUPPORT, REPLYBY_SMTP_URL: sinkUrl,
    REPLYBY_MAIL_FROM: `Support <${SUPPORT}>`, REPLYBY_SMTP_PORT: String(smtpPort), REPLYBY_SMTP_HOST: '127.0.0.1', REPLYBY_MAIL_AUTH: '0',
    // RT autoreplies to every new ticket; so does Replyby here (its default limits acknowledgements per sender).
    REPLYBY_ACK_PER_SENDER_PER_HOUR: '10000', REPLYBY_RATE_LIMIT_SIGN_IN: '1000', REPLYBY_RATE_LIMIT_PUBLIC: '1000000',
  });
  const auth = (s: Session) => ({ authorization: `Bearer ${s.token ?? ''}` });
  return {
    name: 'replyby',
    createdStatus: 201,
    baseUrl: () => server?.url ?? '',
    async start() {
      smtpPort = await freePort();
      server = await startServer({ env: env() });
    },
    async stop() {
      const s = server;
      server = null;
      if (s) {
        const problems = s.problems.length;
        await s.stop();
        if (problems) log(`    replyby logged ${problems} warning/error lines, first: ${s.problems[0]?.slice(0, 300)}`);
      }
    },
    async signIn() {
      return { token: await signIn(server?.url ?? '', AGENT.email, AGENT.password) };
    },
    createRequest(s, i, phase) {
      return {
        path: '/api/v1/tickets',
        headers: { 'content-type': 'application/json', ...auth(s) },
        body: JSON.stringify({ subject: `Create bench ${phase}-${i}: export stops halfway`, message: BODY, requester: { email: requester(i) } }),
      };
    },
    async queuePage(s, check) {
      const base = server?.url ?? '';
      const shell = await fetchOk(`${base}/`, {}, 'Replyby HTML shell');
      const [list] = await Promise.all([
        fetchOk(`${base}/api/v1/tickets?view=all_open&sort=due&limit=50`, { headers: auth(s) }, 'Replyby queue'),
        fetchOk(`${base}/api/v1/views/counts`, { headers: auth(s) }, 'Replyby view counts'),
        fetchOk(`${base}/api/v1/views/saved`, { headers: auth(s) }, 'Replyby saved views'),
      ]);
      if (!check) return;
      const rows = (JSON.parse(list) as { data: unknown[] }).data.length;
      if (rows !== 50 || !list.includes('Seeded ticket') || !shell.includes('<script')) throw new Error(`Replyby queue: ${rows} tickets, seeded: ${list.includes('Seeded ticket')}`);
    },
    async mail(ids, concurrency) {
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
      let refused = 0;
      let firstRefusal: string | undefined;
      const t0 = performance.now();
      const sent = await lanes(concurrency, MAIL_S * 1000, async (i) => {
        const id = ids[i] ?? `m${i}`;
        try {
          await client.sendMail({ envelope: { from: requester(i), to: [SUPPORT] }, raw: rawMail(id, i) });
        } catch (err) {
          refused += 1;
          firstRefusal ??= err instanceof Error ? err.message : String(err);
          // A refusing server answers at once; do not spin on it (an MTA would queue and retry later).
          await sleep(100);
        }
      }, ids.length);
      const seconds = (performance.now() - t0) / 1000;
      client.close();
      return { sent, refused, seconds, firstRefusal };
    },
    async countTickets(prefix) {
      const [row] = await sql<{ n: number }>(REPLYBY_DB, 'SELECT count(*)::int AS n FROM tickets WHERE subject LIKE $1', [`${prefix}%`]);
      return row?.n ?? 0;
    },
    async totalTickets() {
      const [row] = await sql<{ n: number }>(REPLYBY_DB, 'SELECT count(*)::int AS n FROM tickets');
      return row?.n ?? 0;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding

// RT's rows for one ticket as RT 5.0 writes them (read off a ticket made through REST 2): the ticket, its four role
// groups (each a principal) with the Owner group holding Nobody and the Requestor group holding the requester, the
// cached memberships, the Create transaction and its attachment. Ids are reserved by moving the sequences first.
const RT_SEED_SQL = `
CREATE TEMP TABLE peer_seed AS
  SELECT g,
         $2::bigint + g AS tid, $3::bigint + 4 * (g - 1) AS p, $4::bigint + 6 * (g - 1) AS c, $5::bigint + g AS xid,
         (ARRAY['new','open','stalled','open','resolved'])[1 + g % 5] AS status,
         (now() AT TIME ZONE 'UTC') - (g || ' seconds')::interval AS at,
         r.ids[1 + g % cardinality(r.ids)] AS req
    FROM generate_series(1, $1::int) g,
         (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE emailaddress LIKE 'peer-seed%') r;
INSERT INTO principals (id, principaltype, disabled) SELECT p + k, 'Group', 0 FROM peer_seed, generate_series(1, 4) k;
INSERT INTO groups (id, name, description, domain, instance, creator, created, lastupdatedby, lastupdated)
  SELECT p + k, (ARRAY['AdminCc','Cc','Owner','Requestor'])[k], '', 'RT::Ticket-Role', tid, 14, at, 14, at
    FROM peer_seed, generate_series(1, 4) k;
INSERT INTO groupmembers (groupid, memberid, creator, created, lastupdatedby, lastupdated)
  SELECT p + 3, 6, 14, at, 14, at FROM peer_seed UNION ALL SELECT p + 4, req, 14, at, 14, at FROM peer_seed;
INSERT INTO cachedgroupmembers (id, groupid, memberid, via, immediateparentid, disabled)
  SELECT c + m.k, p + m.grp, CASE WHEN m.member = 0 THEN p + m.grp WHEN m.member = 6 THEN 6 ELSE req END, c + m.k, p + m.grp, 0
    FROM peer_seed, (VALUES (1, 1, 0), (2, 2, 0), (3, 3, 0), (4, 3, 6), (5, 4, 0), (6, 4, -1)) AS m(k, grp, member);
INSERT INTO tickets (id, effectiveid, queue, type, owner, subject, initialpriority, finalpriority, priority, timeestimated,
                     timeworked, status, timeleft, starts, started, due, resolved, lastupdatedby, lastupdated, creator, created)
  SELECT tid, tid, 1, 'ticket', 6, 'Seeded ticket ' || g, 0, 0, 0, 0, 0, status, 0, '1970-01-01', '1970-01-01', '1970-01-01',
         CASE WHEN status = 'resolved' THEN at ELSE '1970-01-01' END, 14, at, 14, at
    FROM peer_seed;
INSERT INTO transactions (id, objecttype, objectid, timetaken, type, creator, created)
  SELECT xid, 'RT::Ticket', tid, 0, 'Create', 14, at FROM peer_seed;
INSERT INTO attachments (transactionid, parent, messageid, subject, contenttype, contentencoding, content, headers, creator, created)
  SELECT xid, 0, '<seed-' || g || '@peer-bench.example>', 'Seeded ticket ' || g, 'text/plain', 'none', $6,
         'Content-Type: text/plain; charset="utf-8"' || chr(10) || 'X-RT-Interface: REST' || chr(10) || 'Subject: Seeded ticket ' || g || chr(10) ||
         'Message-ID: <seed-' || g || '@peer-bench.example>' || chr(10) || 'MIME-Version: 1.0' || chr(10) || 'X-RT-Original-Encoding: utf-8' || chr(10),
         14, at
    FROM peer_seed;
DROP TABLE peer_seed;`;

async function seedRt(n: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrlFor(ADMIN_URL, RT_DB) });
  await client.connect();
  try {
    await client.query('BEGIN');
    const reserve = async (seq: string, table: string, count: number) => {
      const { rows: [row] } = await client.query<{ top: string }>(
        `SELECT setval('${seq}', GREATEST((SELECT COALESCE(max(id), 0) FROM ${table}), (SELECT last_value FROM ${seq})) + $1) AS top`, [count]);
      return Number(row?.top) - count;
    };
    const tickets = await reserve('tickets_id_seq', 'tickets', n);
    const principals = await reserve('principals_id_seq', 'principals', 4 * n);
    // Groups and users share the principals' ids; groups_id_seq is not what RT uses for them, but keep it clear too.
    await reserve('groups_id_seq', 'groups', 4 * n);
    const cached = await reserve('cachedgroupmembers_id_seq', 'cachedgroupmembers', 6 * n);
    const transactions = await reserve('transactions_id_seq', 'transactions', n);
    // A multi-statement text cannot take parameters: inline the numbers and the body as literals.
    const text = RT_SEED_SQL
      .replaceAll('$1::int', String(n)).replaceAll('$2::bigint', String(tickets)).replaceAll('$3::bigint', String(principals))
      .replaceAll('$4::bigint', String(cached)).replaceAll('$5::bigint', String(transactions))
      .replaceAll('$6', client.escapeLiteral(BODY));
    await client.query(text);
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

async function seedReplyby(n: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrlFor(ADMIN_URL, REPLYBY_DB) });
  await client.connect();
  try {
    await client.query(SEED_TICKETS_SQL, [n]);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

type Create = { rps: number; p50: number; p99: number; ok: number; bad: number; samples: string[] };

/**
 * `connections` lanes, each sending its next request when the previous one is answered, for `seconds`; a lane
 * finishes the request in flight, so nothing is left queued in the server when the phase ends (RT's Starlet keeps
 * unanswered connections in its backlog and would still be working on them in the next phase). The same client
 * for both systems: fetch (undici), a new connection per request where the server closes it (Starlet's default).
 */
async function createLoad(sys: System, s: Session, connections: number, seconds: number, phase: string): Promise<Create> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let bad = 0;
  const t0 = performance.now();
  await lanes(connections, seconds * 1000, async (i) => {
    const req = sys.createRequest(s, i, phase);
    const started = performance.now();
    try {
      const res = await fetch(`${sys.baseUrl()}${req.path}`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(120_000) });
      const text = await res.text();
      if (res.status === sys.createdStatus) latencies.push(performance.now() - started);
      else {
        bad += 1;
        if (samples.length < 3) samples.push(`${res.status} ${text.slice(0, 200)}`);
      }
    } catch (err) {
      bad += 1;
      if (samples.length < 3) samples.push(err instanceof Error ? err.message : String(err));
    }
  });
  const elapsed = (performance.now() - t0) / 1000;
  return { rps: latencies.length / elapsed, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), ok: latencies.length, bad, samples };
}

async function queueSamples(sys: System, s: Session, count: number, check = false): Promise<number[]> {
  const xs: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await sys.queuePage(s, check);
    xs.push(performance.now() - t0);
  }
  return xs;
}

type RoundResult = { create: Record<number, Create>; mailPerS: number; mailSent: number; mailRefused: number; mailMade: number; queue: number[]; tickets: number };

async function runSystem(sys: System, round: number): Promise<RoundResult> {
  const t0 = performance.now();
  await sys.start();
  try {
    const s = await sys.signIn();
    log(`  ${sys.name}: up after ${f1((performance.now() - t0) / 1000)} s; load average ${load()}`);
    // Warm-up, not measured: every worker compiles/loads each page once.
    await createLoad(sys, s, 8, 3, `w${round}`);
    await queueSamples(sys, s, 10, true);
    await sys.mail(Array.from({ length: 8 }, (_, i) => `warm-${sys.name}-${round}-${i}`), MAIL_CONCURRENCY);

    const tickets = await sys.totalTickets();
    const queue = await queueSamples(sys, s, QUEUE_SAMPLES);
    log(`    queue page at ${tickets} tickets: p50 ${f1(pct(queue, 0.5))} ms, p95 ${f1(pct(queue, 0.95))} ms (n=${queue.length})`);

    const create: Record<number, Create> = {};
    for (const c of CONCURRENCIES) {
      const r = await createLoad(sys, s, c, CREATE_S, `r${round}c${c}`);
      create[c] = r;
      log(`    create c=${c}: ${f1(r.rps)} tickets/s (${r.ok} answered 201), p50 ${f1(r.p50)} ms, p99 ${f1(r.p99)} ms${r.bad ? `, ${r.bad} failed: ${r.samples.join(' | ')}` : ''}`);
    }

    const ids = Array.from({ length: 100_000 }, (_, i) => `peer-${sys.name}-r${round}-${i}`);
    const m = await sys.mail(ids, MAIL_CONCURRENCY);
    await sleep(1000);
    const made = await sys.countTickets(`Mail bench peer-${sys.name}-r${round}-`);
    const mailPerS = (m.sent - m.refused) / m.seconds;
    log(`    mail c=${MAIL_CONCURRENCY}: ${f1(mailPerS)} messages/s (${m.sent} sent in ${f1(m.seconds)} s, ${m.refused} refused, ${made} tickets made)` +
      `${m.firstRefusal ? `; first refusal: ${m.firstRefusal}` : ''}`);
    return { create, mailPerS, mailSent: m.sent - m.refused, mailRefused: m.refused, mailMade: made, queue, tickets };
  } finally {
    await sys.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------

function rtVersion(): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'request-tracker5'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'not installed';
}

async function main(): Promise<void> {
  log(`peer-bench: ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average ${load()}; ${ROUNDS} rounds; ` +
    `create ${CREATE_S} s at c=${CONCURRENCIES.join(',')}; mail ${MAIL_S} s at c=${MAIL_CONCURRENCY}; queue ${QUEUE_SAMPLES} samples at ${TICKETS} seeded tickets`);

  log('setup: Request Tracker');
  if (!KEEP) await dropDatabase(ADMIN_URL, RT_DB);
  const setup = spawnSync('sh', [path.join(REPO_ROOT, 'bench/peer/setup-rt.sh'), RT_DB, String(RT_PORT)], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`bench/peer/setup-rt.sh failed (${setup.status}):\n${setup.stderr.slice(-3000)}`);
  log(`  request-tracker5 ${rtVersion()}, rt-server (Starlet) with ${RT_WORKERS} workers on ${RT_URL}, database ${RT_DB}`);
  const rt = rtSystem();
  const [seeded] = await sql<{ n: number }>(RT_DB, "SELECT count(*)::int AS n FROM tickets WHERE subject LIKE 'Seeded ticket %'");
  if ((seeded?.n ?? 0) < TICKETS) {
    // The seeded tickets' requesters are real RT users, made the way RT makes them: by a ticket through REST 2.
    await rt.start();
    try {
      const s = await rt.signIn();
      for (const email of SEED_REQUESTERS) {
        await fetchOk(`${RT_URL}/REST/2.0/ticket`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: s.cookie ?? '' }, body: JSON.stringify({ Queue: 'General', Subject: 'Requester setup', Requestor: email, Content: BODY }) }, 'RT requester setup');
      }
    } finally {
      await rt.stop();
    }
    const t0 = performance.now();
    await seedRt(TICKETS - (seeded?.n ?? 0));
    log(`  seeded ${TICKETS} tickets in ${f1((performance.now() - t0) / 1000)} s`);
  }

  log('setup: Replyby');
  if (!existsSync(path.join(REPO_ROOT, 'web/dist/index.html'))) {
    // The queue screen's HTML shell is part of the page; the server serves it from the built web app.
    const build = spawnSync('npm', ['run', 'build:web'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build:web failed');
  }
  const sink = await startSink();
  const replyby = replybySystem(sink.url);
  const fresh = !KEEP || (await sql<{ n: number }>('postgres', 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [REPLYBY_DB]))[0]?.n === 0;
  if (fresh) {
    await recreateDatabase(ADMIN_URL, REPLYBY_DB);
    await replyby.start(); // migrations + demo seed
    await sleep(3000); // the demo seed's start-up jobs
    await replyby.stop();
    const t0 = performance.now();
    await seedReplyby(TICKETS);
    log(`  seeded ${TICKETS} tickets in ${f1((performance.now() - t0) / 1000)} s`);
  }

  const results: Record<'rt' | 'replyby', RoundResult[]> = { rt: [], replyby: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    log(`\nround ${round}`);
    for (const sys of [rt, replyby]) results[sys.name].push(await runSystem(sys, round));
  }
  await sink.close();
  log(`\nReplyby acknowledgements received by the sink: ${sink.received()}`);

  log('\nsummary (median over rounds; queue: all samples pooled)');
  const ratios: number[] = [];
  for (const c of CONCURRENCIES) {
    const a = median(results.replyby.map((r) => r.create[c]?.rps ?? 0));
    const b = median(results.rt.map((r) => r.create[c]?.rps ?? 0));
    ratios.push(a / b);
    log(`  create c=${c}: Replyby ${f1(a)} tickets/s, RT ${f1(b)} tickets/s, ratio ${(a / b).toFixed(2)}`);
  }
  const createRatio = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  const mailA = median(results.replyby.map((r) => r.mailPerS));
  const mailB = median(results.rt.map((r) => r.mailPerS));
  log(`  mail c=${MAIL_CONCURRENCY}: Replyby ${f1(mailA)} messages/s, RT ${f1(mailB)} messages/s, ratio ${(mailA / mailB).toFixed(2)}`);
  const qa = results.replyby.flatMap((r) => r.queue);
  const qb = results.rt.flatMap((r) => r.queue);
  log(`  queue page: Replyby p50 ${f1(pct(qa, 0.5))} ms p95 ${f1(pct(qa, 0.95))} ms; RT p50 ${f1(pct(qb, 0.5))} ms p95 ${f1(pct(qb, 0.95))} ms (n=${qa.length}/${qb.length})`);

  const problems: string[] = [];
  for (const name of ['rt', 'replyby'] as const) {
    for (const [i, r] of results[name].entries()) {
      if (r.mailMade < r.mailSent) problems.push(`${name} round ${i + 1}: ${r.mailSent} messages accepted, ${r.mailMade} tickets made`);
      if (r.mailRefused) problems.push(`${name} round ${i + 1}: ${r.mailRefused} messages refused`);
      for (const [c, x] of Object.entries(r.create)) if (x.bad) problems.push(`${name} round ${i + 1} create c=${c}: ${x.bad} failed`);
    }
  }
  for (const p of problems) log(`peer-bench: WARNING ${p}`);

  if (!KEEP) {
    await dropDatabase(ADMIN_URL, RT_DB);
    await dropDatabase(ADMIN_URL, REPLYBY_DB);
  }
  // RT's autoreplies ($MailCommand 'mbox', written by this bench's site config).
  try {
    for (const f of readdirSync(RT_MBOX_DIR)) if (f.endsWith('.mbox')) rmSync(path.join(RT_MBOX_DIR, f));
  } catch {
    // nothing written
  }
  log(`peer-bench: create_ratio=${createRatio.toFixed(2)} mail_ratio=${(mailA / mailB).toFixed(2)} queue_ratio=${(pct(qb, 0.5) / pct(qa, 0.5)).toFixed(2)}`);
  if (problems.length) process.exitCode = 1;
}

await main();
