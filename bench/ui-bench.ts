// npm run bench:ui — the agent workspace in a real browser over 100,000 tickets on PostgreSQL.
//
//   1. a throw-away database (BENCH_PG_DATABASE, default workspace_uibench) on BENCH_PG_ADMIN_URL, the real server
//      (`node bin/replyby.mjs start`, demo seed) on it, then BENCH_TICKETS (default 100,000) tickets bulk-inserted
//      with generate_series (not via the API) and ANALYZEd;
//   2. queue render: chromium signed in as a demo agent navigates to the open queue, BENCH_RUNS (default 15) times;
//      time from navigation start to the first 50 rows in the DOM;
//   3. live update: a second browser watches the queue while the first changes a visible ticket's subject over
//      the API; time from the change request to the new subject on the second screen — live (server-sent
//      events) against the alternative the old UI had: a full reload right after the change (its best case;
//      its 30 s polling adds 15 s on average);
//   4. js_kb: the built JavaScript (web/dist/assets/*.js), raw and gzipped.
// Last line: `ui-bench: tickets=N queue_render_p95_ms=A live_update_p95_ms=B js_kb=C`.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Page } from 'playwright-core';
import { dropDatabase, recreateDatabase } from './lib/pg-database.ts';
import { REPO_ROOT, signIn, startServer } from './lib/server-process.ts';
import { SEED_TICKETS_SQL } from './lib/seed-tickets.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const PG_DATABASE = process.env.BENCH_PG_DATABASE ?? 'workspace_uibench';
const AGENT = { email: 'alex@demo.replyby.dev', password: 'demo1234' };

const log = (s: string) => process.stdout.write(`${s}\n`);
const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
};
const summary = (xs: number[]) => `p50 ${p(xs, 0.5).toFixed(0)} ms, p95 ${p(xs, 0.95).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;

async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = performance.now();
    await c.query(SEED_TICKETS_SQL, [TICKETS]);
    await c.query('ANALYZE tickets');
    log(`  seeded ${TICKETS} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await c.end();
  }
}

async function signedInPage(browser: import('playwright-core').Browser, base: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/');
  await page.getByLabel('E-mail').fill(AGENT.email);
  await page.getByLabel('Password').fill(AGENT.password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

const ROWS = '[data-testid^="queue-row-"]';

async function main(): Promise<void> {
  const databaseUrl = await recreateDatabase(PG_ADMIN_URL, PG_DATABASE);
  const server = await startServer({ env: { DATABASE_URL: databaseUrl, REPLYBY_SEED_DEMO: '1', LOG_LEVEL: 'warn' }, readyTimeoutMs: 180_000 });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    await seed(databaseUrl);
    const token = await signIn(server.url, AGENT.email, AGENT.password);
    const watcher = await signedInPage(browser, server.url);
    const actor = await signedInPage(browser, server.url);

    // 2. queue render
    const render: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const t0 = Date.now();
      await actor.goto('/views/all_open', { waitUntil: 'commit' });
      await actor.waitForFunction((sel) => document.querySelectorAll(sel).length >= 50, ROWS, { polling: 'raf', timeout: 60_000 });
      if (i >= 2) render.push(Date.now() - t0); // two warm-ups
    }
    log(`queue render (navigation → 50 rows): ${summary(render)}`);

    // 3. change → other screen
    await watcher.goto('/views/all_open');
    await watcher.waitForFunction((sel) => document.querySelectorAll(sel).length >= 50, ROWS, { timeout: 60_000 });
    await watcher.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    const numbers = await watcher.$$eval(ROWS, (els) => els.slice(0, 10).map((e) => Number(e.getAttribute('data-number'))));
    const change = async (n: number, subject: string) => {
      const res = await fetch(`${server.url}/api/v1/tickets/${n}`, {
        method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ subject }),
      });
      if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
    };
    const seen = (page: Page, subject: string) =>
      page.waitForFunction((s) => [...document.querySelectorAll('[data-testid="queue-subject"]')].some((e) => e.textContent === s), subject, { polling: 'raf', timeout: 30_000 });
    const live: number[] = [];
    const reload: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const n = numbers[i % numbers.length] ?? 0;
      const s1 = `Live ${i} ${Date.now()}`;
      let t0 = Date.now();
      await change(n, s1);
      await seen(watcher, s1);
      live.push(Date.now() - t0);
      // the alternative: the old UI only showed a change after a reload (its poll, or F5)
      const s2 = `Reload ${i} ${Date.now()}`;
      t0 = Date.now();
      await change(n, s2);
      await actor.reload({ waitUntil: 'commit' });
      await seen(actor, s2);
      reload.push(Date.now() - t0);
    }
    log(`change → other browser, live (SSE + query invalidation): ${summary(live)}`);
    log(`change → other browser, full reload right after it:      ${summary(reload)}`);
    log(`change → other browser, old 30 s polling: 15000 ms on average, 30000 ms at worst (+ the reload above)`);

    const dir = path.join(REPO_ROOT, 'web/dist/assets');
    const js = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(dir, f)));
    const raw = js.reduce((a, b) => a + b.length, 0) / 1024;
    const gz = js.reduce((a, b) => a + gzipSync(b).length, 0) / 1024;
    log(`bundle: ${raw.toFixed(0)} KB JavaScript (${gz.toFixed(0)} KB gzipped)`);
    log(`ui-bench: tickets=${TICKETS} queue_render_p95_ms=${p(render, 0.95).toFixed(0)} live_update_p95_ms=${p(live, 0.95).toFixed(0)} js_kb=${raw.toFixed(0)}`);
  } finally {
    await browser.close();
    await server.stop();
    await dropDatabase(PG_ADMIN_URL, PG_DATABASE);
  }
}

main().catch((err: unknown) => {
  log(`ui-bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
