import type { Principal } from '../../core/auth/principal.ts';
import { canSeeTicket, ticketScopeSql } from '../../core/auth/ticket-access.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import { BUILTIN_VIEWS, DUE_SOON_MS, viewMatches, viewSql, type BuiltinView, type ViewFacet } from '../../core/tickets/views.ts';
import type { AppContext } from '../context.ts';

export type ViewCounts = Record<BuiltinView, number>;

/** Ledger rows beyond twice its distinct sums that make the next rollup fold it (exported for the tests). */
export const LEDGER_FOLD_AT = 1000;

/** The reference statement: one pass over the caller's visible tickets, one `count(*) FILTER` per view. */
export function countViewsSql(actor: Principal, now: Date): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const scope = ticketScopeSql(actor, 1);
  params.push(...scope.params);
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const cols = BUILTIN_VIEWS.map((v) => `count(*) FILTER (WHERE ${viewSql(v, actor, now, param)})::int AS "${v}"`);
  return { sql: `SELECT ${cols.join(', ')} FROM tickets t WHERE ${scope.sql}`, params };
}

/** How many tickets each built-in view holds for the caller, straight from the database (any principal). */
export async function countViewsUncached(ctx: AppContext, actor: Principal): Promise<ViewCounts> {
  const { sql, params } = countViewsSql(actor, ctx.now());
  const [row] = await ctx.db.query<ViewCounts>(sql, params);
  return Object.fromEntries(BUILTIN_VIEWS.map((v) => [v, Number(row?.[v] ?? 0)])) as ViewCounts;
}

/** A rollup row: the views' facet, whether its tickets are breached (or overdue) now, and how many there are. */
export type RollupRow = ViewFacet & { breached: boolean; n: number };
/** The rollup as of `at` (epoch ms): the instant its `due` and `breached` were judged at. */
export type Rollup = { at: number; rows: RollupRow[] };

const UNSOLVED = UNSOLVED_STATUSES.map((s) => `'${s}'`).join(', ');
// Every ticket grouped by what any view looks at: a few rows per (group, assignee) pair, however many tickets.
// Unsolved tickets are counted from the table (a few percent of it); solved and closed ones come from the ledger
// `ticket_settled_counts` (migration 0031), less those snoozed now, which are counted from the table (partial index).
// `raw` is how many ledger rows a settled row summed, so the caller knows when to fold the ledger.
const ROLLUP_SQL = `
  WITH live AS (
    SELECT t.status, t.group_id, t.assignee_id,
           COALESCE(t.snoozed_until > $1::timestamptz, false) AS snoozed,
           (t.sla_breached OR COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= $2::timestamptz) AS due,
           (t.sla_breached OR COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= $1::timestamptz) AS breached,
           count(*)::int AS n
      FROM tickets t WHERE t.status IN (${UNSOLVED})
     GROUP BY 1, 2, 3, 4, 5, 6),
  settled_snoozed AS (
    SELECT t.status, t.group_id, t.assignee_id, count(*)::int AS n
      FROM tickets t WHERE t.snoozed_until > $1::timestamptz AND t.status NOT IN (${UNSOLVED})
     GROUP BY 1, 2, 3),
  settled AS (
    SELECT status, group_id, assignee_id, sum(n)::int AS n, count(*)::int AS raw FROM ticket_settled_counts GROUP BY 1, 2, 3)
  SELECT status, group_id, assignee_id, snoozed, due, breached, n, 0 AS raw FROM live
  UNION ALL
  SELECT status, group_id, assignee_id, true, false, false, n, 0 FROM settled_snoozed
  UNION ALL
  SELECT s.status, s.group_id, s.assignee_id, false, false, false, s.n - COALESCE(z.n, 0), s.raw
    FROM settled s LEFT JOIN settled_snoozed z
      ON z.status = s.status AND z.group_id IS NOT DISTINCT FROM s.group_id AND z.assignee_id IS NOT DISTINCT FROM s.assignee_id`;

