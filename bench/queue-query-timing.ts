// node --import tsx bench/queue-query-timing.ts — the queue's two queries at 100,000 tickets, without a browser.
//
// A dedicated schema on BENCH_PG_URL (default postgres://127.0.0.1:5432/test), migrated and demo-seeded, then
// BENCH_TICKETS (default 100,000) tickets bulk-inserted with generate_series exactly as bench/ui-bench.ts seeds
// them, and ANALYZEd. Times, BENCH_RUNS (default 20) times each after two warm-ups, for the demo agent (Support)
// and the supervisor: the open queue's first 50 rows (`listTickets`, view all_open, sort due) and the view counts
// three ways — the per-viewer `count(*) FILTER` statement (`countViewsUncached`), the shared rollup right after a
// change (`ViewCounter` invalidated before each call) and with its rollup cached (no change since the last call).
// Then BENCH_VIEWERS (default 20) viewers asking for their counts at once after a change, both ways.
// With BENCH_EXPLAIN=1 it prints EXPLAIN (ANALYZE, BUFFERS) of the per-viewer statement.
// The schema is dropped at the end.

import { randomBytes } from 'node:crypto';
import { signIn } from '../src/app/auth/sign-in.ts';
import type { AppContext } from '../src/app/context.ts';
import { seedDemo } from '../src/app/demo/seed-demo.ts';
import { countViewsSql, countViewsUncached, ViewCounter } from '../src/app/tickets/count-views.ts';
import { listTickets } from '../src/app/tickets/list-tickets.ts';
import type { Principal } from '../src/core/auth/principal.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { SEED_TICKETS_SQL } from './lib/seed-tickets.ts';

const URL = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1:5432/test';
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 20);
const log = (s: string) => process.stdout.write(`${s}\n`);
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)] ?? NaN;

async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  const xs: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= 2) xs.push(performance.now() - t0);
  }
  log(`${label.padEnd(44)} p50 ${pct(xs, 0.5).toFixed(1)} ms  p95 ${pct(xs, 0.95).toFixed(1)} ms  (n=${xs.length})`);
}

async function main(): Promise<void> {
  const schema = `qbench_${randomBytes(4).toString('hex')}`;
  const admin = await openDb({ databaseUrl: URL, poolSize: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = await openDb({ databaseUrl: URL, schema, poolSize: 4 });
  try {
    await migrate(db);
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const ctx: AppContext = { db, now: () => new Date(), settings: { ticketPrefix: '#', publicUrl: 'http://bench.test' }, log: silent };
    await seedDemo(ctx);
    const t0 = performance.now();
    await db.query(SEED_TICKETS_SQL, [TICKETS]);
    await db.exec('ANALYZE tickets');
    log(`seeded ${TICKETS} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s (schema ${schema})`);
    const who: [string, Principal][] = [];
    for (const email of ['alex@demo.replyby.dev', 'sam@demo.replyby.dev']) {
      const signedIn = await signIn(ctx, { email, password: 'demo1234' }, 'staff');
      if (!('principal' in signedIn)) throw new Error(`${email} needs a second factor`);
      who.push([email.split('@')[0] ?? email, signedIn.principal]);
    }
    for (const [name, p] of who) {
      await time(`${name}: open queue, first 50 rows`, () => listTickets(ctx, p, { view: 'all_open', sort: 'due', limit: '50' }));
      await time(`${name}: view counts, per-viewer statement`, () => countViewsUncached(ctx, p));
      const counter = new ViewCounter(ctx);
      await time(`${name}: view counts, rollup after a change`, () => {
        counter.invalidate();
        return counter.counts(p);
      });
      await time(`${name}: view counts, rollup cached`, () => counter.counts(p));
      await time(`${name}: rows and counts in parallel (cached)`, () => Promise.all([
        listTickets(ctx, p, { view: 'all_open', sort: 'due', limit: '50' }), counter.counts(p)]));
      if (process.env.BENCH_EXPLAIN === '1') {
        const { sql, params } = countViewsSql(p, ctx.now());
        const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        log(plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
      }
    }
    // After a change every connected agent's page asks for its counts at once.
    const viewers = Array.from({ length: VIEWERS }, (_, i) => who[i % who.length]?.[1]).filter((p): p is Principal => !!p);
    await time(`${VIEWERS} viewers after one change, per-viewer`, () => Promise.all(viewers.map((p) => countViewsUncached(ctx, p))));
    const shared = new ViewCounter(ctx);
    await time(`${VIEWERS} viewers after one change, shared rollup`, () => {
      shared.invalidate();
      return Promise.all(viewers.map((p) => shared.counts(p)));
    });
  } finally {
    await db.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
}

main().catch((err: unknown) => {
  log(`queue-query-timing failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
