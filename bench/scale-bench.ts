// npm run bench:scale — the agent's queue, a ticket page, search and the board over 1,000,000 tickets on PostgreSQL
// (issue 17 item 3).
//
//   1. a throw-away database (BENCH_PG_DATABASE, default scale_bench) on BENCH_PG_ADMIN_URL; the real server
//      (`node bin/replyby.mjs start`, all roles) migrates and demo-seeds it; then BENCH_TICKETS (default 1,000,000)
//      tickets are bulk-seeded in SQL (bench/lib/seed-scale.ts: two years of history, messages, events, SLA clocks;
//      never the API), vacuumed and analyzed;
//   2. server time of each request (the `Server-Timing: app;dur=` header the server sets on every answer:
//      request received → answer serialized), BENCH_SAMPLES (default 200) requests per kind, one at a time, after
//      warm-ups, on random tickets and random words:
//        queue          the demo agent's default queue, first page (GET /api/v1/tickets?view=all_open&sort=due&limit=50)
//        queue_deep     pages 2–11 of it, following next_cursor (keyset)
//        queue_mine     the agent's "mine" view; queue_api: GET /api/v1/queue
//        sup_queue      the supervisor's all_open and unassigned views (every group)
//        counts         GET /api/v1/views/counts as a page asks for it; counts_fresh right after a change
//                       (a PATCH first, so the shared rollup is recomputed)
//        ticket         everything the ticket screen fetches for one ticket, summed: the ticket with its live SLA,
//                       the timeline, attachments, the requester's other tickets and the knowledge-base
//                       suggestions (half unsolved tickets, half any ticket of the agent's groups)
//        search         2–3 words of a seeded message (English, Russian or Bulgarian; ticket search is word-prefix
//                       on the 'simple' configuration) over all tickets (view=all) and over the open queue
//        board          the supervisor's live board (GET /api/v1/board); board_fresh right after a change (a PATCH
//                       first: the board's counts come from the rollup the change drops). The line reports the
//                       slower of the two, so a cached answer never stands in for the board's cost.
//   3. the real alternative in the same run: the same measurement at BENCH_COMPARE_TICKETS (default 100,000;
//      0 skips it) on a second database first — what the same code costs at a tenth of the data.
// Last line: `scale-bench: tickets=N queue_p95_ms=A ticket_p95_ms=B search_p95_ms=C board_p95_ms=D`
// (goals N ≥ 1,000,000, A < 50, B < 50, C < 200, D < 100). BENCH_KEEP=1 keeps the database for EXPLAIN;
// BENCH_REUSE=1 measures a kept database again without seeding it (before/after runs of one change on the same
// data); BENCH_KINDS=board,board_fresh measures only the kinds named.

import pg from 'pg';
import { databaseUrlFor, dropDatabase, recreateDatabase, withUser } from './lib/pg-database.ts';
import { seedScale } from './lib/seed-scale.ts';
import { signIn, startServer } from './lib/server-process.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const COMPARE = Number(process.env.BENCH_COMPARE_TICKETS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
/** Searches per kind (default BENCH_SAMPLES): a slow search path can be measured with fewer. */
const SEARCH_SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES ?? SAMPLES);
const PG_ADMIN_URL = withUser(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test');
const PG_DATABASE = process.env.BENCH_PG_DATABASE ?? 'scale_bench';
const KEEP = process.env.BENCH_KEEP === '1' || process.env.BENCH_REUSE === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const KINDS = process.env.BENCH_KINDS ? new Set(process.env.BENCH_KINDS.split(',').map((k) => k.trim())) : null;
const AGENT = { email: 'alex@demo.replyby.dev', password: 'demo1234' };
const SUPERVISOR = { email: 'sam@demo.replyby.dev', password: 'demo1234' };
const UNSOLVED = ['new', 'open', 'pending', 'on_hold'];

const log = (s: string) => process.stdout.write(`${s}\n`);
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};

type Kind = { name: string; server: number[]; client: number[] };
type Run = { tickets: number; seedSeconds: number; kinds: Map<string, Kind> };

class Client {
  constructor(private readonly base: string, private readonly token: string) {}

