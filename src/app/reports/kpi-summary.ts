import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { filterParams, kpiQuery, periodOf, rollupFilter, rollupParams, type KpiFilter } from './kpi-filter.ts';
import { levelOf, readLevelSummary, type Level } from './kpi-levels.ts';
import { PIECES, rangesCte, rollupReady, withoutJit } from './kpi-rollup.ts';
import type { Queryable } from '../../store/db.ts';
import { durations, pct, stats, type Durations } from './kpi-sql.ts';

export { kpiQuery };

// The supervisor's KPIs over one period and filter, each defined in docs/kpis.md (which timestamps, which clock,
// what is excluded). Read from the rollup brought up to date first — correct to the last committed change: its day
// level for no filter or one facet (kpi-levels.ts), its hourly rows for other filters; and from the base tables
// while the worker has not built it yet (never built, or rebuilding after a bulk load).

export type { Durations };
export type KpiSummary = {
  from: string;
  to: string;
  volume: number;
  first_response: Durations & { unanswered: number };
  average_response: Durations & { unanswered: number };
  resolution: Durations;
  sla: { metric: string; met: number; breached: number; compliance_pct: number | null }[];
  reopen: { solved: number; reopened: number; rate_pct: number | null };
  repeat_contacts: { n: number; rate_pct: number | null };
  reassignments: { tickets: number; changes: number };
  csat: { responses: number; average: number | null; satisfied_pct: number | null };
};

type Row = {
  volume: number;
  fr_n: number; fr_mean: number | null; fr_p50: number | null; fr_p90: number | null; fr_open: number;
  ar_n: number; ar_mean: number | null; ar_p50: number | null; ar_p90: number | null; ar_open: number;
  rs_n: number; rs_mean: number | null; rs_p50: number | null; rs_p90: number | null;
  solved: number; reopened: number; repeats: number; reassigned_tickets: number; reassignments: number;
  csat_n: number; csat_avg: number | null; csat_good: number;
  sla: { metric: string; met: number; breached: number }[] | null;
};

// Read from the rollup (app/reports/kpi-rollup.ts): the period's whole UTC hours from kpi_rollup, its partial hours
// at the edges computed by the same SQL from the base tables — one set of pieces, each KPI summed over them, the
// percentiles over the pieces' exact durations. The statement over the base tables alone took 15–40 s at 1 M tickets
// (bench:reports); its definitions live on in the pieces, and test/kpi-rollup.test.ts holds the two equal.
// One pass per measure: the rows of a kind with their durations unnested beside them (a row without durations
// still appears once, with v null, which the percentiles skip); a row's counts are taken from its first line only.
const first = `(u.o IS NULL OR u.o = 1)`;
const measure = (kind: string, prefix: string) => `(
  SELECT COALESCE(sum(p.n) FILTER (WHERE ${first}), 0)::int AS ${prefix}_rows, COALESCE(sum(p.open) FILTER (WHERE ${first}), 0)::int AS ${prefix}_open,
         COALESCE(sum(p.flag) FILTER (WHERE ${first}), 0)::int AS ${prefix}_flag, ${stats('u.v', prefix)}
    FROM p LEFT JOIN LATERAL unnest(p.vals) WITH ORDINALITY AS u(v, o) ON true WHERE p.kind = '${kind}') ${prefix}`;

const SQL = `
WITH ${rangesCte(11, 12)},
p AS NOT MATERIALIZED (
  SELECT k.kind, k.metric, k.n, k.open, k.flag, k.total, k.vals, k.ids FROM kpi_rollup k
   WHERE k.hour >= $1 AND k.hour < $2 AND ${rollupFilter('k')}
  UNION ALL
  SELECT e.kind, e.metric, e.n, e.open, e.flag, e.total, e.vals, e.ids FROM (${PIECES}) e WHERE ${rollupFilter('e')})
SELECT fr.fr_rows AS volume, fr.fr_n, fr.fr_mean, fr.fr_p50, fr.fr_p90, fr.fr_open, fr.fr_flag AS repeats,
       ar.ar_n, ar.ar_mean, ar.ar_p50, ar.ar_p90, ar.ar_open,
       rs.rs_n, rs.rs_mean, rs.rs_p50, rs.rs_p90, rs.rs_rows AS solved, rs.rs_flag AS reopened,
       mv.*, cs.*,
  (SELECT json_agg(json_build_object('metric', metric, 'met', met, 'breached', breached) ORDER BY metric)
     FROM (SELECT metric, sum(n)::int AS met, sum(flag)::int AS breached FROM p WHERE kind = 'clock' GROUP BY metric) c) AS sla
FROM ${measure('created', 'fr')}, ${measure('asked', 'ar')}, ${measure('solved', 'rs')},
     (SELECT COALESCE(sum(n), 0)::int AS reassignments, (SELECT count(DISTINCT id)::int FROM p, unnest(p.ids) AS id WHERE p.kind = 'moved') AS reassigned_tickets
        FROM p WHERE kind = 'moved') mv,
     (SELECT COALESCE(sum(n), 0)::int AS csat_n, (sum(total) / NULLIF(sum(n), 0))::float8 AS csat_avg, COALESCE(sum(flag), 0)::int AS csat_good
        FROM p WHERE kind = 'rated') cs`;

