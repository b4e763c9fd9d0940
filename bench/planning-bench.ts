// npm run bench:planning — forecast, plan and what-if over 500,000 tickets of history on PostgreSQL (issue 19 item 8).
//
//   1. a throw-away database (BENCH_PG_DATABASE, default replyby_whatif_bench) on BENCH_PG_ADMIN_URL, migrated and
//      demo-seeded in process, then BENCH_TICKETS (default 500,000) tickets bulk-seeded in SQL by bench:scale's seed
//      (bench/lib/seed-scale.ts) with a `season` over BENCH_HISTORY_WEEKS (default 8) whole weeks: every ticket, the
//      still open ones of the last days too, arrives by one generative process (bench/lib/planning-season.ts: per
//      group, requester language and channel a weekday × time-of-day rate, two holidays at a quarter of it, flat
//      from week to week; Poisson noise). A calendar "Bench holidays" (UTC) names the two holidays;
//   2. at Monday 00:00 UTC of this week (the seeded weeks are whole):
//        forecast   app/planning/forecast-arrivals.ts for all arrivals, 60-minute intervals, the seeded weeks as
//                   history, the holiday calendar's holidays (median of BENCH_RUNS, default 5, after a warm-up); its
//                   backtest WAPE is the error in percentage points; beside it, what an oracle that knows the
//                   seed's true rates scores on the same held-out weeks, and the Poisson floor those rates imply (no
//                   forecaster can expect to do better);  alternative: the plain SQL aggregation a report would run
//                   (mean arrivals per weekday × hour over the same weeks), in the same run;
//        plan       every group's forecast from one read (forecastArrivalsPerGroup) + Erlang C staffing for every
//                   interval of the week ahead (the cost floor of planning every group);
//                   alternatives: one forecast read per group, as calling the forecast endpoint per group would; and
//                   GET /planning/plan's use case (app/planning/build-plan.ts) for the busiest group;
//        what-if    the history of the last BENCH_WHATIF_WEEKS (default 2) weeks loaded as the endpoint loads it,
//                   then one replay through core/planning/whatif.ts: tickets per second through the simulation;
//                   alternative: the SLA engine alone on the same tickets (one first-response clock each, no
//                   queue), and the whole use case (load, calibrate, two replays) over the last week, once.
// Last line: `planning-bench: tickets=N forecast_ms=A plan_ms=B whatif_tickets_per_s=C backtest_error_pp=D`
// (goals N ≥ 500,000, A + B < 5,000, C ≥ 50,000, D ≤ 3). BENCH_KEEP=1 keeps the database; BENCH_SEED_ONLY=1 seeds
// it, keeps it and stops (run it with `nice`, outside the bench lock); BENCH_REUSE=1 measures a database seeded
// earlier in the same week (migrated again, not re-seeded) and keeps it.

import pg from 'pg';
import { runWhatIfFor, loadHistory, observedStaffing, WARM_UP_MS } from '../src/app/planning/run-whatif.ts';
import { forecastArrivalsFor, forecastArrivalsPerGroup } from '../src/app/planning/forecast-arrivals.ts';
import { buildPlan } from '../src/app/planning/build-plan.ts';
import { loadSlaConfig } from '../src/app/sla/sla-config.ts';
import type { AppContext } from '../src/app/context.ts';
import { seedDemo } from '../src/app/demo/seed-demo.ts';
import type { StaffPrincipal } from '../src/core/auth/principal.ts';
import { firstResponseBreached, planErlang, simulateWhatIf, type WhatIfSettings } from '../src/core/planning/index.ts';
import { selectPolicy } from '../src/core/policies/select-policy.ts';
import { policyMetricDefinitions } from '../src/core/policies/ticket-sla-input.ts';
import { ALWAYS_OPEN } from '../src/core/calendar/index.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { databaseUrlFor, dropDatabase, recreateDatabase, withUser } from './lib/pg-database.ts';
import { seedScale } from './lib/seed-scale.ts';
import { HOLIDAY_DAYS_FROM_START, poissonMeanAbsDeviation, seasonTable, seedGroupShare } from './lib/planning-season.ts';
import { createCalendar, listCalendars } from '../src/app/sla/manage-calendars.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 500_000);
const WEEKS = Number(process.env.BENCH_HISTORY_WEEKS ?? 8);
const WHATIF_WEEKS = Number(process.env.BENCH_WHATIF_WEEKS ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PG_ADMIN_URL = withUser(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test');
const PG_DATABASE = process.env.BENCH_PG_DATABASE ?? 'replyby_whatif_bench';
const SEED_ONLY = process.env.BENCH_SEED_ONLY === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const KEEP = process.env.BENCH_KEEP === '1' || SEED_ONLY || REUSE;
const WEEK = 7 * 24 * 3_600_000;
const DAY = 24 * 3_600_000;
const HOUR = 3_600_000;
// The seed's groups: the demo's 3 and bench:scale's 5 (the season's shapes are drawn for them).
const SEED_GROUPS = 8;
const HOLIDAY_CALENDAR = 'Bench holidays';

const log = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
async function medianOf(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: plans, caches, JIT
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await timed(fn)).ms);
  return median(ms);
}

