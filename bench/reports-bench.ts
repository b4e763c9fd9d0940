// npm run bench:reports — the supervisor's reports, the export and the import at 1,000,000 tickets on PostgreSQL
// (issue 18 item 5).
//
//   1. a throw-away database (BENCH_PG_DATABASE, default replyby_export_bench) on BENCH_PG_ADMIN_URL; the real server
//      migrates and demo-seeds it; BENCH_TICKETS (default 1,000,000) tickets are bulk-seeded in SQL by bench:scale's
//      seed (bench/lib/seed-scale.ts: two years of history with messages, events and SLA clocks); the server is
//      restarted over the seeded database;
//   2. server time (`Server-Timing: app;dur=`) of GET /api/v1/reports/kpis and /heatmap, BENCH_SAMPLES (default 20)
//      requests per period × filter (periods: the default 30 days, 90 days, a year; filters: none, channel=email,
//      priority=high, one group), after a warm-up each;
//   3. the export streamed from the API to nowhere (JSON Lines of every ticket, then CSV of every ticket): rows
//      (tickets) per second, by a server restarted with its V8 heap capped at BENCH_EXPORT_HEAP_MB (default 160) —
//      an export held in memory would not fit —, and its resident memory sampled every 100 ms while it streams;
//   4. the import (bench/lib/import-run.ts, as bench:import): BENCH_IMPORT_CASES (default 5,000) cases of an event
//      log into a fresh database, rows per second;
//   5. plain SQL in the same run, straight to PostgreSQL without the server: volume, first-response and resolution
//      aggregates of the same periods (what the database alone costs for the core of the KPIs), and the same export
//      as one statement through a server-side cursor (DECLARE … FETCH 5000) that builds each ticket's JSON, events
//      and messages included, inside PostgreSQL.
// Last line: `reports-bench: tickets=N kpi_p95_ms=A heatmap_p95_ms=B export_rows_per_s=C import_rows_per_s=D`
// (goals N ≥ 1,000,000, A < 1000, B < 1000, C ≥ 20000, D ≥ 2000). BENCH_KEEP=1 keeps the database.
// BENCH_REUSE=1 measures a database kept by an earlier run (BENCH_KEEP=1) when it already holds BENCH_TICKETS tickets
// (the server migrates it on start: a new migration runs over the seeded history); BENCH_SEED_ONLY=1 seeds, keeps the
// database and stops (a 1 M seed takes 10–40 minutes here: seed once, measure many times). BENCH_ONLY=export measures
// the export alone (no KPIs, heatmap or import; a web-only server, whose worker would otherwise write the KPI rollup of a
// database kept by another run) and prints `reports-bench: tickets=N export_rows_per_s=C export_csv_rows_per_s=E`.

import { readFileSync } from 'node:fs';
import pg from 'pg';
import { generateEventLog, runImport } from './lib/import-run.ts';
import { databaseUrlFor, dropDatabase, recreateDatabase, withUser } from './lib/pg-database.ts';
import { seedScale } from './lib/seed-scale.ts';
import { signIn, startServer, type ServerHandle } from './lib/server-process.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const IMPORT_CASES = Number(process.env.BENCH_IMPORT_CASES ?? 5000);
const PG_ADMIN_URL = withUser(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test');
const PG_DATABASE = process.env.BENCH_PG_DATABASE ?? 'replyby_export_bench';
const SEED_ONLY = process.env.BENCH_SEED_ONLY === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const KEEP = process.env.BENCH_KEEP === '1' || SEED_ONLY || REUSE;
const EXPORT_HEAP_MB = Number(process.env.BENCH_EXPORT_HEAP_MB ?? 160);
/** BENCH_EXPORT_DAYS: export only the tickets created in the last N days (all by default; 1 M tickets take an hour here). */
const EXPORT_DAYS = process.env.BENCH_EXPORT_DAYS ? Number(process.env.BENCH_EXPORT_DAYS) : null;
const ONLY_EXPORT = process.env.BENCH_ONLY === 'export';
const ROLES: Record<string, string> = ONLY_EXPORT ? { REPLYBY_ROLES: 'web' } : {};
const SUPERVISOR = { email: 'sam@demo.replyby.dev', password: 'demo1234' };
const DAY = 86_400_000;

const log = (s: string) => process.stdout.write(`${s}\n`);
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};
const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function serverTime(base: string, token: string, path: string): Promise<number> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  const m = /app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
  if (!m) throw new Error(`GET ${path}: no Server-Timing header`);
  return Number(m[1]);
}