/** SQL's parameters with the whole period as one edge: every piece computed from the base tables. */
const baseParams = (q: KpiFilter, from: Date, to: Date): unknown[] =>
  [from, from, ...filterParams(q), from < to ? [from.toISOString()] : [], from < to ? [to.toISOString()] : []];

/** The same row from the day level (kpi-levels.ts). */
async function fromLevel(db: Queryable, q: KpiFilter, level: Level, from: Date, to: Date): Promise<Row> {
  const s = await readLevelSummary(db, q, level, from, to);
  const zero = { n: 0, open: 0, flag: 0, total: 0 };
  const count = (kind: string, metric = '') => s.counts.get(`${kind}|${metric}`) ?? zero;
  const m = (kind: string) => s.measures.get(kind) ?? { ...zero, values: 0, mean: null, p50: null, p90: null };
  const [fr, ar, rs] = [m('created'), m('asked'), m('solved')];
  const sla = [...s.counts].filter(([k]) => k.startsWith('clock|')).map(([k, c]) => ({ metric: k.slice('clock|'.length), met: c.n, breached: c.flag }))
    .sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const rated = count('rated');
  return {
    volume: fr.n, fr_n: fr.values, fr_mean: fr.mean, fr_p50: fr.p50, fr_p90: fr.p90, fr_open: fr.open,
    ar_n: ar.values, ar_mean: ar.mean, ar_p50: ar.p50, ar_p90: ar.p90, ar_open: ar.open,
    rs_n: rs.values, rs_mean: rs.mean, rs_p50: rs.p50, rs_p90: rs.p90,
    solved: rs.n, reopened: rs.flag, repeats: fr.flag, reassigned_tickets: s.reassignedTickets, reassignments: count('moved').n,
    csat_n: rated.n, csat_avg: rated.n ? rated.total / rated.n : null, csat_good: rated.flag,
    sla: sla.length ? sla : null,
  };
}

/** The KPIs of one period (default: the 30 days before now) for the tickets the filter selects. */
export async function kpiSummary(ctx: AppContext, actor: Principal, raw: unknown): Promise<KpiSummary> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(kpiQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  const ready = await rollupReady(ctx);
  const level = ready ? levelOf(q) : null;
  const r = await withoutJit(ctx.db, async (db) => level
    ? fromLevel(db, q, level, from, to)
    : (await db.query<Row>(SQL, ready ? rollupParams(q, from, to) : baseParams(q, from, to)))[0]);
  if (!r) throw new Error('the KPI query returned no row');
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    volume: r.volume,
    first_response: { ...durations(r.fr_n, r.fr_mean, r.fr_p50, r.fr_p90), unanswered: r.fr_open },
    average_response: { ...durations(r.ar_n, r.ar_mean, r.ar_p50, r.ar_p90), unanswered: r.ar_open },
    resolution: durations(r.rs_n, r.rs_mean, r.rs_p50, r.rs_p90),
    sla: (r.sla ?? []).map((c) => ({ ...c, compliance_pct: pct(c.met, c.met + c.breached) })),
    reopen: { solved: r.solved, reopened: r.reopened, rate_pct: pct(r.reopened, r.solved) },
    repeat_contacts: { n: r.repeats, rate_pct: pct(r.repeats, r.volume) },
    reassignments: { tickets: r.reassigned_tickets, changes: r.reassignments },
    csat: { responses: r.csat_n, average: r.csat_n ? r.csat_avg : null, satisfied_pct: pct(r.csat_good, r.csat_n) },
  };
}
