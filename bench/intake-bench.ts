// Intake benchmark: how many tickets per second the real server accepts through
// POST /api/v1/tickets, against the physical limit of durable single-row inserts on the same engine.
//
// Per engine (PGlite in a fresh temp data dir; PostgreSQL in a fresh database on the server):
//   1. start `node bin/replyby.mjs start` as a child (free port, LOG_LEVEL=warn, demo seed on),
//      wait for GET /ready, sign in as an agent;
//   2. autocannon from this process: a short warm-up, then BENCH_DURATION_S (default 30) at
//      BENCH_CONNECTIONS (default 50) creating tickets for a few hundred distinct requesters
//      (the first round creates each contact, later rounds find it), types and priorities varied;
//   3. stop the server (SIGTERM, wait for exit) and check the database holds what the API answered;
//   4. raw single-row autocommit INSERT loop into a tickets-shaped table on the same engine
//      (after the server is gone, so the two measurements do not share the CPU);
//   5. clean up (temp dirs, bench database).
// The last lines are one per engine:
//   intake-bench: engine=pglite api_rps=N raw_insert_rps=M ratio=R p99_ms=L
//
// Environment:
//   BENCH_DURATION_S      API load seconds (default 30); the raw insert loop runs as long, at most 30 s
//   BENCH_RAW_DURATION_S  raw insert seconds (default: min(BENCH_DURATION_S, 30))
//   BENCH_WARMUP_S        API warm-up seconds, not measured (default 3; 0 = none)
//   BENCH_SETTLE_S        idle seconds after the server is ready, before any load (default 3): the worker runs the
//                         seed's start-up jobs; on PostgreSQL the bench also waits for the outbox to be empty
//   BENCH_CONNECTIONS     concurrent HTTP connections and raw-insert connections (default 50)
//   BENCH_ENGINES         pglite,postgres (default both)
//   BENCH_PG_ADMIN_URL    PostgreSQL server to create the bench database on (default postgres://127.0.0.1:5432/test)
//   BENCH_PG_DATABASE     bench database name, dropped and re-created (default replyby_bench)
//   BENCH_AUTH            session (sign-in token, default) | api-token (a long-lived rbt_ token)
//   BENCH_NODE_ARGS       extra node flags for the server child, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
import autocannon from 'autocannon';
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cpuBetween, cpuSnapshot, machineBusySeconds } from './lib/cpu.ts';
import { dropDatabase, probePostgres, recreateDatabase } from './lib/pg-database.ts';
import { rawInsertPglite, rawInsertPostgres, type RawInsertResult } from './lib/raw-insert.ts';
import { createApiToken, signIn, startServer, type ServerHandle } from './lib/server-process.ts';

type Engine = 'pglite' | 'postgres';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

const DURATION_S = envNumber('BENCH_DURATION_S', 30);
const RAW_DURATION_S = envNumber('BENCH_RAW_DURATION_S', Math.min(DURATION_S, 30));
const WARMUP_S = envNumber('BENCH_WARMUP_S', Math.min(3, DURATION_S));
const SETTLE_S = envNumber('BENCH_SETTLE_S', 3);
const CONNECTIONS = Math.max(1, Math.round(envNumber('BENCH_CONNECTIONS', 50)));
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const PG_DATABASE = process.env.BENCH_PG_DATABASE ?? 'replyby_bench';
const AUTH = process.env.BENCH_AUTH ?? 'session';
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const AGENT = { email: 'alex@demo.replyby.dev', password: 'demo1234' }; // a demo agent (Support, the default group)

const DISTINCT_REQUESTERS = 300;
const TYPES = ['technical_question', 'information_request', 'complaint', 'suggestion', 'quote', 'custom_work', 'urgent'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
// acme.example and globex.example are demo organizations' domains: those requesters are mapped to an organization (tiered SLA).
const DOMAINS = ['acme.example', 'globex.example', 'customers.example', 'customers.example', 'mail.example'];
const MESSAGE = [
  'Hello support team,',
  'since this morning our invoices export stops at 50% and the browser shows a spinner forever.',
  'We tried two browsers and cleared the cache. The export worked last week. Could you have a look?',
  'Thanks, and best regards',
].join('\n');

const log = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number | null, digits = 0) => (n === null ? 'n/a' : n.toFixed(digits));