  /** One request; its server time (Server-Timing) and client time (loopback, includes the HTTP client). */
  async get<T>(path: string): Promise<{ body: T; server: number; client: number }> {
    const t0 = performance.now();
    const res = await fetch(`${this.base}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    const text = await res.text();
    const client = performance.now() - t0;
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    const m = /app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
    if (!m) throw new Error(`GET ${path}: no Server-Timing header`);
    return { body: JSON.parse(text) as T, server: Number(m[1]), client };
  }

  async patch(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PATCH ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
}

type Page = { data: { number: number; requester_id: string }[]; next_cursor: string | null };

async function measure(run: Run, name: string, n: number, fn: (i: number) => Promise<{ server: number; client: number }>): Promise<void> {
  if (KINDS && !KINDS.has(name)) return;
  const kind: Kind = run.kinds.get(name) ?? { name, server: [], client: [] };
  run.kinds.set(name, kind);
  for (let i = 0; i < Math.min(5, n); i++) await fn(i); // warm-up: plans, caches, connections
  for (let i = 0; i < n; i++) {
    const r = await fn(i);
    kind.server.push(r.server);
    kind.client.push(r.client);
  }
  log(`  ${name.padEnd(16)} server p50 ${pct(kind.server, 0.5).toFixed(1).padStart(7)} ms  p95 ${pct(kind.server, 0.95).toFixed(1).padStart(7)} ms  max ${Math.max(...kind.server).toFixed(1).padStart(7)} ms | client p95 ${pct(kind.client, 0.95).toFixed(1).padStart(7)} ms (n=${kind.server.length})`);
}

/** Words of seeded messages in the languages ticket search splits into words (Chinese has no spaces to split at). */
async function searchPhrases(c: pg.Client, count: number): Promise<string[]> {
  const { rows } = await c.query<{ body_text: string; language: string }>(
    `SELECT m.body_text, t.language FROM messages m TABLESAMPLE SYSTEM (1) JOIN tickets t ON t.id = m.ticket_id
      WHERE t.language IN ('en', 'ru', 'bg') AND m.author_kind = 'contact' LIMIT $1`, [count * 4]);
  const out: string[] = [];
  let i = 0;
  for (const r of rows) {
    const words = r.body_text.split(/\s+/).filter((w) => w.length >= 3);
    if (words.length < 4) continue;
    const k = 2 + (i % 2);
    const at = (i * 7) % (words.length - k);
    out.push(words.slice(at, at + k).join(' '));
    i++;
    if (out.length >= count) break;
  }
  return out;
}

/** Tickets in a kept database (0: none, or no such database). */
async function keptTickets(database: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrlFor(PG_ADMIN_URL, database) });
  try {
    await c.connect();
    const { rows } = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM tickets');
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function benchAt(tickets: number, database: string): Promise<Run> {
  log(`\n== ${tickets.toLocaleString('en')} tickets (database ${database}) ==`);
  const kept = REUSE ? await keptTickets(database) : 0;
  const databaseUrl = kept > 0 ? databaseUrlFor(PG_ADMIN_URL, database) : await recreateDatabase(PG_ADMIN_URL, database);
  const first = kept > 0 ? null : await startServer({ env: { DATABASE_URL: databaseUrl, REPLYBY_SEED_DEMO: '1', LOG_LEVEL: 'warn' }, readyTimeoutMs: 180_000 });
  const c = new pg.Client({ connectionString: databaseUrlFor(PG_ADMIN_URL, database) });
  await c.connect();
  let server = first;
  try {
    const seeded = kept > 0 ? { seconds: 0, counts: { tickets: kept } as Record<string, number> } : await seedScale(c, { tickets, log });
    log(kept > 0 ? `  reusing the kept database: ${kept.toLocaleString('en')} tickets` : `  seeded ${tickets.toLocaleString('en')} tickets in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}`);
    // The seed drops and rebuilds indexes: background queries the first server planned meanwhile (monitor, promise)
    // would scan whole tables for minutes. Measure a server started over the seeded database, as after a deploy.
    await first?.stop();
    server = await startServer({ env: { DATABASE_URL: databaseUrl, REPLYBY_SEED_DEMO: '0', LOG_LEVEL: 'warn' }, readyTimeoutMs: 180_000 });
    const run: Run = { tickets: seeded.counts.tickets ?? tickets, seedSeconds: seeded.seconds, kinds: new Map() };
    const agent = new Client(server.url, await signIn(server.url, AGENT.email, AGENT.password));
    const sup = new Client(server.url, await signIn(server.url, SUPERVISOR.email, SUPERVISOR.password));

    const half = Math.ceil(SAMPLES / 2);
    const { rows: open } = await c.query<{ number: number }>(
      `SELECT t.number FROM tickets t JOIN users u ON u.email = $1 JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = t.group_id
        WHERE t.status = ANY($2::text[]) ORDER BY random() LIMIT $3`, [AGENT.email, UNSOLVED, half]);
    const { rows: some } = await c.query<{ number: number }>(
      `SELECT t.number FROM tickets t TABLESAMPLE SYSTEM (5) JOIN users u ON u.email = $1 JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = t.group_id
        ORDER BY random() LIMIT $2`, [AGENT.email, SAMPLES - half]);
    const numbers = [...open, ...some].map((r) => r.number).sort(() => Math.random() - 0.5);
    const phrases = await searchPhrases(c, SAMPLES);
    log(`  samples: ${numbers.length} tickets (${open.length} unsolved), ${phrases.length} search phrases, e.g. ${phrases.slice(0, 3).map((p) => JSON.stringify(p)).join(', ')}`);

    await measure(run, 'queue', SAMPLES, () => agent.get<Page>('/api/v1/tickets?view=all_open&sort=due&limit=50'));
    const page1 = await agent.get<Page>('/api/v1/tickets?view=all_open&sort=due&limit=50');
    const cursors: string[] = [];
    let cursor = page1.body.next_cursor;
    while (cursor && cursors.length < 10) {
      cursors.push(cursor);
      cursor = (await agent.get<Page>(`/api/v1/tickets?view=all_open&sort=due&limit=50&cursor=${encodeURIComponent(cursor)}`)).body.next_cursor;
    }
    await measure(run, 'queue_deep', Math.min(SAMPLES, cursors.length * 10), (i) =>
      agent.get<Page>(`/api/v1/tickets?view=all_open&sort=due&limit=50&cursor=${encodeURIComponent(cursors[i % cursors.length] ?? '')}`));
    await measure(run, 'queue_mine', SAMPLES, () => agent.get<Page>('/api/v1/tickets?view=mine&sort=due&limit=50'));
    await measure(run, 'queue_api', SAMPLES, () => agent.get<Page>('/api/v1/queue'));
    await measure(run, 'sup_queue', SAMPLES, (i) => sup.get<Page>(`/api/v1/tickets?view=${i % 2 ? 'unassigned' : 'all_open'}&sort=due&limit=50`));
    await measure(run, 'counts', SAMPLES, () => agent.get('/api/v1/views/counts'));
    const changing = page1.body.data.slice(0, 10).map((t) => t.number);
    await measure(run, 'counts_fresh', Math.min(SAMPLES, 50), async (i) => {
      await sup.patch(`/api/v1/tickets/${changing[i % changing.length]}`, { tags: [`scale-${i % 3}`] });
      await new Promise((r) => setTimeout(r, 20)); // the change's NOTIFY reaches the server's LiveFeed
      return agent.get('/api/v1/views/counts');
    });
    await measure(run, 'ticket', numbers.length, async (i) => {
      const n = numbers[i] ?? 0;
      const parts = [
        await agent.get<{ requester: { id: string } }>(`/api/v1/tickets/${n}`),
        await agent.get(`/api/v1/tickets/${n}/timeline`),
        await agent.get(`/api/v1/tickets/${n}/attachments`),
        await agent.get(`/api/v1/tickets/${n}/kb-suggestions`),
      ];
      const requester = (parts[0]?.body as { requester: { id: string } }).requester.id;
      parts.push(await agent.get(`/api/v1/tickets?requester_id=${requester}&view=all&sort=-updated_at&limit=10`));
      return { server: parts.reduce((a, p) => a + p.server, 0), client: parts.reduce((a, p) => a + p.client, 0) };
    });
    await measure(run, 'search', Math.min(SEARCH_SAMPLES, phrases.length), (i) => agent.get(`/api/v1/tickets?view=all&sort=due&limit=50&q=${encodeURIComponent(phrases[i] ?? '')}`));
    await measure(run, 'search_open', Math.min(SEARCH_SAMPLES, phrases.length), (i) => agent.get(`/api/v1/tickets?view=all_open&sort=due&limit=50&q=${encodeURIComponent(phrases[i] ?? '')}`));
    await measure(run, 'board', SAMPLES, () => sup.get('/api/v1/board'));
    await measure(run, 'board_fresh', Math.min(SAMPLES, 50), async (i) => {
      await sup.patch(`/api/v1/tickets/${changing[i % changing.length]}`, { tags: [`scale-board-${i % 3}`] });
      await new Promise((r) => setTimeout(r, 20)); // the change's NOTIFY reaches the server's LiveFeed
      return sup.get('/api/v1/board');
    });
    if (server.problems.length) log(`  server warnings: ${server.problems.length}, first: ${server.problems[0]?.slice(0, 300)}`);
    return run;
  } finally {
    await c.end();
    await server?.stop();
    if (!KEEP) await dropDatabase(PG_ADMIN_URL, database);
  }
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  if (COMPARE > 0) runs.push(await benchAt(COMPARE, `${PG_DATABASE}_cmp`));
  runs.push(await benchAt(TICKETS, PG_DATABASE));
  const main = runs[runs.length - 1];
  if (!main) return;
  log(`\nserver time per kind, p50 / p95 ms (${runs.map((r) => `${r.tickets.toLocaleString('en')} tickets, seeded in ${r.seedSeconds.toFixed(0)} s`).join(' | ')})`);
  for (const name of main.kinds.keys()) {
    log(`  ${name.padEnd(16)} ${runs.map((r) => {
      const k = r.kinds.get(name);
      return k ? `${pct(k.server, 0.5).toFixed(1).padStart(7)} / ${pct(k.server, 0.95).toFixed(1).padStart(7)}` : '-';
    }).join('   |   ')}`);
  }
  const p95 = (name: string) => pct(main.kinds.get(name)?.server ?? [], 0.95).toFixed(1);
  log(`scale-bench: tickets=${main.tickets} queue_p95_ms=${p95('queue')} ticket_p95_ms=${p95('ticket')} search_p95_ms=${p95('search')} board_p95_ms=${Math.max(Number(p95('board')), Number(p95('board_fresh'))).toFixed(1)}`);
}

main().catch((err: unknown) => {
  log(`scale-bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
