import { binnedPercentile, binOf, locateRank, percentileRanks } from '../../core/reports/duration-bins.ts';
import { splitDays } from '../../core/reports/rollup-period.ts';
import type { Queryable } from '../../store/db.ts';
import { filterParams, rollupFilter, type KpiFilter } from './kpi-filter.ts';
import { PIECES } from './kpi-rollup.ts';

// Reads of the rollup's coarse level (kpi_lite, kpi_lite_bins; migration 0170, built in app/reports/kpi-rollup.ts):
// a period = whole UTC days from the day level + the whole hours around them from kpi_rollup + its partial edge
// hours from the base tables (PIECES). The two finer parts are at most two days of rows, whatever the period.

/** The day level a filter can read: none, or exactly one of these facets (the filters a supervisor uses alone). */
export type Level = { dim: string; key: string };

const ONE_FACET: Partial<Record<keyof KpiFilter, { dim: string; id: boolean }>> = {
  group_id: { dim: 'group', id: true }, assignee_id: { dim: 'assignee', id: true },
  type: { dim: 'type', id: false }, priority: { dim: 'priority', id: false }, channel: { dim: 'channel', id: false },
};

/** The level for this filter, or null when it combines facets or uses tier, policy or root cause (read hourly). */
export function levelOf(q: KpiFilter): Level | null {
  const set = (Object.keys(ONE_FACET) as (keyof KpiFilter)[]).filter((k) => q[k] !== undefined);
  if (q.tier !== undefined || q.policy_id !== undefined || q.root_cause !== undefined || set.length > 1) return null;
  const [name] = set;
  if (!name) return { dim: '', key: '' };
  const facet = ONE_FACET[name];
  const value = String(q[name]);
  if (!facet) return null;
  // Ids as PostgreSQL prints a uuid; `none` (no group, unassigned) is stored as ''.
  return { dim: facet.dim, key: facet.id ? (value === 'none' ? '' : value.toLowerCase()) : value };
}

/**
 * $1 $2 the whole hours' starts and ends, $3…$10 the filter, $11 $12 the edges' starts and ends, $13 $14 the whole
 * days, $15 $16 the level. `loose`: the hourly rows and edge pieces of the period, filtered.
 */
export function levelParams(q: KpiFilter, level: Level, from: Date, to: Date): unknown[] {
  const { dayFrom, dayTo, hours, edges } = splitDays(from, to);
  const iso = (xs: [Date, Date][], i: 0 | 1) => xs.map((x) => x[i].toISOString());
  return [iso(hours, 0), iso(hours, 1), ...filterParams(q), iso(edges, 0), iso(edges, 1), dayFrom, dayTo, level.dim, level.key];
}

export const LOOSE = `
r AS (SELECT * FROM unnest($11::timestamptz[], $12::timestamptz[]) AS r(a, b)),
loose AS MATERIALIZED (
  SELECT k.hour, k.kind, k.metric, k.n, k.open, k.flag, k.total, k.vals, k.ids
    FROM unnest($1::timestamptz[], $2::timestamptz[]) AS h(a, b)
   CROSS JOIN LATERAL (SELECT * FROM kpi_rollup k WHERE k.hour >= h.a AND k.hour < h.b OFFSET 0) k WHERE ${rollupFilter('k')}
  UNION ALL
  SELECT e.hour, e.kind, e.metric, e.n, e.open, e.flag, e.total, e.vals, e.ids FROM (${PIECES}) e WHERE ${rollupFilter('e')})`;
export const LITE_WHERE = (alias: string) => `${alias}.dim = $15 AND ${alias}.key = $16 AND ${alias}.day >= $13 AND ${alias}.day < $14`;

// One statement, rows told apart by `what`: c — counts per kind and metric (day level + loose; total = the sum of the
// durations or ratings); v — the loose durations per kind; b — the day level's bin counts per kind; m — the distinct
// reassigned tickets.
const SUMMARY = `
WITH ${LOOSE},
lite AS (SELECT * FROM kpi_lite l WHERE ${LITE_WHERE('l')})
SELECT 'c' AS what, x.kind, x.metric, sum(x.n)::int AS n, sum(x.open)::int AS open, sum(x.flag)::int AS flag, sum(x.total)::float8 AS total,
       NULL::float8[] AS vals, NULL::int AS bin
  FROM (SELECT kind, metric, n, open, flag, total FROM lite
        UNION ALL SELECT kind, metric, n, open, flag, total + COALESCE((SELECT sum(v) FROM unnest(vals) v), 0) FROM loose) x
 GROUP BY x.kind, x.metric
UNION ALL
SELECT 'v', loose.kind, '', 0, 0, 0, 0, array_agg(u.v), NULL FROM loose CROSS JOIN LATERAL unnest(loose.vals) AS u(v) GROUP BY loose.kind
UNION ALL
SELECT 'b', b.kind, '', sum(b.n)::int, 0, 0, 0, NULL, b.bin FROM kpi_lite_bins b
 WHERE b.kind IN ('created', 'asked', 'solved') AND ${LITE_WHERE('b')} GROUP BY b.kind, b.bin
UNION ALL
SELECT 'm', 'moved', '', (SELECT count(DISTINCT i)::int FROM (SELECT unnest(ids) AS i FROM lite WHERE kind = 'moved'
                                                              UNION ALL SELECT unnest(ids) FROM loose WHERE kind = 'moved') z), 0, 0, 0, NULL, NULL`;

