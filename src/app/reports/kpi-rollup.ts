import { advanceCursor, type Gap } from '../../core/integrations/lifecycle-events.ts';
import { DURATION_BOUNDS_SQL } from '../../core/reports/duration-bins.ts';
import type { Db, Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { minutes } from './kpi-sql.ts';

// The KPI rollup (docs/kpis.md, "The rollup"): per UTC hour × the ticket's facets, the counts and the exact
// durations each KPI needs, so a report over a long period reads a few rows per hour instead of every ticket,
// message and event of the period with their joins.
//
// One SQL text computes the rollup's rows ("pieces") for a set of time ranges: the rebuild (all time), the hours a
// changed ticket touches, and — at read time — the partial hours at a period's edges, straight from the base tables.
// So the rollup and the edges cannot disagree on a definition.
//
// Fresh to the ticket: every change a KPI reads is logged in ticket_events (a reply, a solve, a reopen, an assignee
// or field change, a merge, a rating, a breach, an import). The rollup follows that log by seq from one cursor
// (with the gaps of transactions still open, as the webhook dispatcher); each changed ticket's hours are recomputed
// whole from the base tables. The few writers that change a ticket without an event (an SLA policy edit, a tier
// change re-selecting policies) mark it in kpi_rollup_dirty (kpi-rollup-dirty.ts). The worker applies it every few
// seconds and each report applies what is left first — but only the worker rebuilds it: a report that finds it never
// built or far behind reads the base tables instead (rollupReady).
//
// Above the hourly rows, a coarse level (kpi_lite, kpi_lite_bins; migration 0170): per UTC day × no facet or one
// facet (group, assignee, type, priority, channel), summed from the hourly rows of that day whenever they change, so
// a report with zero or one such filter reads ~1 row per day and measure, and its percentiles through bins.

/** A ticket's current facets, the columns every report filters on (the tier is read through organization_id). */
const FACETS = `t.group_id, t.assignee_id, t.type, t.priority, t.channel, t.organization_id, t.sla_policy_id,
  COALESCE(NULLIF(t.diagnosis->>'root_cause_category', ''), 'none') AS root_cause`;
const GROUP = 'GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11';
const COLUMNS = 'hour, kind, metric, group_id, assignee_id, type, priority, channel, organization_id, sla_policy_id, root_cause, n, open, flag, total, vals, ids';
const NO_IDS = `'{}'::uuid[]`;
const sorted = (expr: string, where = 'TRUE') => `COALESCE(array_agg((${expr})::float8 ORDER BY (${expr})::float8) FILTER (WHERE ${where}), '{}')`;

/**
 * The rollup's rows for the ranges `r(a, b)` (a CTE the caller defines), grouped by hour and facets. Merged tickets
 * are never counted. Each arm reaches its rows through the index on its own timestamp, range by range: a LATERAL
 * subquery kept apart by OFFSET 0, since a plain join on an unnested range list was planned as a scan of the whole
 * table (at 1 M tickets a read's two edge hours cost seconds).
 */
export const PIECES = `
SELECT date_trunc('hour', t.created_at) AS hour, 'created' AS kind, '' AS metric, ${FACETS},
       count(*)::int AS n, count(*) FILTER (WHERE t.first_responded_at IS NULL)::int AS open,
       count(*) FILTER (WHERE t.repeat_of_id IS NOT NULL)::int AS flag, 0::float8 AS total,
       ${sorted(minutes('t.created_at', 't.first_responded_at'), 't.first_responded_at IS NOT NULL')} AS vals, ${NO_IDS} AS ids
  FROM r CROSS JOIN LATERAL (SELECT * FROM tickets t WHERE t.created_at >= r.a AND t.created_at < r.b OFFSET 0) t WHERE t.merged_into_id IS NULL ${GROUP}
UNION ALL
SELECT date_trunc('hour', t.solved_at), 'solved', '', ${FACETS}, count(*)::int, 0,
       -- Reopened: a scalar subquery with LIMIT, looked up per ticket by ticket_events_ticket_idx (an EXISTS here was
       -- planned as one hashed scan of every status change — 15 M events — on each read).
       count(*) FILTER (WHERE (SELECT true FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'status_changed'
         AND e.before->>'status' = 'solved' AND e.after->>'status' NOT IN ('solved', 'closed') LIMIT 1))::int,
       0, ${sorted(minutes('t.created_at', 't.solved_at'))}, ${NO_IDS}
  FROM r CROSS JOIN LATERAL (SELECT * FROM tickets t WHERE t.solved_at >= r.a AND t.solved_at < r.b OFFSET 0) t WHERE t.merged_into_id IS NULL ${GROUP}
UNION ALL
SELECT date_trunc('hour', m.created_at), 'asked', '', ${FACETS}, count(*)::int, count(*) FILTER (WHERE x.answered IS NULL)::int, 0,
       0, ${sorted(minutes('m.created_at', 'x.answered'), 'x.answered IS NOT NULL')}, ${NO_IDS}
  FROM r CROSS JOIN LATERAL (SELECT * FROM messages m WHERE m.kind = 'public' AND m.author_kind = 'contact' AND m.created_at >= r.a AND m.created_at < r.b OFFSET 0) m
  JOIN tickets t ON t.id = m.ticket_id
  CROSS JOIN LATERAL (SELECT min(rp.created_at) AS answered FROM messages rp
                       WHERE rp.ticket_id = m.ticket_id AND rp.kind = 'public' AND rp.author_kind = 'user' AND rp.created_at > m.created_at) x
  WHERE t.merged_into_id IS NULL ${GROUP}
UNION ALL
SELECT date_trunc('hour', e.created_at), 'moved', '', ${FACETS}, count(*)::int, 0, 0, 0, '{}', array_agg(DISTINCT e.ticket_id)
  FROM r CROSS JOIN LATERAL (SELECT * FROM ticket_events e WHERE e.kind = 'assignee_changed' AND e.created_at >= r.a AND e.created_at < r.b OFFSET 0) e
  JOIN tickets t ON t.id = e.ticket_id
  WHERE e.before->>'assignee_id' IS NOT NULL AND t.merged_into_id IS NULL ${GROUP}
UNION ALL
SELECT date_trunc('hour', a.created_at), 'rated', '', ${FACETS}, count(a.rating)::int, 0, count(*) FILTER (WHERE a.rating >= 4)::int,
       COALESCE(sum(a.rating), 0)::float8, '{}', ${NO_IDS}
  FROM r CROSS JOIN LATERAL (SELECT * FROM closure_answers a WHERE a.created_at >= r.a AND a.created_at < r.b OFFSET 0) a
  JOIN tickets t ON t.id = a.ticket_id WHERE t.merged_into_id IS NULL ${GROUP}
UNION ALL
SELECT date_trunc('hour', t.created_at), 'clock', c.metric, ${FACETS},
       count(*) FILTER (WHERE c.breached_at IS NULL AND c.status = 'completed')::int, 0,
       count(*) FILTER (WHERE c.breached_at IS NOT NULL)::int, 0, '{}', ${NO_IDS}
  FROM r CROSS JOIN LATERAL (SELECT * FROM tickets t WHERE t.created_at >= r.a AND t.created_at < r.b OFFSET 0) t JOIN sla_clocks c ON c.ticket_id = t.id
  WHERE t.merged_into_id IS NULL ${GROUP}
UNION ALL
SELECT date_trunc('hour', c.breached_at), 'breached', c.metric, ${FACETS}, count(*)::int, 0, 0, 0, '{}', ${NO_IDS}
  FROM r CROSS JOIN LATERAL (SELECT * FROM sla_clocks c WHERE c.breached_at >= r.a AND c.breached_at < r.b OFFSET 0) c JOIN tickets t ON t.id = c.ticket_id
  WHERE t.merged_into_id IS NULL ${GROUP}`;

/** `r(a, b)` from two timestamptz[] parameters. */
export const rangesCte = (a: number, b: number) => `r AS (SELECT * FROM unnest($${a}::timestamptz[], $${b}::timestamptz[]) AS r(a, b))`;

// The coarse level, summed from kpi_rollup's rows of the days in `r(a, b)`. GROUPING SETS: one pass per statement
// for all six levels; GROUPING() says which facet a row is grouped by (the others are null in it).
const LEVELS = `GROUPING SETS ((), (k.group_id), (k.assignee_id), (k.type), (k.priority), (k.channel))`;
const DIM = `CASE WHEN GROUPING(k.group_id) = 0 THEN 'group' WHEN GROUPING(k.assignee_id) = 0 THEN 'assignee'
  WHEN GROUPING(k.type) = 0 THEN 'type' WHEN GROUPING(k.priority) = 0 THEN 'priority' WHEN GROUPING(k.channel) = 0 THEN 'channel' ELSE '' END`;
const KEY = `COALESCE(k.group_id::text, k.assignee_id::text, k.type, k.priority, k.channel, '')`;
const HOURLY = `ARRAY[${Array.from({ length: 24 }, (_, h) => `COALESCE(sum(k.n) FILTER (WHERE k.h = ${h}), 0)::int`).join(', ')}]`;
const DAY_ROWS = (extra: string) => `SELECT date_trunc('day', k.hour, 'UTC') AS day, extract(hour FROM k.hour AT TIME ZONE 'UTC')::int AS h, k.* ${extra}
  FROM r CROSS JOIN LATERAL (SELECT * FROM kpi_rollup k WHERE k.hour >= r.a AND k.hour < r.b OFFSET 0) k`;
const LITE = `
INSERT INTO kpi_lite (day, kind, metric, dim, key, n, open, flag, total, ids, hourly)
SELECT k.day, k.kind, k.metric, ${DIM}, ${KEY}, sum(k.n), sum(k.open), sum(k.flag), sum(k.total + k.vsum),
       COALESCE(string_to_array(string_agg(NULLIF(array_to_string(k.ids, ','), ''), ','), ',')::uuid[], '{}'), ${HOURLY}
  FROM (${DAY_ROWS(`, COALESCE((SELECT sum(v) FROM unnest(k.vals) v), 0) AS vsum`)}) k
 GROUP BY k.day, k.kind, k.metric, ${LEVELS}`;
const BINS = `
INSERT INTO kpi_lite_bins (day, kind, dim, key, bin, n, vals)
SELECT k.day, k.kind, ${DIM}, ${KEY}, k.bin, count(*), array_agg(k.v)
  FROM (SELECT date_trunc('day', k.hour, 'UTC') AS day, k.kind, k.group_id, k.assignee_id, k.type, k.priority, k.channel, u.v,
               width_bucket(u.v, ${DURATION_BOUNDS_SQL}) AS bin
          FROM r CROSS JOIN LATERAL (SELECT * FROM kpi_rollup k WHERE k.hour >= r.a AND k.hour < r.b AND k.kind IN ('created', 'asked', 'solved') OFFSET 0) k
         CROSS JOIN LATERAL unnest(k.vals) AS u(v)) k
 GROUP BY k.day, k.kind, k.bin, ${LEVELS}`;

/** Recompute the coarse level of these UTC days from their hourly rows. */
async function recomputeDays(tx: Queryable, days: readonly Date[]): Promise<void> {
  if (days.length === 0) return;
  const starts = days.map((d) => d.toISOString());
  const ends = days.map((d) => new Date(d.getTime() + DAY_MS).toISOString());
  await tx.query('DELETE FROM kpi_lite WHERE day = ANY($1::timestamptz[])', [starts]);
  await tx.query('DELETE FROM kpi_lite_bins WHERE day = ANY($1::timestamptz[])', [starts]);
  await tx.query(`WITH ${rangesCte(1, 2)} ${LITE}`, [starts, ends]);
  await tx.query(`WITH ${rangesCte(1, 2)} ${BINS}`, [starts, ends]);
}

/** Pending events past this many are cheaper to apply by rebuilding everything. */
const REBUILD_AFTER = 200_000;
/** Events read per step of a refresh. */
const BATCH = 20_000;
/** How long a missing seq is waited for before it is taken for a rolled-back transaction's (as the dispatcher). */
const GAP_WAIT_MS = 120_000;
/** After a rebuild, the last events are applied again: a transaction still open during it may commit below the top. */
const REBUILD_OVERLAP = 1_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Recompute the rollup's rows of these hours from the base tables. */
async function recomputeHours(tx: Queryable, hours: Date[]): Promise<void> {
  if (hours.length === 0) return;
  const starts = hours.map((h) => h.toISOString());
  const ends = hours.map((h) => new Date(h.getTime() + HOUR_MS).toISOString());
  await tx.query('DELETE FROM kpi_rollup WHERE hour = ANY($1::timestamptz[])', [starts]);
  await tx.query(`INSERT INTO kpi_rollup (${COLUMNS}) WITH ${rangesCte(1, 2)} ${PIECES}`, [starts, ends]);
  const days = new Map(hours.map((h) => { const d = Math.floor(h.getTime() / DAY_MS) * DAY_MS; return [d, new Date(d)]; }));
  await recomputeDays(tx, [...days.values()]);
}

/** The daily level from scratch, from the hourly rows (a rebuild, or the first turn after migration 0170). */
async function buildLevels(tx: Queryable, now: Date): Promise<void> {
  await tx.query('TRUNCATE kpi_lite, kpi_lite_bins');
  await tx.query(`WITH ${rangesCte(1, 2)} ${LITE}`, [['-infinity'], ['infinity']]);
  await tx.query(`WITH ${rangesCte(1, 2)} ${BINS}`, [['-infinity'], ['infinity']]);
  await tx.query('ANALYZE kpi_lite');
  await tx.query('ANALYZE kpi_lite_bins');
  await tx.query('UPDATE kpi_rollup_cursor SET levels_built = true, rebuilt_at = $1 WHERE id = 1', [now]);
}

async function rebuild(tx: Queryable, now: Date): Promise<void> {
  const [top] = await tx.query<{ seq: string }>('SELECT COALESCE(max(seq), 0)::text AS seq FROM ticket_events');
  await tx.query('TRUNCATE kpi_rollup');
  await tx.query('DELETE FROM kpi_rollup_dirty');
  await tx.query(`INSERT INTO kpi_rollup (${COLUMNS}) WITH ${rangesCte(1, 2)} ${PIECES}`, [['-infinity'], ['infinity']]);
  await tx.query('ANALYZE kpi_rollup');
  await buildLevels(tx, now);
  const last = Math.max(0, Number(top?.seq ?? 0) - REBUILD_OVERLAP);
  await tx.query(`UPDATE kpi_rollup_cursor SET last_seq = $1, gaps = '[]', rebuilt_at = $2, updated_at = $2 WHERE id = 1`, [last, now]);
}

/** The hours whose rollup rows these tickets contribute to, now or before their latest change (read from their log). */
async function hoursOf(tx: Queryable, ticketIds: string[]): Promise<Date[]> {
  const rows = await tx.query<{ hour: Date }>(
    `WITH ids AS (SELECT unnest($1::uuid[]) AS id)
     SELECT DISTINCT date_trunc('hour', x.at) AS hour FROM (
       SELECT t.created_at AS at FROM tickets t JOIN ids ON ids.id = t.id
       UNION ALL SELECT t.solved_at FROM tickets t JOIN ids ON ids.id = t.id WHERE t.solved_at IS NOT NULL
       UNION ALL SELECT e.created_at FROM ticket_events e JOIN ids ON ids.id = e.ticket_id
       UNION ALL SELECT m.created_at FROM messages m JOIN ids ON ids.id = m.ticket_id WHERE m.kind = 'public' AND m.author_kind = 'contact'
       UNION ALL SELECT a.created_at FROM closure_answers a JOIN ids ON ids.id = a.ticket_id
       UNION ALL SELECT c.breached_at FROM sla_clocks c JOIN ids ON ids.id = c.ticket_id WHERE c.breached_at IS NOT NULL) x`,
    [ticketIds]);
  return rows.map((r) => r.hour);
}

/**
 * Brings the rollup up to the last committed event: rebuilds it when never built or far behind, else recomputes the
 * hours of each ticket with new events. One refresh at a time (the cursor row is locked); a second caller waits for
 * the first and then finds nothing left. Returns the events applied (-1 for a rebuild). With `rebuild: false` (a
 * report's refresh) it never rebuilds: it returns -2 where a rebuild is due, and the report reads the base tables.
 */
export async function refreshKpiRollup(ctx: AppContext, opts: { rebuild: boolean } = { rebuild: true }): Promise<number> {
  let applied = 0;
  for (;;) {
    const step = await ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const [cursor] = await tx.query<{ last_seq: string; gaps: Gap[]; levels_built: boolean }>('SELECT last_seq::text, gaps, levels_built FROM kpi_rollup_cursor WHERE id = 1 FOR UPDATE');
      if (!cursor) throw new Error('kpi_rollup_cursor has no row (migration 0150)');
      const last = Number(cursor.last_seq);
      const [top] = await tx.query<{ seq: string }>('SELECT COALESCE(max(seq), 0)::text AS seq FROM ticket_events');
      if (last < 0 || Number(top?.seq ?? 0) - last > REBUILD_AFTER) {
        if (!opts.rebuild) return { n: -2, more: false };
        await rebuild(tx, now);
        // Then the overlap's last events at once, here in the worker, rather than in the next report's refresh
        // (recomputing their tickets' hours and days is the worker's work).
        return { n: -1, more: true };
      }
      if (!cursor.levels_built) {
        // The hourly rows are there but not yet the daily level (the upgrade to migration 0170): build it alone, then
        // apply the log as usual on the next step.
        if (!opts.rebuild) return { n: -2, more: false };
        await buildLevels(tx, now);
        return { n: -1, more: true };
      }
      const events = await tx.query<{ seq: string; ticket_id: string }>(
        // Two index range reads: one condition `seq > $1 OR seq = ANY($2)` was a scan of every event (seconds at 1 M).
        `SELECT seq::text, ticket_id FROM (
           (SELECT seq, ticket_id FROM ticket_events WHERE seq > $1 ORDER BY seq LIMIT $3)
           UNION ALL SELECT seq, ticket_id FROM ticket_events WHERE seq = ANY($2::bigint[]) AND seq <= $1) x ORDER BY seq`,
        [last, cursor.gaps.map((g) => g.seq), BATCH]);
      const stale = await tx.query<{ ticket_id: string }>('DELETE FROM kpi_rollup_dirty RETURNING ticket_id');
      const next = advanceCursor(last, cursor.gaps, events.map((e) => Number(e.seq)), now.getTime(), GAP_WAIT_MS);
      const tickets = new Set([...events, ...stale].map((e) => e.ticket_id));
      if (tickets.size) await recomputeHours(tx, await hoursOf(tx, [...tickets]));
      if (events.length || next.gaps.length !== cursor.gaps.length) {
        await tx.query('UPDATE kpi_rollup_cursor SET last_seq = $1, gaps = $2::jsonb, updated_at = $3 WHERE id = 1', [next.last, JSON.stringify(next.gaps), now]);
      }
      return { n: events.length, more: events.length >= BATCH };
    });
    if (step.n === -2) return step.n;
    if (step.n === -1) { applied = -1; continue; }
    if (applied >= 0) applied += step.n;
    if (!step.more) return applied;
  }
}

