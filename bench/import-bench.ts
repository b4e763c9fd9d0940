// npm run bench:import — importing an event log on PostgreSQL: rows per second.
//
// Generates BENCH_IMPORT_CASES cases (default 5,000) of 4–6 rows each (new → open, reassigned, some
// pending, solved, closed; 60 groups, 200 agents, 2,000 callers) under one SLA policy with a business
// calendar, and imports it twice into fresh databases in the same run:
//   batched — the importer as shipped (500 tickets per transaction and statement, a failing batch retried ticket by ticket)
//   per-ticket — the same importer with --batch 1: one transaction per ticket (the plain all-or-nothing loop)
// Prints one machine-readable line per run: `import mode=… rows=… tickets=… seconds=… rows_per_s=…`.
//
//   BENCH_PG_ADMIN_URL  server (default postgres://127.0.0.1:5432/test); databases import_bench_* are dropped and re-created
import { policyMetricSchema } from '../src/core/policies/policy-model.ts';
import os from 'node:os';
import { importHistory } from '../src/app/import/import-history.ts';
import type { AppContext } from '../src/app/context.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { dropDatabase, recreateDatabase } from './lib/pg-database.ts';

const CASES = Number(process.env.BENCH_IMPORT_CASES ?? 5000);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const MAPPING = {
  source: 'bench', case_id: 'number', timestamp: { column: 'updated', zone: 'Europe/Berlin' }, order_by: ['seq'],
  fields: {
    status: { column: 'state', values: { New: 'new', Active: 'open', Waiting: 'pending', Resolved: 'solved', Closed: 'closed' } },
    group: { column: 'grp' }, assignee: { column: 'who' }, requester: { column: 'caller' }, priority: { column: 'prio' }, channel: { column: 'via' },
  },
  missing: ['?', ''],
};

function generate(cases: number): string {
  const lines = ['number,seq,updated,state,grp,who,caller,prio,via'];
  let t = Date.UTC(2024, 0, 1, 8, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (ms: number) => { const d = new Date(ms); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`; };
  for (let c = 0; c < cases; c++) {
    t += 7 * 60_000;
    const id = `INC${c}`;
    const grp = `Group ${c % 60}`;
    const who = `Agent ${c % 200}`;
    const caller = `Caller ${c % 2000}`;
    const prio = ['low', 'normal', 'high', 'urgent'][c % 4];
    let at = t;
    const row = (seq: number, state: string, g: string, w: string) => { lines.push(`${id},${seq},${local(at)},${state},${g},${w},${caller},${prio},email`); at += 37 * 60_000; };
    row(0, 'New', '?', '?');
    row(1, 'Active', grp, who);
    if (c % 3 === 0) row(2, 'Waiting', grp, who);
    if (c % 5 === 0) row(3, 'Active', `Group ${(c + 1) % 60}`, `Agent ${(c + 7) % 200}`);
    row(4, 'Resolved', grp, who);
    if (c % 2 === 0) row(5, 'Closed', grp, who);
  }
  return `${lines.join('\n')}\n`;
}

async function run(mode: 'batched' | 'per-ticket', text: string): Promise<void> {
  const name = `import_bench_${mode.replace('-', '_')}`; // branch-prefixed (import_…), dropped after the run
  const url = await recreateDatabase(ADMIN_URL, name);
  const db = await openDb({ databaseUrl: url, poolSize: 4 });
  try {
    await migrate(db);
    const now = new Date();
    const [cal] = await db.query<{ id: string }>(`INSERT INTO calendars (name, spec, created_at, updated_at) VALUES ('Office', $1, now(), now()) RETURNING id`,
      [JSON.stringify({ timezone: 'Europe/Berlin', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])) })]);
    await db.query(`INSERT INTO sla_policies (name, position, calendar_id, metrics, created_at, updated_at) VALUES ('Standard', 1, $1, $2, now(), now())`,
      // Through the policy schema, so the stored metrics carry its defaults as the admin API's would.
      [cal?.id, JSON.stringify([{ name: 'first_response', target_minutes: 240 }, { name: 'resolution', target_minutes: 960 }].map((m) => policyMetricSchema.parse(m)))]);
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const ctx: AppContext = { db, now: () => now, settings: { ticketPrefix: '#', publicUrl: 'http://bench' }, log: silent };
    const started = performance.now();
    const report = await importHistory(ctx, null, { kind: 'events', fileName: 'bench.csv', text, mapping: MAPPING, dryRun: false, batchSize: mode === 'batched' ? 500 : 1 });
    const seconds = (performance.now() - started) / 1000;
    if (report.tickets_written !== CASES) throw new Error(`${mode}: wrote ${report.tickets_written} of ${CASES}: ${report.errors[0]?.text ?? ''}`);
    const [{ events } = { events: 0 }] = await db.query<{ events: number }>('SELECT count(*)::int AS events FROM ticket_events');
    process.stdout.write(`import mode=${mode} rows=${report.rows_read} tickets=${report.tickets_written} events=${events} seconds=${seconds.toFixed(2)} rows_per_s=${Math.round(report.rows_read / seconds)} load=${os.loadavg()[0]?.toFixed(2)}\n`);
  } finally {
    await db.close();
    await dropDatabase(ADMIN_URL, name);
  }
}

const text = generate(CASES);
await run('batched', text);
await run('per-ticket', text);