// The day level's values of the bins that hold a percentile's ranks ($5: kinds, $6: bins, pairwise).
const VALUES = `
SELECT p.kind, p.bin, array_agg(u.v) AS vals
  FROM unnest($5::text[], $6::int[]) AS p(kind, bin)
  JOIN kpi_lite_bins b ON b.dim = $3 AND b.key = $4 AND b.kind = p.kind AND b.bin = p.bin AND b.day >= $1 AND b.day < $2
 CROSS JOIN LATERAL unnest(b.vals) AS u(v)
 GROUP BY p.kind, p.bin`;

type Row = { what: 'c' | 'v' | 'b' | 'm'; kind: string; metric: string; n: number; open: number; flag: number; total: number; vals: number[] | null; bin: number | null };
export type Counts = { n: number; open: number; flag: number; total: number };
export type Measure = Counts & { values: number; mean: number | null; p50: number | null; p90: number | null };
export type LevelSummary = { counts: Map<string, Counts>; measures: Map<string, Measure>; reassignedTickets: number };

const DURATION_KINDS = ['created', 'asked', 'solved'] as const;
const QUANTILES = [0.5, 0.9] as const;

/**
 * The KPIs' raw numbers from the day level: counts per `kind|metric`, and per duration kind the number of values,
 * their mean and exact p50/p90 — bins to find each rank, then the values of that bin only.
 */
export async function readLevelSummary(db: Queryable, q: KpiFilter, level: Level, from: Date, to: Date): Promise<LevelSummary> {
  const params = levelParams(q, level, from, to);
  const rows = await db.query<Row>(SUMMARY, params);
  const counts = new Map<string, Counts>();
  const loose = new Map<string, number[]>();
  const bins = new Map<string, Map<number, number>>();
  let reassignedTickets = 0;
  const binsOf = (kind: string) => bins.get(kind) ?? bins.set(kind, new Map()).get(kind) as Map<number, number>;
  for (const r of rows) {
    if (r.what === 'c') counts.set(`${r.kind}|${r.metric}`, { n: r.n, open: r.open, flag: r.flag, total: r.total });
    else if (r.what === 'v') loose.set(r.kind, r.vals ?? []);
    else if (r.what === 'b' && r.bin !== null) binsOf(r.kind).set(r.bin, (binsOf(r.kind).get(r.bin) ?? 0) + r.n);
    else if (r.what === 'm') reassignedTickets = r.n;
  }
  // The loose values join their bins (binOf mirrors width_bucket over the same bounds).
  const looseByBin = new Map<string, number[]>();
  for (const [kind, vals] of loose) {
    for (const v of vals) {
      const b = binOf(v);
      binsOf(kind).set(b, (binsOf(kind).get(b) ?? 0) + 1);
      const key = `${kind}|${b}`;
      (looseByBin.get(key) ?? looseByBin.set(key, []).get(key) as number[]).push(v);
    }
  }
  // Which bins hold the ranks; one read of their stored values (the loose ones are at hand).
  const wanted = new Set<string>();
  for (const kind of DURATION_KINDS) {
    const kb = binsOf(kind);
    const n = [...kb.values()].reduce((a, b) => a + b, 0);
    if (n === 0) continue;
    for (const qn of QUANTILES) {
      const { lo, hi } = percentileRanks(qn, n);
      for (const rank of [lo, hi]) {
        const where = locateRank(kb, rank);
        if (where) wanted.add(`${kind}|${where.bin}`);
      }
    }
  }
  const pairs = [...wanted].map((w) => w.split('|') as [string, string]);
  const stored = new Map<string, number[]>();
  if (pairs.length) {
    const got = await db.query<{ kind: string; bin: number; vals: number[] }>(VALUES, [params[12], params[13], level.dim, level.key, pairs.map((p) => p[0]), pairs.map((p) => Number(p[1]))]);
    for (const g of got) stored.set(`${g.kind}|${g.bin}`, g.vals);
  }
  const measures = new Map<string, Measure>();
  for (const kind of DURATION_KINDS) {
    const kb = binsOf(kind);
    const values = [...kb.values()].reduce((a, b) => a + b, 0);
    const c = counts.get(`${kind}|`) ?? { n: 0, open: 0, flag: 0, total: 0 };
    const valuesOf = (bin: number) => [...(stored.get(`${kind}|${bin}`) ?? []), ...(looseByBin.get(`${kind}|${bin}`) ?? [])];
    measures.set(kind, { ...c, values, mean: values ? c.total / values : null,
      p50: binnedPercentile(0.5, kb, valuesOf), p90: binnedPercentile(0.9, kb, valuesOf) });
  }
  return { counts, measures, reassignedTickets };
}
