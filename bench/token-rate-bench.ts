// The cost of per-token rate limits (issue 21 item 6): the token lookup alone, as before, against the lookup
// with the window's count (one statement: INSERT … ON CONFLICT DO UPDATE in a CTE), committed as before and without
// waiting for the WAL flush (synchronous_commit off inside the statement, as authenticate.ts does now), on PostgreSQL, alternated
// in rounds so both see the same machine. Then whole requests through the server: GET /api/v1/auth/me with the
// API token (counted) and with a session token (not counted). Usage: TEST_DATABASE_URL=postgres://… node --import tsx bench/token-rate-bench.ts
import { performance } from 'node:perf_hooks';
import { hashToken } from '../src/app/auth/secrets.ts';
import { windowStart } from '../src/core/integrations/rate-window.ts';
import { startTestApp } from '../test/helpers/test-app.ts';

const N = Number(process.env.N ?? 2000);
const ROUNDS = 5;
const t = await startTestApp();
const session = await t.signIn('admin@test.dev');
const token: string = (await t.call('POST', '/api/v1/api-tokens', session, { name: 'bench', rate_limit_per_minute: 100_000 })).body.token;
const hash = hashToken(token);
const before = () => t.ctx.db.query('SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hash]);
const WINDOW = `WITH t AS (SELECT id, user_id, last_used_at, scopes, rate_limit_per_minute FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
   u AS (INSERT INTO api_token_usage AS w (token_id, window_start, count) SELECT id, $2, 1 FROM t
         ON CONFLICT (token_id) DO UPDATE SET count = CASE WHEN EXCLUDED.window_start > w.window_start THEN 1 ELSE w.count + 1 END,
           window_start = GREATEST(w.window_start, EXCLUDED.window_start) RETURNING count, window_start)`;
// What src/app/auth/authenticate.ts runs now: the same write, committed without waiting for the WAL flush.
const afterAsync = () => t.ctx.db.query(`${WINDOW} SELECT t.*, u.count, u.window_start, set_config('synchronous_commit', 'off', true) FROM t, u`, [hash, windowStart(new Date())]);
const after = () => t.ctx.db.query(
  `WITH t AS (SELECT id, user_id, last_used_at, scopes, rate_limit_per_minute FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
   u AS (INSERT INTO api_token_usage AS w (token_id, window_start, count) SELECT id, $2, 1 FROM t
         ON CONFLICT (token_id) DO UPDATE SET count = CASE WHEN EXCLUDED.window_start > w.window_start THEN 1 ELSE w.count + 1 END,
           window_start = GREATEST(w.window_start, EXCLUDED.window_start) RETURNING count, window_start)
   SELECT t.*, u.count, u.window_start FROM t, u`, [hash, windowStart(new Date())]);
const us = async (f: () => Promise<unknown>) => {
  const s = performance.now();
  for (let i = 0; i < N; i++) await f();
  return ((performance.now() - s) * 1000) / N;
};
const me = (bearer: string) => () => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${bearer}` } });
const rows: Record<string, number[]> = { 'lookup only': [], 'lookup + window': [], 'lookup + window, async': [], 'GET /auth/me, session': [], 'GET /auth/me, API token': [] };
await us(before); await us(after); await us(afterAsync);
for (let r = 0; r < ROUNDS; r++) {
  rows['lookup only']?.push(await us(before));
  rows['lookup + window']?.push(await us(after));
  rows['lookup + window, async']?.push(await us(afterAsync));
  rows['GET /auth/me, session']?.push(await us(me(session)));
  rows['GET /auth/me, API token']?.push(await us(me(token)));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(`engine ${t.ctx.db.engine}, ${N} sequential calls × ${ROUNDS} rounds, median µs per call`);
for (const [k, xs] of Object.entries(rows)) console.log(`${k.padEnd(26)} ${median(xs).toFixed(0)} µs  (rounds: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
await t.close();