for (const e of ENGINES) {
  if (e !== 'pglite' && e !== 'postgres') throw new Error(`BENCH_ENGINES: unknown engine "${e}" (pglite, postgres)`);
}

type LoadResult = {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  samples: string[];
  seconds: number;
};

/** POST /api/v1/tickets for `seconds` at `connections`; `phase` keeps each phase's requesters distinct. */
async function loadTickets(url: string, token: string, seconds: number, connections: number, phase: string): Promise<LoadResult> {
  let n = 0;
  const samples: string[] = [];
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{
      method: 'POST',
      path: '/api/v1/tickets',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      setupRequest: (req) => {
        const i = n++;
        const r = i % DISTINCT_REQUESTERS;
        const body = {
          subject: `Bench ticket ${phase}-${i}: export stops halfway`,
          message: MESSAGE,
          type: TYPES[i % TYPES.length],
          priority: PRIORITIES[Math.floor(i / TYPES.length) % PRIORITIES.length],
          requester: { email: `bench-${phase}-${r}@${DOMAINS[r % DOMAINS.length]}`, name: `Bench Requester ${r}` },
        };
        return { ...req, body: JSON.stringify(body) };
      },
      onResponse: (status, body) => {
        if ((status < 200 || status > 299) && samples.length < 5) samples.push(`${status} ${body.slice(0, 300)}`);
      },
    }],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]));
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    samples,
    seconds: result.duration,
  };
}

type Stored = { tickets: number; messages: number; events: number; createdEvents: number; contacts: number; withSla: number; outboxPending: number };

const STORED_SQL = `SELECT
  (SELECT count(*) FROM tickets WHERE subject LIKE 'Bench ticket %')::int AS tickets,
  (SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.subject LIKE 'Bench ticket %')::int AS messages,
  (SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.subject LIKE 'Bench ticket %')::int AS events,
  (SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.subject LIKE 'Bench ticket %' AND e.kind = 'created')::int AS "createdEvents",
  (SELECT count(*) FROM contacts WHERE email LIKE 'bench-%')::int AS contacts,
  (SELECT count(*) FROM tickets WHERE subject LIKE 'Bench ticket %' AND sla_policy_id IS NOT NULL)::int AS "withSla",
  (SELECT count(*) FROM outbox WHERE done_at IS NULL)::int AS "outboxPending"`;

async function storedRows(engine: Engine, location: string): Promise<Stored> {
  if (engine === 'pglite') {
    const db = await PGlite.create(location);
    try {
      const [row] = (await db.query<Stored>(STORED_SQL)).rows;
      if (!row) throw new Error('no row');
      return row;
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client({ connectionString: location });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows: [row] } = await client.query<Stored>(STORED_SQL);
    if (!row) throw new Error('no row');
    return row;
  } finally {
    await client.end();
  }
}