// One statement: the rows deleted are exactly the rows summed, so a change committed meanwhile (a new ledger row)
// and a second process folding at the same time (it skips rows already deleted) both keep the sums exact.
const FOLD_LEDGER_SQL = `
  WITH gone AS (DELETE FROM ticket_settled_counts RETURNING status, group_id, assignee_id, n)
  INSERT INTO ticket_settled_counts (status, group_id, assignee_id, n)
  SELECT status, group_id, assignee_id, sum(n) FROM gone GROUP BY 1, 2, 3 HAVING sum(n) <> 0`;

/**
 * View counts for the staff workspace at scale. Counting per viewer scans every visible ticket (≈130 ms at
 * 100,000 tickets on PostgreSQL, and every connected agent asks again after every change), so one process keeps a
 * rollup of all tickets by status × group × assignee × snoozed × due — one pass shared by every viewer — and
 * folds each viewer's counts from it with the same visibility rule (`canSeeTicket`) and views (`viewMatches`)
 * the lists use. The rollup is dropped on every committed ticket change (the live-change bus: `invalidate` is
 * wired to LiveFeed) and is at most `maxAgeMs` old (time alone moves tickets into "due soon" and out of
 * "snoozed"; it also covers notifications lost while the LISTEN connection reconnects). Concurrent requests
 * share one computation; a computation started before an invalidation is never kept.
 */
export class ViewCounter {
  private rollup: Rollup | null = null;
  private generation = 0;
  private inflight: { generation: number; promise: Promise<Rollup> } | null = null;

  constructor(private readonly ctx: AppContext, private readonly maxAgeMs = 15_000) {}

  /** A ticket changed somewhere: the next request recomputes. */
  invalidate(): void {
    this.generation++;
    this.rollup = null;
  }

  async counts(actor: Principal): Promise<ViewCounts> {
    // Customers' visibility depends on requester and organization, which the rollup leaves out.
    if (actor.kind !== 'user') return countViewsUncached(this.ctx, actor);
    const rollup = await this.current();
    const out = Object.fromEntries(BUILTIN_VIEWS.map((v) => [v, 0])) as ViewCounts;
    for (const row of rollup.rows) {
      if (!canSeeTicket(actor, { requester_id: '', organization_id: null, group_id: row.group_id, assignee_id: row.assignee_id })) continue;
      for (const v of BUILTIN_VIEWS) if (viewMatches(v, actor, row)) out[v] += row.n;
    }
    return out;
  }

  /**
   * The shared rollup itself, for the supervisor's board (app/live/get-board.ts): its unsolved rows count open
   * work per group and status and each agent's load, due-soon and breached tickets without a pass over them.
   */
  shared(): Promise<Rollup> {
    return this.current();
  }

  private async current(): Promise<Rollup> {
    const now = this.ctx.now().getTime();
    const r = this.rollup;
    if (r && now >= r.at && now - r.at < this.maxAgeMs) return r;
    if (this.inflight?.generation === this.generation) return this.inflight.promise;
    const generation = this.generation;
    const promise = this.compute(now).then((fresh) => {
      if (this.generation === generation) this.rollup = fresh;
      return fresh;
    }).finally(() => {
      if (this.inflight?.promise === promise) this.inflight = null;
    });
    this.inflight = { generation, promise };
    return promise;
  }

  private async compute(now: number): Promise<Rollup> {
    const rows = await this.ctx.db.query<RollupRow & { raw: number }>(ROLLUP_SQL, [new Date(now), new Date(now + DUE_SOON_MS)]);
    // The ledger grows by a row or two per settling change; fold it when it holds many more rows than sums.
    const raw = rows.reduce((a, r) => a + Number(r.raw), 0);
    const sums = rows.reduce((a, r) => a + (Number(r.raw) > 0 ? 1 : 0), 0);
    if (raw > LEDGER_FOLD_AT + 2 * sums) {
      try {
        await this.ctx.db.query(FOLD_LEDGER_SQL);
      } catch (err) {
        this.ctx.log.warn({ err }, 'folding ticket_settled_counts failed; the sums stay exact, the next rollup tries again');
      }
    }
    return { at: now, rows: rows.map(({ raw: _raw, ...r }) => ({ ...r, n: Number(r.n) })) };
  }
}