/** Streams an export to nowhere: rows (lines, less a CSV header), bytes, seconds, the server's peak RSS. */
async function streamExport(server: ServerHandle, token: string, path: string, header: boolean): Promise<{ rows: number; mb: number; seconds: number; rssBefore: number; rssPeak: number }> {
  const pid = server.child.pid ?? 0;
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMb(pid)); }, 100);
  const t0 = performance.now();
  let lines = 0;
  let bytes = 0;
  try {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok || !res.body) throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      const chunk = r.value;
      bytes += chunk.byteLength;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
  } finally {
    clearInterval(sampler);
  }
  // CSV rows may hold line breaks inside quotes; the seed's ticket rows do not (subjects are one line).
  return { rows: lines - (header ? 1 : 0), mb: bytes / 1e6, seconds: (performance.now() - t0) / 1000, rssBefore, rssPeak };
}

/** The same export as plain SQL: one statement, a server-side cursor, each ticket's JSON built by PostgreSQL. */
async function cursorExport(c: pg.Client, since: Date): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  let rows = 0;
  await c.query('BEGIN');
  await c.query(`DECLARE export_cursor NO SCROLL CURSOR FOR
    SELECT json_build_object('number', t.number, 'subject', t.subject, 'status', t.status, 'priority', t.priority, 'type', t.type, 'channel', t.channel,
             'group', g.name, 'assignee', u.email, 'requester', ct.email, 'created_at', t.created_at, 'solved_at', t.solved_at, 'closed_at', t.closed_at,
             'events', (SELECT COALESCE(json_agg(json_build_object('seq', e.seq, 'kind', e.kind, 'before', e.before, 'after', e.after, 'created_at', e.created_at) ORDER BY e.seq), '[]') FROM ticket_events e WHERE e.ticket_id = t.id),
             'messages', (SELECT COALESCE(json_agg(json_build_object('kind', m.kind, 'author_kind', m.author_kind, 'body_text', m.body_text, 'created_at', m.created_at) ORDER BY m.created_at), '[]') FROM messages m WHERE m.ticket_id = t.id))::text AS line
      FROM tickets t LEFT JOIN groups g ON g.id = t.group_id LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN contacts ct ON ct.id = t.requester_id
     WHERE t.merged_into_id IS NULL AND t.created_at >= $1 ORDER BY t.created_at, t.id`, [since]);
  for (;;) {
    const res = await c.query<{ line: string }>('FETCH 5000 FROM export_cursor');
    rows += res.rows.length;
    if (res.rows.length < 5000) break;
  }
  await c.query('COMMIT');
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

const PLAIN_KPI_SQL = `SELECT
  (SELECT count(*) FROM tickets WHERE merged_into_id IS NULL AND created_at >= $1 AND created_at < $2) AS volume,
  (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM first_responded_at - created_at))
     FROM tickets WHERE merged_into_id IS NULL AND created_at >= $1 AND created_at < $2 AND first_responded_at IS NOT NULL) AS first_response,
  (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM solved_at - created_at))
     FROM tickets WHERE merged_into_id IS NULL AND solved_at >= $1 AND solved_at < $2) AS resolution`;