/** Waits SETTLE_S; on PostgreSQL also until the outbox has no due job left (at most 60 s). */
async function settle(engine: Engine, location: string): Promise<void> {
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
  if (engine !== 'postgres') return;
  const client = new pg.Client({ connectionString: location });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (;;) {
      const { rows: [row] } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL AND run_at <= now()');
      if ((row?.n ?? 0) === 0 || performance.now() - t0 > 60_000) {
        log(`  settled after ${fmt((performance.now() - t0) / 1000, 1)} s (${row?.n ?? 0} start-up outbox jobs pending)`);
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await client.end();
  }
}

function printLoad(label: string, r: LoadResult): void {
  const codes = Object.entries(r.statusCodes).map(([k, v]) => `${k}×${v}`).join(' ');
  log(`  ${label}: ${fmt(r.rps, 1)} req/s average over ${fmt(r.seconds, 1)} s; latency p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms`);
  log(`    responses: 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors} (timeouts ${r.timeouts}); status codes: ${codes || 'none'}`);
  for (const s of r.samples) log(`    non-2xx sample: ${s}`);
}

type EngineOutcome = { engine: Engine; apiRps: number; rawRps: number; p99: number; failures: string[] };

async function benchEngine(engine: Engine): Promise<EngineOutcome | null> {
  const failures: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  let server: ServerHandle | null = null;
  try {
    log(`\n== engine=${engine} ==`);
    let serverEnv: Record<string, string>;
    let storedAt: string;
    let rawTarget: () => Promise<RawInsertResult>;
    if (engine === 'pglite') {
      const root = mkdtempSync(path.join(os.tmpdir(), 'replyby-intake-bench-'));
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      const dataDir = path.join(root, 'server-data');
      serverEnv = { REPLYBY_DATA_DIR: dataDir };
      storedAt = dataDir;
      rawTarget = () => rawInsertPglite(path.join(root, 'raw-data'), RAW_DURATION_S);
      log(`  server data dir (PGlite): ${dataDir}`);
    } else {
      const probe = await probePostgres(PG_ADMIN_URL);
      if (!probe.ok) {
        log(`  PostgreSQL is unreachable at ${PG_ADMIN_URL} (${probe.reason}); skipping engine=postgres.`);
        return null;
      }
      log(`  PostgreSQL ${probe.version}; ${Object.entries(probe.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      const databaseUrl = await recreateDatabase(PG_ADMIN_URL, PG_DATABASE);
      cleanups.push(() => dropDatabase(PG_ADMIN_URL, PG_DATABASE));
      serverEnv = { DATABASE_URL: databaseUrl };
      storedAt = databaseUrl;
      rawTarget = () => rawInsertPostgres(databaseUrl, RAW_DURATION_S, CONNECTIONS);
      log(`  bench database: ${PG_DATABASE} (fresh)`);
    }

    const t0 = performance.now();
    server = await startServer({ env: { ...serverEnv, REPLYBY_SEED_DEMO: '1', LOG_LEVEL: 'warn' }, nodeArgs: NODE_ARGS });
    log(`  server pid ${server.child.pid} ready at ${server.url} after ${fmt((performance.now() - t0) / 1000, 1)} s (migrations + demo seed)`);
    // The demo seed enqueues SLA recompute jobs that the outbox worker runs within its first polls;
    // let them finish on an idle server so the measurement is steady-state intake.
    await settle(engine, storedAt);
    const session = await signIn(server.url, AGENT.email, AGENT.password);
    const token = AUTH === 'api-token' ? await createApiToken(server.url, session) : session;
    log(`  signed in as ${AGENT.email}; auth=${AUTH === 'api-token' ? 'api-token (rbt_…)' : 'session token (rbs_…)'}`);

    let warmup: LoadResult | null = null;
    if (WARMUP_S > 0) {
      warmup = await loadTickets(server.url, token, WARMUP_S, CONNECTIONS, 'w');
      printLoad(`warm-up (${WARMUP_S} s, not measured)`, warmup);
    }
    const pgDatabase = engine === 'postgres' ? PG_DATABASE : undefined;
    const before = cpuSnapshot(server.child.pid, pgDatabase);
    const load = await loadTickets(server.url, token, DURATION_S, CONNECTIONS, 'm');
    const cpu = cpuBetween(before, cpuSnapshot(server.child.pid, pgDatabase));
    printLoad(`POST /api/v1/tickets, ${CONNECTIONS} connections, ${DURATION_S} s`, load);
    log(`    CPU during the run (cores busy, of ${os.cpus().length}): server ${fmt(cpu.server, 2)}` +
      `${engine === 'postgres' ? `, PostgreSQL ${cpu.postgres === null ? 'n/a (not local?)' : fmt(cpu.postgres, 2)}` : ' (PGlite runs inside it)'}` +
      `, bench/autocannon ${fmt(cpu.bench, 2)}, other processes ${fmt(cpu.other, 2)}, machine ${fmt(cpu.machine, 2)}`);
    const answeredInRun = load.ok + load.non2xx;
    if (answeredInRun > 0 && cpu.server !== null) {
      const perRequest = (cores: number | null) => (cores === null ? 'n/a' : `${fmt((cores * cpu.seconds * 1000) / answeredInRun, 2)} ms`);
      log(`    CPU per request: server ${perRequest(cpu.server)}${engine === 'postgres' ? `, PostgreSQL ${perRequest(cpu.postgres)}` : ''}` +
        `${cpu.other !== null && cpu.other > 0.25 ? ` (other processes used ${fmt(cpu.other, 2)} cores: throughput and latency are disturbed)` : ''}`);
    }
    for (const r of [warmup, load]) {
      if (!r) continue;
      if (r.non2xx > 0) failures.push(`${r.non2xx} non-2xx responses`);
      if (r.errors > 0) failures.push(`${r.errors} errors (${r.timeouts} timeouts)`);
    }

    const problems = server.problems.length;
    const code = await server.stop();
    log(`  server stopped (exit code ${code})${problems ? `; it logged ${problems} warning/error lines, first: ${server.problems[0]?.slice(0, 300)}` : '; no warnings or errors logged'}`);
    if (problems) failures.push(`server logged ${problems} warnings/errors`);
    server = null;

    const stored = await storedRows(engine, storedAt);
    const answered = load.ok + (warmup?.ok ?? 0);
    log(`  stored: ${stored.tickets} bench tickets (${answered} answered 2xx; requests in flight when the load stopped may add up to ${CONNECTIONS} per phase), ` +
      `${stored.messages} messages, ${stored.events} events, ${stored.contacts} contacts, ${stored.withSla} with an SLA policy, ${stored.outboxPending} outbox jobs pending`);
    if (stored.tickets < answered) failures.push(`only ${stored.tickets} tickets stored for ${answered} 2xx answers`);
    // Intake writes a varying number of events (created, triage, routing, promise…); each ticket has exactly one 'created'.
    if (stored.messages !== stored.tickets || stored.createdEvents !== stored.tickets) failures.push('messages/created events do not match tickets');

    const raw = await rawTarget();
    log(`  raw single-row INSERT, autocommit (${engine === 'pglite' ? 'one PGlite in this process, fresh data dir' : `${CONNECTIONS} pg connections`}): ` +
      `${raw.rows} rows in ${fmt(raw.seconds, 1)} s = ${fmt(raw.rps, 1)} rows/s (table holds ${raw.verifiedRows})`);
    if (raw.verifiedRows !== raw.rows) failures.push(`raw insert counted ${raw.rows} rows, table holds ${raw.verifiedRows}`);

    return { engine, apiRps: load.rps, rawRps: raw.rps, p99: load.p99, failures };
  } catch (err) {
    log(`  engine=${engine} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    if (server) log(`  server output (last lines):\n${server.tail()}`);
    return { engine, apiRps: 0, rawRps: 0, p99: 0, failures: [`run failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`] };
  } finally {
    if (server) await server.stop().catch(() => undefined);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        log(`  cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

async function main(): Promise<void> {
  log(`intake-bench: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM; ` +
    `duration ${DURATION_S} s, warm-up ${WARMUP_S} s, raw ${RAW_DURATION_S} s, ${CONNECTIONS} connections, engines ${ENGINES.join(',')}`);
  const idle0 = machineBusySeconds();
  await new Promise((r) => setTimeout(r, 1000));
  const idle1 = machineBusySeconds();
  if (idle0 !== null && idle1 !== null) {
    const busy = idle1 - idle0;
    log(`  machine busy before the bench: ${fmt(busy, 2)} of ${os.cpus().length} cores${busy > 0.3 ? ' (other processes are running: results are disturbed)' : ''}`);
  }
  const outcomes: EngineOutcome[] = [];
  for (const engine of ENGINES as Engine[]) {
    const outcome = await benchEngine(engine);
    if (outcome) outcomes.push(outcome);
  }
  log('');
  for (const o of outcomes) {
    if (o.failures.length) log(`intake-bench: WARNING engine=${o.engine}: ${o.failures.join('; ')}`);
  }
  for (const o of outcomes) {
    const api = Math.round(o.apiRps);
    const raw = Math.round(o.rawRps);
    const ratio = raw > 0 ? (api / raw).toFixed(2) : '0.00';
    log(`intake-bench: engine=${o.engine} api_rps=${api} raw_insert_rps=${raw} ratio=${ratio} p99_ms=${Math.round(o.p99)}`);
  }
  if (outcomes.some((o) => o.failures.length)) process.exitCode = 1;
}

await main();
