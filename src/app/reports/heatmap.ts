import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { timeZoneSchema } from '../people/locale-schemas.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { toCsv } from '../../core/reports/csv.ts';
import { hoursAreLocalHours } from '../../core/reports/rollup-period.ts';
import { filterParams, kpiFilter, periodOf, rollupFilter, rollupParams, ticketFilter } from './kpi-filter.ts';
import { levelOf, levelParams, LITE_WHERE, LOOSE } from './kpi-levels.ts';
import { PIECES, rangesCte, rollupReady, withoutJit } from './kpi-rollup.ts';

export const heatmapQuery = z.strictObject({ ...kpiFilter, zone: timeZoneSchema.default('UTC'), format: z.enum(['json', 'csv']).default('json') });

/** Rows Monday … Sunday, columns 00 … 23 local hours. */
export type Heatmap = { from: string; to: string; zone: string; arrivals: number[][]; breaches: number[][] };

type Cell = { what: 'a' | 'b'; dow: number; hour: number; n: number };

// Each UTC hour of the rollup is one local hour where the zone's offset is whole hours (core/reports/rollup-period.ts):
// its arrivals (`created`) and breaches, plus the partial hours at the period's edges from the base tables.
const FROM_ROLLUP = `
WITH ${rangesCte(11, 12)},
p AS (
  SELECT k.hour, k.kind, k.n FROM kpi_rollup k WHERE k.kind IN ('created', 'breached') AND k.hour >= $1 AND k.hour < $2 AND ${rollupFilter('k')}
  UNION ALL
  SELECT e.hour, e.kind, e.n FROM (${PIECES}) e WHERE e.kind IN ('created', 'breached') AND ${rollupFilter('e')})
SELECT CASE kind WHEN 'created' THEN 'a' ELSE 'b' END AS what, extract(isodow FROM hour AT TIME ZONE $13)::int AS dow,
       extract(hour FROM hour AT TIME ZONE $13)::int AS hour, sum(n)::int AS n
FROM p GROUP BY 1, 2, 3`;

// The same from the day level (kpi-levels.ts) for no filter or one facet: each whole UTC day's row carries its
// hours' counts (hourly[1…24]); the hours around the days and the edges as above ($17: the zone).
const FROM_LEVEL = `
WITH ${LOOSE},
p AS (
  SELECT l.day + (u.i - 1) * interval '1 hour' AS hour, l.kind, u.n FROM kpi_lite l CROSS JOIN LATERAL unnest(l.hourly) WITH ORDINALITY AS u(n, i)
   WHERE l.kind IN ('created', 'breached') AND ${LITE_WHERE('l')}
  UNION ALL
  SELECT hour, kind, n FROM loose WHERE kind IN ('created', 'breached'))
SELECT CASE kind WHEN 'created' THEN 'a' ELSE 'b' END AS what, extract(isodow FROM hour AT TIME ZONE $17)::int AS dow,
       extract(hour FROM hour AT TIME ZONE $17)::int AS hour, sum(n)::int AS n
FROM p GROUP BY 1, 2, 3`;

// Elsewhere (India, Nepal, …) from the base tables, each arm through the index on its own timestamp (migration 0065).
const FROM_TICKETS = `
WITH at AS (SELECT 'a' AS what, t.created_at AS at FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2 AND ${ticketFilter('t')}
            UNION ALL
            SELECT 'b', c.breached_at FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id WHERE c.breached_at >= $1 AND c.breached_at < $2 AND ${ticketFilter('t')})
SELECT what, extract(isodow FROM at AT TIME ZONE $11)::int AS dow, extract(hour FROM at AT TIME ZONE $11)::int AS hour, count(*)::int AS n
FROM at GROUP BY 1, 2, 3`;

/**
 * The slow hours of the week: arrivals (tickets created) and SLA breaches (clocks that breached) in the
 * period, by weekday and hour in the viewer's zone — so "Monday 09:00" is the viewer's Monday morning.
 */
export async function heatmap(ctx: AppContext, actor: Principal, raw: unknown): Promise<Heatmap | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(heatmapQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  // The rollup only once the worker has built it (rollupReady), and only where its UTC hours are local hours.
  const fromRollup = hoursAreLocalHours(q.zone, from, to) && await rollupReady(ctx);
  const level = fromRollup ? levelOf(q) : null;
  const rows = await withoutJit(ctx.db, (db) => level
    ? db.query<Cell>(FROM_LEVEL, [...levelParams(q, level, from, to), q.zone])
    : fromRollup
      ? db.query<Cell>(FROM_ROLLUP, [...rollupParams(q, from, to), q.zone])
      : db.query<Cell>(FROM_TICKETS, [from, to, ...filterParams(q), q.zone]));
  const grid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const arrivals = grid();
  const breaches = grid();
  for (const r of rows) {
    const row = (r.what === 'a' ? arrivals : breaches)[r.dow - 1];
    if (row) row[r.hour] = r.n;
  }
  if (q.format === 'csv') {
    // One row per weekday × hour (168), the shape a spreadsheet pivots; weekdays as ISO numbers and names.
    return { csv: toCsv(['weekday', 'day', 'hour', 'zone', 'arrivals', 'breaches'],
      WEEKDAYS.flatMap((day, d) => arrivals[d]?.map((n, hour) => [d + 1, day, hour, q.zone, n, breaches[d]?.[hour] ?? 0]) ?? [])) };
  }
  return { from: from.toISOString(), to: to.toISOString(), zone: q.zone, arrivals, breaches };
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
