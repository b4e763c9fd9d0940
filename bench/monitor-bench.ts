// npm run bench:monitor — the SLA monitor at scale on PostgreSQL.
//
// Bulk-seeds BENCH_MONITOR_CLOCKS open tickets with running first-response clocks (generate_series, no
// API; default 100,000, e.g. 1000000 for a million) of which BENCH_MONITOR_DUE (default 10,000) reach
// their warning threshold spread evenly over the next BENCH_MONITOR_WINDOW_S seconds (default 60); the
// rest are due hours later. Two `replyby worker` processes (monitor + outbox) take the actions. Latency
// = the event's recorded time minus the instant the action was due.
//
// The alternative, in the same run on the same data: what most helpdesks do (Chatwoot, Frappe) at its
// most eager — a sweep every second, by two pollers, over a table of the same clocks: a conditional
// UPDATE … WHERE due_at <= now() AND fired_at IS NULL (exactly-once by the row lock, as ours) that also
// writes an event and an in-app notification per fired clock. It does less than the monitor (no
// recomputation of the clocks, no e-mail plan) and runs in the bench process, not in workers: its latency
// is what the polling interval itself costs. Latency, both: recorded time (in the transaction) − due time.
//
// Prints the load average at each step: the host is shared, and on 2 cores it decides the tail.
//
//   BENCH_PG_ADMIN_URL  server (default postgres://127.0.0.1:5432/test); database monitor_bench is dropped and re-created
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { MONITOR_CHANNEL } from '../src/app/monitor/sync-sla-clocks.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { seedDueClocks } from '../test/helpers/seed-due-clocks.ts';
import { dropDatabase, recreateDatabase } from './lib/pg-database.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const num = (name: string, fallback: number): number => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};
const CLOCKS = num('BENCH_MONITOR_CLOCKS', 100_000);
const DUE = Math.min(CLOCKS, num('BENCH_MONITOR_DUE', 10_000));
const WINDOW_S = num('BENCH_MONITOR_WINDOW_S', 60);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const DATABASE = 'monitor_bench';
const TARGET_MS = 60 * 60_000;
const WARNING_MS = TARGET_MS / 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Stats = { fired: number; duplicates: number; missed: number; p50: number; p99: number; max: number };