/** BENCH_REUSE: the kept database's ticket count when it holds BENCH_TICKETS (±1 %, the seed rounds), else null. */
async function keptTickets(): Promise<number | null> {
  const c = new pg.Client({ connectionString: databaseUrlFor(PG_ADMIN_URL, PG_DATABASE) });
  c.on('error', () => undefined);
  try {
    await c.connect();
    const { rows: [r] } = await c.query<{ n: string }>('SELECT count(*) AS n FROM tickets');
    const n = Number(r?.n ?? 0);
    return n >= TICKETS * 0.99 ? n : null;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  log(`== ${TICKETS.toLocaleString('en')} tickets (database ${PG_DATABASE}) ==`);
  const kept = REUSE ? await keptTickets() : null;
  const databaseUrl = kept === null ? await recreateDatabase(PG_ADMIN_URL, PG_DATABASE) : databaseUrlFor(PG_ADMIN_URL, PG_DATABASE);
  const first = kept === null
    ? await startServer({ env: { DATABASE_URL: databaseUrl, REPLYBY_SEED_DEMO: '1', LOG_LEVEL: 'warn' }, readyTimeoutMs: 180_000 })
    : null;
  const c = new pg.Client({ connectionString: databaseUrlFor(PG_ADMIN_URL, PG_DATABASE) });
  await c.connect();
  let server: ServerHandle | null = first;
  try {
    let tickets: number;
    if (kept === null) {
      const seeded = await seedScale(c, { tickets: TICKETS, log });
      log(`  seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}`);
      tickets = seeded.counts.tickets ?? TICKETS;
      await first?.stop(); // as bench:scale: measure a server started over the seeded database
      if (SEED_ONLY) return;
    } else {
      tickets = kept;
      log(`  reusing the kept database: ${kept} tickets`);
    }
    const t0 = performance.now();
    server = await startServer({ env: { DATABASE_URL: databaseUrl, REPLYBY_SEED_DEMO: '0', LOG_LEVEL: 'warn', ...ROLES }, readyTimeoutMs: 1_800_000 });
    log(`  server ready (migrated) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The KPI rollup (app/reports/kpi-rollup.ts) is built by the worker's first turn over the seeded history (the
    // seed writes with triggers off and past any cursor); measure requests once it is, and say what it cost.
    const t1 = performance.now();
    for (; !ONLY_EXPORT;) {
      const { rows: [cur] } = await c.query<{ last_seq: string; levels_built: boolean }>('SELECT last_seq::text, levels_built FROM kpi_rollup_cursor');
      if (cur && Number(cur.last_seq) >= 0 && cur.levels_built) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    // The worker vacuums the day level right after a rebuild (jobs/kpi-rollup.ts): wait for it too (at most 5 min).
    for (const t2 = performance.now(); !ONLY_EXPORT && performance.now() - t2 < 300_000;) {
      const { rows: [v] } = await c.query<{ done: boolean }>(
        `SELECT COALESCE((SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'kpi_lite_bins') >= (SELECT rebuilt_at FROM kpi_rollup_cursor), false) AS done`);
      if (v?.done) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const { rows: [rollup] } = ONLY_EXPORT ? { rows: [] } : await c.query<{ rows: string; mb: string; lite: string; lite_mb: string; bins: string; bins_mb: string }>(
      `SELECT (SELECT count(*) FROM kpi_rollup)::text AS rows, (pg_total_relation_size('kpi_rollup') / 1e6)::int::text AS mb,
              (SELECT count(*) FROM kpi_lite)::text AS lite, (pg_total_relation_size('kpi_lite') / 1e6)::int::text AS lite_mb,
              (SELECT count(*) FROM kpi_lite_bins)::text AS bins, (pg_total_relation_size('kpi_lite_bins') / 1e6)::int::text AS bins_mb`);
    if (!ONLY_EXPORT) log(`  KPI rollup built in ${((performance.now() - t1) / 1000).toFixed(1)} s (waited): ${rollup?.rows} rows, ${rollup?.mb} MB; day level ${rollup?.lite} rows, ${rollup?.lite_mb} MB; bins ${rollup?.bins} rows, ${rollup?.bins_mb} MB`);
    const token = await signIn(server.url, SUPERVISOR.email, SUPERVISOR.password);

    const now = Date.now();
    const periods = [['30d', ''], ['90d', `from=${new Date(now - 90 * DAY).toISOString()}&to=${new Date(now).toISOString()}`], ['1y', `from=${new Date(now - 365 * DAY).toISOString()}&to=${new Date(now).toISOString()}`]] as const;
    const { rows: [group] } = await c.query<{ id: string }>(`SELECT id FROM groups ORDER BY name LIMIT 1`);
    const filters = [['all', ''], ['email', 'channel=email'], ['high', 'priority=high'], ['group', `group_id=${group?.id ?? ''}`]] as const;
    const times: Record<'kpis' | 'heatmap', number[]> = { kpis: [], heatmap: [] };
    for (const endpoint of ONLY_EXPORT ? [] : ['kpis', 'heatmap'] as const) {
      for (const [pname, period] of periods) {
        for (const [fname, filter] of filters) {
          const qs = [period, filter, endpoint === 'heatmap' ? 'zone=Europe/Berlin' : ''].filter(Boolean).join('&');
          const path = `/api/v1/reports/${endpoint}${qs ? `?${qs}` : ''}`;
          await serverTime(server.url, token, path); // warm-up: plan, caches
          const xs: number[] = [];
          for (let i = 0; i < SAMPLES; i++) xs.push(await serverTime(server.url, token, path));
          times[endpoint].push(...xs);
          log(`  ${endpoint.padEnd(8)} ${pname.padEnd(4)} ${fname.padEnd(6)} server p50 ${pct(xs, 0.5).toFixed(1).padStart(8)} ms  p95 ${pct(xs, 0.95).toFixed(1).padStart(8)} ms`);
        }
      }
    }
    const plain: number[] = [];
    for (const [pname] of ONLY_EXPORT ? [] : periods) {
      const days = pname === '30d' ? 30 : pname === '90d' ? 90 : 365;
      const args = [new Date(now - days * DAY), new Date(now)];
      await c.query(PLAIN_KPI_SQL, args);
      const xs: number[] = [];
      for (let i = 0; i < Math.min(SAMPLES, 10); i++) {
        const t0 = performance.now();
        await c.query(PLAIN_KPI_SQL, args);
        xs.push(performance.now() - t0);
      }
      plain.push(...xs);
      log(`  plain SQL ${pname.padEnd(4)} volume + first response + resolution percentiles: p50 ${pct(xs, 0.5).toFixed(1)} ms  p95 ${pct(xs, 0.95).toFixed(1)} ms`);
    }

    // Constant memory, shown two ways: the server's RSS while it streams, and a server whose V8 heap is capped at
    // EXPORT_HEAP_MB — far less than the export's size — streaming it all without running out of memory.
    await server.stop();
    server = await startServer({ env: { DATABASE_URL: databaseUrl, REPLYBY_SEED_DEMO: '0', LOG_LEVEL: 'warn', ...ROLES }, nodeArgs: [`--max-old-space-size=${EXPORT_HEAP_MB}`], readyTimeoutMs: 180_000 });
    const since = EXPORT_DAYS === null ? new Date(0) : new Date(now - EXPORT_DAYS * DAY);
    const sinceQs = EXPORT_DAYS === null ? '' : `&from=${since.toISOString()}`;
    const { rows: [exported] } = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM tickets WHERE merged_into_id IS NULL AND created_at >= $1', [since]);
    const expected = Number(exported?.n ?? 0);
    log(`  export: ${EXPORT_DAYS === null ? 'every ticket' : `the tickets created in the last ${EXPORT_DAYS} days`}: ${expected}`);
    const jsonl = await streamExport(server, token, `/api/v1/exports/tickets?format=jsonl${sinceQs}`, false);
    const jsonlRate = Math.round(jsonl.rows / jsonl.seconds);
    log(`  export jsonl  (heap capped at ${EXPORT_HEAP_MB} MB) ${jsonl.rows} tickets  ${jsonl.mb.toFixed(0)} MB  ${jsonl.seconds.toFixed(1)} s  ${jsonlRate} rows/s  server RSS ${jsonl.rssBefore.toFixed(0)} MB before, peak ${jsonl.rssPeak.toFixed(0)} MB`);
    if (jsonl.rows !== expected) throw new Error(`the export has ${jsonl.rows} tickets of ${expected}`);
    const csv = await streamExport(server, token, `/api/v1/exports/tickets?format=csv${sinceQs}`, true);
    log(`  export csv    ${csv.rows} tickets  ${csv.mb.toFixed(0)} MB  ${csv.seconds.toFixed(1)} s  ${Math.round(csv.rows / csv.seconds)} rows/s  server RSS peak ${csv.rssPeak.toFixed(0)} MB`);
    const cursor = await cursorExport(c, since);
    log(`  plain SQL cursor export (JSON built in PostgreSQL, FETCH 5000)  ${cursor.rows} tickets  ${cursor.seconds.toFixed(1)} s  ${Math.round(cursor.rows / cursor.seconds)} rows/s`);
    if (server.problems.length) log(`  server warnings: ${server.problems.length}, first: ${server.problems[0]?.slice(0, 300)}`);
    await server.stop();

    if (ONLY_EXPORT) {
      log(`reports-bench: tickets=${tickets} export_rows_per_s=${jsonlRate} export_csv_rows_per_s=${Math.round(csv.rows / csv.seconds)}`);
      return;
    }
    const imported = await runImport(PG_ADMIN_URL, `${PG_DATABASE}_import`, 'batched', generateEventLog(IMPORT_CASES), IMPORT_CASES);
    log(`  import  ${imported.rows} rows  ${imported.tickets} tickets  ${imported.seconds.toFixed(1)} s  ${imported.rows_per_s} rows/s`);

    log(`comparison: plain_sql_kpi_p95_ms=${pct(plain, 0.95).toFixed(1)} cursor_export_rows_per_s=${Math.round(cursor.rows / cursor.seconds)} export_rss_before_mb=${jsonl.rssBefore.toFixed(0)} export_rss_peak_mb=${Math.max(jsonl.rssPeak, csv.rssPeak).toFixed(0)}`);
    log(`reports-bench: tickets=${tickets} kpi_p95_ms=${pct(times.kpis, 0.95).toFixed(1)} heatmap_p95_ms=${pct(times.heatmap, 0.95).toFixed(1)} export_rows_per_s=${jsonlRate} import_rows_per_s=${imported.rows_per_s}`);
  } finally {
    await c.end();
    await server?.stop();
    if (!KEEP) await dropDatabase(PG_ADMIN_URL, PG_DATABASE);
  }
}

main().catch((err: unknown) => {
  log(`reports-bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
