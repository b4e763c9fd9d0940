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
import os from 'node:os';
import { generateEventLog, runImport } from './lib/import-run.ts';

const CASES = Number(process.env.BENCH_IMPORT_CASES ?? 5000);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';

const text = generateEventLog(CASES);
for (const mode of ['batched', 'per-ticket'] as const) {
  // branch-prefixed (import_…), dropped after the run
  const r = await runImport(ADMIN_URL, `import_bench_${mode.replace('-', '_')}`, mode, text, CASES);
  process.stdout.write(`import mode=${mode} rows=${r.rows} tickets=${r.tickets} events=${r.events} seconds=${r.seconds.toFixed(2)} rows_per_s=${r.rows_per_s} load=${os.loadavg()[0]?.toFixed(2)}\n`);
}
