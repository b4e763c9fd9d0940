// Profiles one what-if replay (core/planning/whatif.ts) on the history of bench:planning's database, kept by
// BENCH_KEEP/BENCH_SEED_ONLY: the first run loads the history through the endpoint's loader and caches it as JSON
// (WHATIF_CACHE), later runs replay from the file. Run with `node --cpu-prof --import tsx bench/whatif-profile.ts`.
import fs from 'node:fs';
import { loadHistory, observedStaffing, WARM_UP_MS } from '../src/app/planning/run-whatif.ts';
import { loadSlaConfig } from '../src/app/sla/sla-config.ts';
import { simulateWhatIf, type HistoryTicket, type WhatIfSettings } from '../src/core/planning/index.ts';
import { openDb } from '../src/store/db.ts';
import { databaseUrlFor, withUser } from './lib/pg-database.ts';

const WEEK = 7 * 24 * 3_600_000;
const url = databaseUrlFor(withUser(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test'), process.env.BENCH_PG_DATABASE ?? 'replyby_whatif_bench');
const cache = process.env.WHATIF_CACHE ?? '/tmp/whatif-history.json';
const weeks = Number(process.env.BENCH_WHATIF_WEEKS ?? 2);

const db = await openDb({ databaseUrl: url });
const [meta] = await db.query<{ week: Date }>(`SELECT date_trunc('week', now()) AS week`);
const toMs = (meta as { week: Date }).week.getTime();
const fromMs = toMs - weeks * WEEK;
let history: HistoryTicket[];
if (fs.existsSync(cache)) history = JSON.parse(fs.readFileSync(cache, 'utf8')) as HistoryTicket[];
else {
  history = await loadHistory(db, fromMs - WARM_UP_MS, toMs, null);
  fs.writeFileSync(cache, JSON.stringify(history));
}
const config = await loadSlaConfig(db);
const calendars = new Map([...config.calendars].map(([id, cal]) => [id, cal.compiled]));
const settings: WhatIfSettings = { policies: config.policies, calendars, staffing: await observedStaffing(db, fromMs - WARM_UP_MS, toMs, null), routing: 'earliest_due' };
await db.close();
simulateWhatIf(history.slice(0, 10_000), settings, { fromMs, toMs });
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out = simulateWhatIf(history, settings, { fromMs, toMs });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (${(history.length / ((cpu.user + cpu.system) / 1e6)).toFixed(0)} tickets per CPU second); `);
  process.stdout.write(`${history.length} tickets in ${ms.toFixed(0)} ms = ${(history.length / (ms / 1000)).toFixed(0)} tickets/s; ${JSON.stringify([...out].map(([g, o]) => [g.slice(0, 8), o.first_response.compliance_pct?.toFixed(2), o.promises.kept]))}\n`);
}