async function main(): Promise<void> {
  const url = await recreateDatabase(ADMIN_URL, DATABASE);
  const db = await openDb({ databaseUrl: url, poolSize: 4 });
  await migrate(db);
  const now = new Date();
  const [group] = await db.query<{ id: string }>("INSERT INTO groups (name, is_default, created_at) VALUES ('Support', true, now()) RETURNING id");
  const [agent] = await db.query<{ id: string }>(
    "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('agent@bench.dev', 'Agent', 'agent', 'x', now(), now()) RETURNING id");
  const [policy] = await db.query<{ id: string }>(
    `INSERT INTO sla_policies (name, position, metrics, created_at, updated_at) VALUES ('Bench', 1, $1, now(), now()) RETURNING id`,
    [JSON.stringify([{ name: 'first_response', target_minutes: TARGET_MS / 60_000, warn_at_percent: [50], warn_at_minutes_left: [] }])]);
  if (!group || !agent || !policy) throw new Error('seed failed');
  const base = { policyId: policy.id, groupId: group.id, assigneeId: agent.id, targetMs: TARGET_MS, warningMs: WARNING_MS };
  const seedStart = Date.now();
  // The far ones first, in chunks (one statement of a million rows is slow to plan and log): due hours from now.
  for (let done = 0; done < CLOCKS - DUE; done += 100_000) {
    await seedDueClocks(db, { ...base, count: Math.min(100_000, CLOCKS - DUE - done), firstDue: new Date(Date.now() + 3 * 3600_000), spacingMs: 10, subjectPrefix: `Far ${done} ` });
  }
  await db.exec(`CREATE TABLE naive_clocks (ticket_id uuid PRIMARY KEY, due_at timestamptz NOT NULL, fired_at timestamptz, fired_count int NOT NULL DEFAULT 0);
    CREATE INDEX naive_due ON naive_clocks (due_at) WHERE fired_at IS NULL;`);
  await db.exec('ANALYZE');
  process.stdout.write(`seeded ${CLOCKS - DUE} far clocks in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);

  // 1. Replyby's monitor: two worker processes, started (and ready) before the due clocks are written,
  //    so the window measures the monitor, not its start-up on a loaded host.
  const workers: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, [path.join(ROOT, 'bin/replyby.mjs'), 'worker'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: url, REPLYBY_SKIP_MIGRATIONS: '1', LOG_LEVEL: 'error', REPLYBY_MONITOR_CONCURRENCY: '4' },
  }));
  await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
    let out = '';
    w.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('worker running')) resolve();
    });
    w.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  })));
  const firstDue = new Date(Date.now() + 5000);
  await seedDueClocks(db, { ...base, count: DUE, firstDue, spacingMs: (WINDOW_S * 1000) / DUE, subjectPrefix: 'Due ' });
  // What intake's sync-sla-clocks sends for a near action (the bulk seed bypasses it): wake the sleeping monitors.
  await db.query("SELECT pg_notify($1 || '_' || current_schema(), $2)", [MONITOR_CHANNEL, firstDue.toISOString()]);
  process.stdout.write(`seeded ${DUE} clocks due over ${WINDOW_S} s from ${firstDue.toISOString()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const windowEnd = firstDue.getTime() + WINDOW_S * 1000;
  // Until everything due is taken (or 60 s past the window: what is left then counts as missed).
  for (;;) {
    await sleep(1000);
    const [left] = await db.query<{ n: string }>("SELECT count(*) AS n FROM sla_clocks WHERE next_action_at <= $1", [new Date(windowEnd)]);
    if ((Date.now() > windowEnd && Number(left?.n ?? 1) === 0) || Date.now() > windowEnd + 60_000) break;
  }
  process.stdout.write(`monitor done; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => {
    if (w.exitCode !== null || w.signalCode !== null) return r(null);
    const hard = setTimeout(() => w.kill('SIGKILL'), 15_000);
    w.once('exit', () => {
      clearTimeout(hard);
      r(null);
    });
  })));
  const monitor = await stats(db,
    `SELECT ticket_id, after->>'key' AS key, extract(epoch FROM created_at - (after->>'planned_at')::timestamptz) * 1000 AS ms
     FROM ticket_events WHERE kind = 'sla_warning'`);

  // 2. The alternative: two pollers sweeping every second, on the same clocks shifted to a new window.
  const naiveFirst = Date.now() + 5000;
  await db.query(
    `INSERT INTO naive_clocks (ticket_id, due_at)
     SELECT c.ticket_id, CASE WHEN t.subject LIKE 'Due %' THEN $1::timestamptz + (c.due_at - $2::timestamptz) ELSE c.due_at + interval '3 hours' END
     FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id`,
    [new Date(naiveFirst), new Date(firstDue.getTime() + WARNING_MS)]);
  await db.exec('ANALYZE naive_clocks');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let stop = false;
  const poller = async () => {
    while (!stop) {
      const started = Date.now();
      // Each sweep records what it fired as an event and an in-app notification, as a helpdesk job would.
      await pool.query(
        `WITH f AS (UPDATE naive_clocks SET fired_at = clock_timestamp(), fired_count = fired_count + 1 WHERE due_at <= now() AND fired_at IS NULL RETURNING ticket_id, fired_at),
         e AS (INSERT INTO ticket_events (ticket_id, actor_kind, kind, after, created_at) SELECT ticket_id, 'system', 'naive_warning', '{}'::jsonb, fired_at FROM f)
         INSERT INTO notifications (user_id, ticket_id, kind, title, body, created_at) SELECT $1, ticket_id, 'naive.warning', 'SLA warning', '', fired_at FROM f`, [agent.id]);
      await sleep(Math.max(0, 1000 - (Date.now() - started)));
    }
  };
  const pollers = [poller(), (async () => { await sleep(500); await poller(); })()];
  await sleep(naiveFirst + WINDOW_S * 1000 + 5000 - Date.now());
  stop = true;
  await Promise.all(pollers);
  await pool.end();
  const naive = await stats(db,
    `SELECT ticket_id, 'w' AS key, extract(epoch FROM fired_at - due_at) * 1000 AS ms FROM naive_clocks
     CROSS JOIN generate_series(1, fired_count) WHERE fired_at IS NOT NULL AND due_at <= $1`, [new Date(naiveFirst + WINDOW_S * 1000)]);
  await db.close();
  await dropDatabase(ADMIN_URL, DATABASE);

  const line = (name: string, s: Stats) => `${name}: clocks=${CLOCKS} fired=${s.fired} duplicates=${s.duplicates} missed=${s.missed} p50_ms=${Math.round(s.p50)} p99_ms=${Math.round(s.p99)} max_ms=${Math.round(s.max)}`;
  process.stdout.write(`${line('naive-1s-poll', naive)}\n${line('monitor-bench', monitor)}\n`);
}

async function stats(db: Awaited<ReturnType<typeof openDb>>, sql: string, params: unknown[] = []): Promise<Stats> {
  const [row] = await db.query<{ fired: string; distinct_fired: string; p50: number | null; p99: number | null; max: number | null }>(
    `WITH f AS (${sql})
     SELECT count(*) AS fired, count(DISTINCT (ticket_id, key)) AS distinct_fired,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max FROM f`, params);
  const fired = Number(row?.fired ?? 0);
  const distinct = Number(row?.distinct_fired ?? 0);
  return { fired, duplicates: fired - distinct, missed: DUE - distinct, p50: row?.p50 ?? 0, p99: row?.p99 ?? 0, max: row?.max ?? 0 };
}

await main();
