// E-mail intake benchmark: N messages (default 10,000) sent over SMTP on loopback by nodemailer to the
// built-in listener of a real server process, stored raw, parsed and applied into PostgreSQL, each
// acknowledged through the outbox to a loopback SMTP sink. Alternative measured in the same run: the same
// messages through the HTTP API (POST /api/v1/tickets, which also acknowledges) of the same deployment, in
// a fresh database.
//
// The deployment is the one a large site runs: one `web` process (HTTP API + SMTP listener: intake) and
// BENCH_EMAIL_WORKERS `worker` processes (`replyby worker`: outbox, SLA monitor, routing sweep) sharing the
// outbox with FOR UPDATE SKIP LOCKED. This process is only the mail client and the sink.
//
//   per_s       messages accepted per second (SMTP: 250 after the commit; API: 201)
//   ack_p99_ms  99th percentile from "client starts sending the mail" to "acknowledgement arrives at the sink"
//   lost        mails sent but with no ticket;  duplicated  messages that made more than one ticket
//
// Environment: BENCH_EMAIL_MESSAGES (default 10000), BENCH_EMAIL_CONNECTIONS (default 8),
// BENCH_EMAIL_WORKERS (worker processes, default 3), BENCH_EMAIL_API_MESSAGES (the API run's N, default N),
// BENCH_EMAIL_BUDGET_S (default 300: each path stops sending when its budget is spent, and then reports the
// messages it did send as N — so the whole run ends in about 15 minutes however loaded the machine is),
// BENCH_PG_ADMIN_URL (default postgres://127.0.0.1:5432/test), BENCH_PG_DATABASE (default email_bench).
// `--profile` first prints where one message's intake and acknowledgement spend their queries (in-process;
// with BENCH_EMAIL_MESSAGES=0 only that).
// Last line: email-bench: messages=N per_s=R ack_p99_ms=L lost=0 duplicated=0
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { hashPassword } from '../src/app/auth/secrets.ts';
import type { AppContext } from '../src/app/context.ts';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { installStartingPolicies } from '../src/app/promise/default-commitments.ts';
import { openDb, type Db, type Queryable } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { databaseUrlFor, dropDatabase, recreateDatabase } from './lib/pg-database.ts';
import { freePort, REPO_ROOT, signIn, startServer, type ServerHandle } from './lib/server-process.ts';

