// E-mail intake benchmark: N messages (default 10,000) sent over SMTP on loopback by nodemailer to the
// built-in listener, stored raw, parsed and applied into PostgreSQL, each acknowledged through the outbox
// to a loopback SMTP sink. Alternative measured in the same run: the same messages through the HTTP API
// (POST /api/v1/tickets, which also acknowledges), on the same database engine, in a fresh database.
//
//   ack_p99_ms  99th percentile from "client starts sending the mail" to "acknowledgement arrives at the sink"
//   lost        mails sent but with no ticket;  duplicated  messages that made more than one ticket
//
// Environment: BENCH_EMAIL_MESSAGES (default 10000), BENCH_EMAIL_CONNECTIONS (default 8),
// BENCH_PG_ADMIN_URL (default postgres://127.0.0.1:5432/test), BENCH_PG_DATABASE (default email_bench).
// Last line: email-bench: messages=N per_s=R ack_p99_ms=L lost=0 duplicated=0
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../src/app/context.ts';
import { hashPassword } from '../src/app/auth/secrets.ts';
import { startSmtpListener } from '../src/channels/smtp-listener.ts';
import { buildServer } from '../src/http/server.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { startOutboxWorker } from '../src/jobs/outbox-worker.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { databaseUrlFor, dropDatabase, recreateDatabase } from './lib/pg-database.ts';

const N = Number(process.env.BENCH_EMAIL_MESSAGES ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_EMAIL_CONNECTIONS ?? 8);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const DATABASE = process.env.BENCH_PG_DATABASE ?? 'email_bench';
const SUPPORT = 'help@bench.test';
// Four mails per sender: under the per-sender acknowledgement limit (5 an hour), so every mail is acknowledged.
const senderOf = (i: number) => `customer${i % Math.ceil(N / 4)}@bench${i % 17}.example`;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/** A sink that notes when each acknowledgement (keyed by the ticket subject's run id) arrives. */
async function startSink(arrivals: Map<string, number>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => { if (head.length < 4096) head += c.toString('latin1'); });
      stream.on('end', () => {
        const id = /bench-(\d+)/.exec(head)?.[1];
        if (id) arrivals.set(id, performance.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function freshContext(): Promise<{ ctx: AppContext; db: Db }> {
  await recreateDatabase(ADMIN_URL, DATABASE);
  const db = await openDb({ databaseUrl: databaseUrlFor(ADMIN_URL, DATABASE), poolSize: 12 });
  await migrate(db);
  const now = new Date();
  await db.query('INSERT INTO groups (name, is_default, created_at) VALUES ($1, true, $2)', ['Support', now]);
  await db.query('INSERT INTO support_addresses (address, created_at) VALUES ($1, $2)', [SUPPORT, now]);
  return { db, ctx: { db, now: () => new Date(), settings: { ticketPrefix: '#', publicUrl: 'http://bench.test' }, log: silent } };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check() && Date.now() < until) await sleep(50);
}

async function runPool(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) await one(i);
  }));
}

type Result = { label: string; messages: number; perS: number; ackP99: number; lost: number; duplicated: number; acked: number };

async function smtpRun(): Promise<Result> {
  const { ctx, db } = await freshContext();
  const arrivals = new Map<string, number>();
  const sink = await startSink(arrivals);
  const worker = startOutboxWorker(ctx, createMailer(sink.url, `Support <${SUPPORT}>`, silent), 25);
  const listener = await startSmtpListener(ctx, { port: 0, host: '127.0.0.1', maxBytes: 10 * 1024 * 1024 });
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  const sentAt = new Map<string, number>();
  const started = performance.now();
  await runPool(N, CONNECTIONS, async (i) => {
    sentAt.set(String(i), performance.now());
    await client.sendMail({
      from: senderOf(i), to: SUPPORT, subject: `Order question bench-${i}`, messageId: `<bench-${i}@bench.example>`,
      text: `Hello, my order ${i} has not arrived yet. Could you check where it is? Thanks.`,
    });
  });
  const accepted = performance.now();
  await waitFor(() => arrivals.size >= N, 300_000);
  client.close();
  await listener.close();
  await worker.stop();
  await sink.close();
  const [counts] = await db.query<{ created: number; dup: number }>(
    "SELECT count(*) FILTER (WHERE status = 'ticket_created')::int AS created, (count(*) FILTER (WHERE status = 'ticket_created') - count(DISTINCT message_id) FILTER (WHERE status = 'ticket_created'))::int AS dup FROM inbound_mail");
  await db.close();
  await dropDatabase(ADMIN_URL, DATABASE);
  const latencies = [...arrivals].map(([id, at]) => at - (sentAt.get(id) ?? at));
  return { label: 'smtp', messages: N, perS: N / ((accepted - started) / 1000), ackP99: p99(latencies), lost: N - (counts?.created ?? 0), duplicated: counts?.dup ?? 0, acked: arrivals.size };
}

async function apiRun(): Promise<Result> {
  const { ctx, db } = await freshContext();
  const hash = await hashPassword('bench-pass-1');
  const [user] = await db.query<{ id: string }>("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('agent@bench.test', 'Agent', 'agent', $1, now(), now()) RETURNING id", [hash]);
  const app = await buildServer(ctx, { bodyLimitBytes: 1_048_576, logLevel: 'silent', signInPerMinute: 1_000_000, publicPerMinute: 1_000_000, secureCookies: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'agent@bench.test', password: 'bench-pass-1' }) });
  const token = ((await signIn.json()) as { token: string }).token;
  const arrivals = new Map<string, number>();
  const sink = await startSink(arrivals);
  const worker = startOutboxWorker(ctx, createMailer(sink.url, `Support <${SUPPORT}>`, silent), 25);
  const sentAt = new Map<string, number>();
  let failed = 0;
  const started = performance.now();
  await runPool(N, CONNECTIONS, async (i) => {
    sentAt.set(String(i), performance.now());
    const res = await fetch(`${base}/api/v1/tickets`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ subject: `Order question bench-${i}`, message: `Hello, my order ${i} has not arrived yet. Could you check where it is? Thanks.`, requester: { email: senderOf(i) }, channel: 'email' }),
    });
    if (res.status !== 201) failed += 1;
    await res.arrayBuffer();
  });
  const accepted = performance.now();
  await waitFor(() => arrivals.size >= N - failed, 300_000);
  await app.close();
  await worker.stop();
  await sink.close();
  const [counts] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
  await db.close();
  await dropDatabase(ADMIN_URL, DATABASE);
  void user;
  const latencies = [...arrivals].map(([id, at]) => at - (sentAt.get(id) ?? at));
  return { label: 'http-api', messages: N, perS: N / ((accepted - started) / 1000), ackP99: p99(latencies), lost: N - (counts?.n ?? 0), duplicated: Math.max(0, (counts?.n ?? 0) - N), acked: arrivals.size };
}

async function main(): Promise<void> {
  const api = await apiRun();
  const smtp = await smtpRun();
  for (const r of [api, smtp]) {
    process.stdout.write(`${r.label.padEnd(9)} messages=${r.messages} per_s=${r.perS.toFixed(1)} ack_p99_ms=${Math.round(r.ackP99)} acked=${r.acked} lost=${r.lost} duplicated=${r.duplicated}\n`);
  }
  process.stdout.write(`email-bench: messages=${smtp.messages} per_s=${smtp.perS.toFixed(1)} ack_p99_ms=${Math.round(smtp.ackP99)} lost=${smtp.lost} duplicated=${smtp.duplicated}\n`);
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