/**
 * Whether a report may read the rollup: it is built and not far behind (checked first without the cursor's lock, so
 * a report never queues behind the worker's rebuild), and then what is left of the log is applied — never a rebuild,
 * which belongs to the worker (jobs/kpi-rollup.ts). False: read the base tables (correct, slower).
 */
export async function rollupReady(ctx: AppContext): Promise<boolean> {
  const [c] = await ctx.db.query<{ last_seq: string; top: string; levels_built: boolean }>(
    'SELECT last_seq::text, levels_built, (SELECT COALESCE(max(seq), 0) FROM ticket_events)::text AS top FROM kpi_rollup_cursor WHERE id = 1');
  if (!c || !c.levels_built || Number(c.last_seq) < 0 || Number(c.top) - Number(c.last_seq) > REBUILD_AFTER) return false;
  return (await refreshKpiRollup(ctx, { rebuild: false })) !== -2;
}

/**
 * Runs a report's reads in one read-only snapshot with PostgreSQL's JIT off. The rollup's statements carry the edge pieces' subplans, whose
 * estimated cost (millions, for a few dozen rows read) switches JIT on with inlining and optimization: at 1 M tickets
 * EXPLAIN ANALYZE showed 2.3 s of a 2.36 s read spent compiling (bench host, load 15) — the constant part of every read
 * whatever its period. PGlite has no JIT.
 */
export function withoutJit<T>(db: Db, fn: (q: Queryable) => Promise<T>): Promise<T> {
  if (db.engine !== 'postgres') return fn(db);
  return db.transaction(async (tx) => {
    // One snapshot for every statement of the read: the day level's bin counts and the values in those bins are two
    // statements, and the worker (or another report's catch-up) may rewrite whole days between them.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await tx.query('SET LOCAL jit = off');
    return fn(tx);
  });
}