async function main(): Promise<void> {
  const url = REUSE ? databaseUrlFor(PG_ADMIN_URL, PG_DATABASE) : await recreateDatabase(PG_ADMIN_URL, PG_DATABASE);
  const db = await openDb({ databaseUrl: url });
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let now = new Date();
  const ctx: AppContext = { db, now: () => now, settings: { ticketPrefix: '#', publicUrl: 'http://replyby.bench' }, log: silent };
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await migrate(db);
    const season = seasonTable(SEED_GROUPS, WEEKS, seedGroupShare(SEED_GROUPS));
    const seeded = REUSE ? { counts: {} as Record<string, number>, seconds: 0 } : (await seedDemo(ctx), await seedScale(c, { tickets: TICKETS, log, season: { weeks: WEEKS, rows: season.rows } }));
    const { rows: [meta] } = await c.query<{ week: Date; tickets: number }>(`SELECT date_trunc('week', now()) AS week, count(*)::int AS tickets FROM tickets`);
    if (!meta) throw new Error('no tickets');
    now = meta.week;
    log(`${REUSE ? 'reused' : 'seeded'} ${meta.tickets} tickets${REUSE ? '' : ` in ${seeded.seconds.toFixed(0)} s`}; the clock at ${now.toISOString()}`);
    if (SEED_ONLY) return;
    const { rows: [sup] } = await c.query<{ id: string; email: string; name: string }>(`SELECT id, email, name FROM users WHERE role = 'supervisor' ORDER BY email LIMIT 1`);
    if (!sup) throw new Error('no supervisor in the demo data');
    const actor: StaffPrincipal = { kind: 'user', id: sup.id, email: sup.email, name: sup.name, role: 'supervisor', language: 'en', time_zone: 'UTC', groupIds: [] };
    const { rows: [groupCount] } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM groups');
    if (groupCount?.n !== SEED_GROUPS) throw new Error(`the season was drawn for ${SEED_GROUPS} groups, the database has ${groupCount?.n}`);

    // The holidays the seed placed, in a calendar the forecast reads (the spec's "calendar's holidays").
    const historyStartMs = now.getTime() - WEEKS * WEEK;
    const holidayDates = HOLIDAY_DAYS_FROM_START.filter((d) => d < WEEKS * 7).map((d) => new Date(historyStartMs + d * DAY).toISOString().slice(0, 10));
    const { rows: [admin] } = await c.query<{ id: string; email: string; name: string }>(`SELECT id, email, name FROM users WHERE role = 'admin' ORDER BY email LIMIT 1`);
    if (!admin) throw new Error('no admin in the demo data');
    const adminActor: StaffPrincipal = { ...actor, id: admin.id, email: admin.email, name: admin.name, role: 'admin' };
    const holidayCalendar = (await listCalendars(ctx, adminActor)).find((cal) => cal.name === HOLIDAY_CALENDAR)
      ?? await createCalendar(ctx, adminActor, { name: HOLIDAY_CALENDAR, spec: { timezone: 'UTC', hours: { mon: [['08:00', '18:00']], tue: [['08:00', '18:00']], wed: [['08:00', '18:00']], thu: [['08:00', '18:00']], fri: [['08:00', '18:00']] }, holidays: holidayDates } });

    // -------- forecast and its backtest, against the plain SQL a report would run
    const query = { interval_minutes: 60, history_weeks: WEEKS, calendar_id: holidayCalendar.id };
    const forecast = await forecastArrivalsFor(ctx, actor, query);
    const forecastMs = await medianOf(RUNS, () => forecastArrivalsFor(ctx, actor, query));
    const sqlMs = await medianOf(RUNS, () => db.query(
      `SELECT extract(isodow FROM created_at) AS dow, extract(hour FROM created_at) AS hour, count(*)::float8 / $3 AS mean
         FROM tickets WHERE created_at >= $1 AND created_at < $2 AND merged_into_id IS NULL GROUP BY 1, 2`,
      [new Date(now.getTime() - WEEKS * WEEK), now, WEEKS]));
    const busiest = Math.max(...forecast.intervals.map((i) => i.expected));
    log(`forecast: ${forecast.history.arrivals} arrivals in ${WEEKS} weeks, model ${forecast.model}, backtest WAPE ${forecast.backtestErrorPct?.toFixed(2)} % ` +
      `(all models: ${JSON.stringify(forecast.backtest)}); busiest hour ${busiest.toFixed(0)} arrivals, whose Poisson noise alone is a WAPE of ≈ ${(100 * Math.sqrt(2 / Math.PI) / Math.sqrt(busiest)).toFixed(1)} %`);
    log(`  forecast-arrivals median ${forecastMs.toFixed(0)} ms | plain SQL weekday × hour means ${sqlMs.toFixed(0)} ms`);
    // The oracle: the seed's true expected arrivals per hour (its share of the history's arrivals) against what
    // arrived in the weeks the backtest holds out; and the Poisson floor, Σ E|X − λ| / Σ λ over those hours.
    const heldOutFromMs = now.getTime() - forecast.backtestWeeks * WEEK;
    const { rows: actualRows } = await c.query<{ h: number; n: number }>(
      `SELECT floor(extract(epoch FROM created_at - $1::timestamptz) / 3600)::int AS h, count(*)::int AS n FROM tickets
        WHERE created_at >= $1 AND created_at < $2 AND merged_into_id IS NULL GROUP BY 1`, [new Date(heldOutFromMs), now]);
    const actual = new Array<number>(forecast.backtestWeeks * 168).fill(0);
    for (const r of actualRows) actual[r.h] = r.n;
    const firstHour = (heldOutFromMs - historyStartMs) / HOUR;
    const lambda = actual.map((_, i) => forecast.history.arrivals * (season.rate[firstHour + i] ?? 0));
    const perWeek = (xs: (i: number) => number, ys: (i: number) => number) => Array.from({ length: forecast.backtestWeeks }, (_, w) => {
      let num = 0; let den = 0;
      for (let i = w * 168; i < (w + 1) * 168; i += 1) { num += xs(i); den += ys(i); }
      return (100 * num) / den;
    });
    const oracleWeeks = perWeek((i) => Math.abs((actual[i] ?? 0) - (lambda[i] ?? 0)), (i) => actual[i] ?? 0);
    const oracle = (100 * actual.reduce((s, a, i) => s + Math.abs(a - (lambda[i] ?? 0)), 0)) / actual.reduce((s, a) => s + a, 0);
    const floor = (100 * lambda.reduce((s, l) => s + poissonMeanAbsDeviation(l), 0)) / lambda.reduce((s, l) => s + l, 0);
    const quiet = lambda.filter((l) => l < 100).length;
    log(`  backtest weeks: the forecast's WAPE ${forecast.backtestErrorPct?.toFixed(2)} % | an oracle with the seed's true rates ${oracle.toFixed(2)} % (per week ${oracleWeeks.map((x) => x.toFixed(2)).join(', ')}) ` +
      `| the Poisson floor of those rates ${floor.toFixed(2)} % (${quiet} of ${lambda.length} hours expect fewer than 100 arrivals) | holidays ${holidayDates.join(', ')}, holiday factor ${forecast.holidayFactor.toFixed(2)}`);

    // -------- plan: every group's forecast (one read) + Erlang C for each interval of the week ahead; beside it,
    // the same with one forecast read per group
    let intervals = 0;
    const plan = async (perGroupReads: boolean) => {
      intervals = 0;
      const forecasts = perGroupReads
        ? await Promise.all(groups.map((g) => forecastArrivalsFor(ctx, actor, { ...query, group_id: g.id })))
        : await forecastArrivalsPerGroup(ctx, actor, query);
      for (const f of forecasts) {
        for (const i of f.intervals) {
          planErlang({ calls: i.expected, interval_minutes: 60, aht_seconds: 900, answer_seconds: 3600, target_sl: 0.8, shrinkage: 0.3 });
          intervals += 1;
        }
      }
    };
    const { rows: groups } = await c.query<{ id: string }>('SELECT id FROM groups ORDER BY name');
    const planMs = await medianOf(Math.max(1, Math.floor(RUNS / 2)), () => plan(false));
    const planEachMs = (await timed(() => plan(true))).ms;
    // The plan endpoint's use case for the busiest group (its channels' forecasts, deadlines, rosters, handling time).
    const { rows: [busiestGroup] } = await c.query<{ group_id: string }>(
      `SELECT group_id FROM tickets WHERE created_at >= $1 AND group_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, [new Date(now.getTime() - WEEKS * WEEK)]);
    const endpointMs = busiestGroup ? await medianOf(1, () => buildPlan(ctx, actor, { group: busiestGroup.group_id, history_weeks: WEEKS })) : Number.NaN;
    log(`plan: ${groups.length} groups, ${intervals} intervals, median ${planMs.toFixed(0)} ms | one forecast read per group: ${planEachMs.toFixed(0)} ms | GET /planning/plan's use case for the busiest group: ${endpointMs.toFixed(0)} ms`);

    // -------- what-if: the simulation's throughput, beside the SLA engine alone
    const toMs = now.getTime();
    const fromMs = toMs - WHATIF_WEEKS * WEEK;
    const loaded = await timed(() => loadHistory(db, fromMs - WARM_UP_MS, toMs, null));
    const history = loaded.value;
    const config = await loadSlaConfig(db);
    const calendars = new Map([...config.calendars].map(([id, cal]) => [id, cal.compiled]));
    const settings: WhatIfSettings = { policies: config.policies, calendars, staffing: await observedStaffing(db, fromMs - WARM_UP_MS, toMs, null), routing: 'earliest_due' };
    const period = { fromMs, toMs };
    simulateWhatIf(history.slice(0, 10_000), settings, period); // warm-up (JIT)
    const sims: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < 3; i++) {
      const cpu0 = process.cpuUsage();
      sims.push((await timed(() => simulateWhatIf(history, settings, period))).ms);
      const cpu = process.cpuUsage(cpu0);
      cpus.push((cpu.user + cpu.system) / 1000);
    }
    const simMs = median(sims);
    // The CPU time beside the wall clock: on two cores shared by five engineers the replay gets a third of a core
    // at times, and the wall-clock rate says more about the neighbours than about the simulation.
    const simCpuMs = median(cpus);
    const perSecond = history.length / (simMs / 1000);
    const engine = await timed(() => {
      let breached = 0;
      for (const h of history) {
        const policy = selectPolicy(config.policies, h.subject);
        const def = policy ? policyMetricDefinitions(policy, h.subject.priority).find((m) => m.name === 'first_response') : undefined;
        if (!policy || !def) continue;
        const calendar = policy.calendar_id ? calendars.get(policy.calendar_id) ?? ALWAYS_OPEN : ALWAYS_OPEN;
        if (firstResponseBreached({ def, pause: [], calendar }, h, h.observed.firstReplyAt, toMs)) breached += 1;
      }
      return breached;
    });
    // The endpoint end to end on the last week only (it calibrates with ~16 replays per group: minutes at 4 weeks).
    const whole = await timed(() => runWhatIfFor(ctx, actor, { from: new Date(toMs - WEEK).toISOString(), to: new Date(toMs).toISOString(), changes: { routing: 'fifo' } }));
    log(`what-if: ${history.length} tickets (${WHATIF_WEEKS} weeks + 1 warm-up) loaded in ${loaded.ms.toFixed(0)} ms; one replay median ${simMs.toFixed(0)} ms = ${perSecond.toFixed(0)} tickets/s (CPU ${simCpuMs.toFixed(0)} ms = ${(history.length / (simCpuMs / 1000)).toFixed(0)} tickets per CPU second) ` +
      `| the SLA engine alone, one clock per ticket: ${engine.ms.toFixed(0)} ms = ${(history.length / (engine.ms / 1000)).toFixed(0)} tickets/s ` +
      `| POST /planning/whatif's use case over the last week (load, calibrate, two replays): ${whole.ms.toFixed(0)} ms for ${whole.value.tickets} tickets in ${whole.value.groups.length} groups`);

    const n = meta.tickets;
    log(`planning-bench: tickets=${n} forecast_ms=${forecastMs.toFixed(0)} plan_ms=${planMs.toFixed(0)} whatif_tickets_per_s=${perSecond.toFixed(0)} backtest_error_pp=${forecast.backtestErrorPct?.toFixed(2) ?? 'null'}`);
  } finally {
    await c.end();
    await db.close();
    if (!KEEP) await dropDatabase(PG_ADMIN_URL, PG_DATABASE);
  }
}

main().catch((err: unknown) => {
  log(`planning-bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