const N = Number(process.env.BENCH_EMAIL_MESSAGES ?? 10_000);
const API_N = Number(process.env.BENCH_EMAIL_API_MESSAGES ?? N);
const CONNECTIONS = Number(process.env.BENCH_EMAIL_CONNECTIONS ?? 8);
const WORKERS = Number(process.env.BENCH_EMAIL_WORKERS ?? 3);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const DATABASE = process.env.BENCH_PG_DATABASE ?? 'email_bench';
const DB_URL = databaseUrlFor(ADMIN_URL, DATABASE);
const SUPPORT = 'help@bench.test';
const BUDGET_MS = Number(process.env.BENCH_EMAIL_BUDGET_S ?? 300) * 1000;
const ACK_WAIT_MS = 180_000;
// Four mails per sender: under the per-sender acknowledgement limit (5 an hour), so every mail is acknowledged.
const senderOf = (n: number, i: number) => `customer${i % Math.ceil(n / 4)}@bench${i % 17}.example`;
const textOf = (i: number) => `Hello, my order ${i} has not arrived yet. Could you check where it is? Thanks.`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/** A sink that notes when each acknowledgement (keyed by the ticket subject's run id) arrives. */
async function startSink(arrivals: Map<string, number>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false, maxClients: 1000,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => { if (head.length < 4096) head += c.toString('latin1'); });
      stream.on('end', () => {
        const id = /bench-(\d+)/.exec(head)?.[1];
        if (id && !arrivals.has(id)) arrivals.set(id, performance.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A fresh database with the schema, a default group, the support address, a staff user and the starting SLA policies. */
async function freshDatabase(): Promise<void> {
  await recreateDatabase(ADMIN_URL, DATABASE);
  const db = await openDb({ databaseUrl: DB_URL, poolSize: 2 });
  await migrate(db);
  const now = new Date();
  await db.query('INSERT INTO groups (name, is_default, created_at) VALUES ($1, true, $2)', ['Support', now]);
  await db.query('INSERT INTO support_addresses (address, created_at) VALUES ($1, $2)', [SUPPORT, now]);
  await db.query("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('agent@bench.test', 'Agent', 'agent', $1, now(), now())", [await hashPassword('bench-pass-1')]);
  await db.close();
}

const baseEnv = (): Record<string, string> => ({
  DATABASE_URL: DB_URL, REPLYBY_SEED_DEMO: '0', REPLYBY_PUBLIC_URL: 'http://bench.test', LOG_LEVEL: 'warn',
  REPLYBY_RATE_LIMIT_PUBLIC: '1000000', REPLYBY_RATE_LIMIT_SIGN_IN: '1000', REPLYBY_SUPPORT_ADDRESS: SUPPORT,
});

/** A `replyby worker` process; resolves once it says it is running. */
async function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['bin/replyby.mjs', 'worker'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not running after 120 s:\n${out}`)), 120_000);
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      if (out.includes('Replyby worker running')) { clearTimeout(timer); resolve(); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`worker exited:\n${out}`)); });
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return { child, stop: async () => { child.kill('SIGTERM'); await Promise.race([exited, sleep(20_000)]); child.kill('SIGKILL'); } };
}

type Deployment = { web: ServerHandle; smtpPort: number; sinkArrivals: Map<string, number>; stop: () => Promise<void> };

async function deploy(): Promise<Deployment> {
  await freshDatabase();
  const sinkArrivals = new Map<string, number>();
  const sink = await startSink(sinkArrivals);
  const smtpPort = await freePort();
  const web = await startServer({ env: { ...baseEnv(), REPLYBY_ROLES: 'web', REPLYBY_SMTP_PORT: String(smtpPort), REPLYBY_SMTP_HOST: '127.0.0.1', REPLYBY_MAIL_AUTH: '0' } });
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker({ ...baseEnv(), REPLYBY_ROLES: 'worker', REPLYBY_SMTP_URL: sink.url, REPLYBY_MAIL_FROM: `Support <${SUPPORT}>` })));
  return {
    web, smtpPort, sinkArrivals,
    stop: async () => {
      await web.stop();
      await Promise.all(workers.map((w) => w.stop()));
      await sink.close();
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check() && Date.now() < until) await sleep(100);
}

/** Runs one(i) for i = 0… on `concurrency` lanes until n are done or the budget is spent; returns how many were started. */
async function runPool(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const until = performance.now() + BUDGET_MS;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n && performance.now() < until) await one(next++);
  }));
  return next;
}

type Result = { label: string; messages: number; perS: number; ackP99: number; lost: number; duplicated: number; acked: number; seconds: number; cut: boolean };

async function countTickets(): Promise<{ tickets: number; created: number; dup: number }> {
  const db = await openDb({ databaseUrl: DB_URL, poolSize: 1 });
  const [row] = await db.query<{ tickets: number; created: number; dup: number }>(
    `SELECT (SELECT count(*)::int FROM tickets) AS tickets,
       count(*) FILTER (WHERE status = 'ticket_created')::int AS created,
       (count(*) FILTER (WHERE status = 'ticket_created') - count(DISTINCT message_id) FILTER (WHERE status = 'ticket_created'))::int AS dup
     FROM inbound_mail`);
  await db.close();
  return row ?? { tickets: 0, created: 0, dup: 0 };
}

async function smtpRun(): Promise<Result> {
  const d = await deploy();
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: d.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  const sentAt = new Map<string, number>();
  const started = performance.now();
  let failed = 0;
  const sent = await runPool(N, CONNECTIONS, async (i) => {
    sentAt.set(String(i), performance.now());
    try {
      await client.sendMail({ from: senderOf(N, i), to: SUPPORT, subject: `Order question bench-${i}`, messageId: `<bench-${i}@bench.example>`, text: textOf(i) });
    } catch {
      failed += 1;
    }
  });
  const accepted = performance.now();
  await waitFor(() => d.sinkArrivals.size >= sent - failed, ACK_WAIT_MS);
  const drained = performance.now();
  client.close();
  await d.stop();
  const counts = await countTickets();
  await dropDatabase(ADMIN_URL, DATABASE);
  const latencies = [...d.sinkArrivals].map(([id, at]) => at - (sentAt.get(id) ?? at));
  return { label: 'smtp', messages: sent, perS: sent / ((accepted - started) / 1000), ackP99: p99(latencies), lost: sent - counts.created, duplicated: counts.dup, acked: d.sinkArrivals.size, seconds: (drained - started) / 1000, cut: sent < N };
}

async function apiRun(): Promise<Result> {
  const d = await deploy();
  const token = await signIn(d.web.url, 'agent@bench.test', 'bench-pass-1');
  const sentAt = new Map<string, number>();
  let failed = 0;
  const started = performance.now();
  const sent = await runPool(API_N, CONNECTIONS, async (i) => {
    sentAt.set(String(i), performance.now());
    const res = await fetch(`${d.web.url}/api/v1/tickets`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ subject: `Order question bench-${i}`, message: textOf(i), requester: { email: senderOf(API_N, i) }, channel: 'email' }),
    });
    if (res.status !== 201) failed += 1;
    await res.arrayBuffer();
  });
  const accepted = performance.now();
  await waitFor(() => d.sinkArrivals.size >= sent - failed, ACK_WAIT_MS);
  const drained = performance.now();
  await d.stop();
  const counts = await countTickets();
  await dropDatabase(ADMIN_URL, DATABASE);
  const latencies = [...d.sinkArrivals].map(([id, at]) => at - (sentAt.get(id) ?? at));
  return { label: 'http-api', messages: sent, perS: sent / ((accepted - started) / 1000), ackP99: p99(latencies), lost: sent - counts.tickets, duplicated: Math.max(0, counts.tickets - sent), acked: d.sinkArrivals.size, seconds: (drained - started) / 1000, cut: sent < API_N };
}

/**
 * One message's intake and acknowledgement in-process, every query counted and timed and put under the
 * step of intake it belongs to (by the table it touches), so "where does the time go" has an answer.
 */
async function profile(): Promise<void> {
  await freshDatabase();
  const real = await openDb({ databaseUrl: DB_URL, poolSize: 4 });
  const stats = new Map<string, { n: number; ms: number }>();
  let counting = false;
  const wrap = (q: Queryable): Queryable => ({
    cacheScope: q.cacheScope, exec: (s) => q.exec(s),
    async query(sql, params) {
      const t = performance.now();
      try {
        return await q.query(sql, params);
      } finally {
        if (counting) {
          const key = sql.replace(/\s+/g, ' ').trim().slice(0, 100);
          const s = stats.get(key) ?? { n: 0, ms: 0 };
          s.n += 1;
          s.ms += performance.now() - t;
          stats.set(key, s);
        }
      }
    },
  }) as Queryable;
  let commits = { n: 0, ms: 0 };
  const db: Db = {
    ...real, ...wrap(real),
    transaction: async (fn) => {
      const t = performance.now();
      const out = await real.transaction((tx) => fn(wrap(tx)));
      if (counting) commits = { n: commits.n + 1, ms: commits.ms + performance.now() - t };
      return out;
    },
  };
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const ctx: AppContext = { db, now: () => new Date(), settings: { ticketPrefix: '#', publicUrl: 'http://bench.test' }, log: silent };
  await installStartingPolicies(ctx);
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const raw = async (i: number) => (await stream.sendMail({ from: senderOf(1000, i), to: SUPPORT, subject: `Order question bench-${i}`, messageId: `<bench-${i}@bench.example>`, text: textOf(i) })).message as Buffer;
  for (let i = 0; i < 20; i++) await receiveMail(ctx, { raw: await raw(i), source: 'smtp', envelopeTo: [SUPPORT] });
  const M = 50;
  const mails = await Promise.all(Array.from({ length: M }, (_, i) => raw(100 + i)));
  const report = (title: string, ms: number) => {
    const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
    const q = rows.reduce((s, [, v]) => s + v.n, 0) / M;
    const qms = rows.reduce((s, [, v]) => s + v.ms, 0) / M;
    process.stdout.write(`profile ${title}: ${(ms / M).toFixed(1)} ms per message serially, ${q.toFixed(1)} queries (${qms.toFixed(1)} ms) + ${(commits.n / M).toFixed(1)} transactions\n`);
    for (const [k, v] of rows) process.stdout.write(`  ${(v.n / M).toFixed(1)}× ${(v.ms / M).toFixed(2).padStart(6)} ms  ${k}\n`);
    stats.clear();
    commits = { n: 0, ms: 0 };
  };
  counting = true;
  let t0 = performance.now();
  for (const m of mails) await receiveMail(ctx, { raw: m, source: 'smtp', envelopeTo: [SUPPORT] });
  report('intake', performance.now() - t0);
  counting = false;
  const jobs = await real.query<{ id: string; kind: string; payload: Record<string, unknown>; attempts: number }>(
    "SELECT id::text AS id, kind, payload, attempts FROM outbox WHERE kind = 'mail.acknowledgement' ORDER BY id DESC LIMIT 50");
  counting = true;
  t0 = performance.now();
  for (const j of jobs) await renderMail(ctx, j);
  report('acknowledgement render (outbox side, before the SMTP send)', performance.now() - t0);
  await real.close();
  await dropDatabase(ADMIN_URL, DATABASE);
}

async function main(): Promise<void> {
  if (process.argv.includes('--profile')) await profile();
  if (N === 0) return; // BENCH_EMAIL_MESSAGES=0 with --profile: the profile alone
  process.stdout.write(`email-bench: up to ${N} SMTP messages and ${API_N} API requests (${BUDGET_MS / 1000} s budget each), ${CONNECTIONS} client connections, 1 web + ${WORKERS} worker processes, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const line = (r: Result) => `${r.label.padEnd(9)} messages=${r.messages} per_s=${r.perS.toFixed(1)} ack_p99_ms=${Math.round(r.ackP99)} acked=${r.acked} lost=${r.lost} duplicated=${r.duplicated} total_s=${r.seconds.toFixed(0)}${r.cut ? ' (stopped by the time budget)' : ''}\n`;
  const api = await apiRun();
  process.stdout.write(line(api));
  const smtp = await smtpRun();
  process.stdout.write(line(smtp));
  process.stdout.write(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`email-bench: messages=${smtp.messages} per_s=${smtp.perS.toFixed(1)} ack_p99_ms=${Math.round(smtp.ackP99)} lost=${smtp.lost} duplicated=${smtp.duplicated}\n`);
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
