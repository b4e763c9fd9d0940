import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { invalidInput } from '../../core/errors.ts';
import { timeBuckets } from '../../core/reports/buckets.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { timeZoneSchema } from '../people/locale-schemas.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { FILTERED, filterParams, kpiFilter, periodOf } from './kpi-filter.ts';
import { inBacklogAt } from './kpi-sql.ts';

// Arrivals, solves and the backlog over time (docs/kpis.md "Trend"): per local day or ISO week of the viewer's zone,
// for the period and filter every report shares. Each point drills down: arrivals and solves are the volume and
// resolution lists of the bucket's period, the backlog is the backlog list at the bucket's end.

export const trendQuery = z.strictObject({
  ...kpiFilter,
  interval: z.enum(['day', 'week']).default('day'),
  zone: timeZoneSchema.default('UTC'),
  format: z.enum(['json', 'csv']).default('json'),
});

/** One bucket: [from, to) is the local day/week cut to the period; `backlog` is counted at `to`. */
export type TrendPoint = { label: string; from: string; to: string; arrivals: number; solved: number; backlog: number };
export type Trend = { from: string; to: string; interval: 'day' | 'week'; zone: string; points: TrendPoint[] };

export async function trend(ctx: AppContext, actor: Principal, raw: unknown): Promise<Trend | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(trendQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  if (to <= from) throw invalidInput('to', 'must be after from');
  const buckets = timeBuckets(from, to, q.interval, q.zone);
  if (!buckets) throw invalidInput('interval', 'too many points for this period: choose week or a shorter period');
  // Each bucket cut to the period, so the first and last count only what the period holds.
  const cut = buckets.map((b) => ({ label: b.label, from: b.start < from ? from : b.start, to: b.end > to ? to : b.end }));
  const starts = cut.map((b) => b.from);
  const ends = cut.map((b) => b.to);
  // width_bucket(x, starts) is the 1-based index of the last start ≤ x: the bucket of an instant in [from, to).
  const rows = await ctx.db.query<{ what: 'a' | 's' | 'b'; i: number; n: number }>(
    `WITH f AS (${FILTERED})
     SELECT 'a' AS what, width_bucket(created_at, $11::timestamptz[]) AS i, count(*)::int AS n FROM f WHERE created_at >= $1 AND created_at < $2 GROUP BY 2
     UNION ALL
     SELECT 's', width_bucket(solved_at, $11::timestamptz[]), count(*)::int FROM f WHERE solved_at >= $1 AND solved_at < $2 GROUP BY 2
     UNION ALL
     SELECT 'b', e.i::int, count(*)::int FROM unnest($12::timestamptz[]) WITH ORDINALITY e(at, i) JOIN f ON ${inBacklogAt('f', 'e.at')} GROUP BY e.i`,
    [from, to, ...filterParams(q), starts, ends]);
  const points: TrendPoint[] = cut.map((b) => ({ label: b.label, from: b.from.toISOString(), to: b.to.toISOString(), arrivals: 0, solved: 0, backlog: 0 }));
  for (const r of rows) {
    const p = points[r.i - 1];
    if (!p) continue;
    if (r.what === 'a') p.arrivals = r.n;
    else if (r.what === 's') p.solved = r.n;
    else p.backlog = r.n;
  }
  if (q.format === 'csv') {
    return { csv: toCsv([q.interval, 'from', 'to', 'arrivals', 'solved', 'backlog'], points.map((p) => [p.label, p.from, p.to, p.arrivals, p.solved, p.backlog])) };
  }
  return { from: from.toISOString(), to: to.toISOString(), interval: q.interval, zone: q.zone, points };
}
