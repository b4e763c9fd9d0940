import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { timeZoneSchema } from '../people/locale-schemas.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { filterParams, kpiFilter, periodOf, ticketFilter } from './kpi-filter.ts';

export const heatmapQuery = z.strictObject({ ...kpiFilter, zone: timeZoneSchema.default('UTC') });

/** Rows Monday … Sunday, columns 00 … 23 local hours. */
export type Heatmap = { from: string; to: string; zone: string; arrivals: number[][]; breaches: number[][] };

/**
 * The slow hours of the week: arrivals (tickets created) and SLA breaches (clocks that breached) in the
 * period, by weekday and hour in the viewer's zone — so "Monday 09:00" is the viewer's Monday morning.
 */
export async function heatmap(ctx: AppContext, actor: Principal, raw: unknown): Promise<Heatmap> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(heatmapQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  const rows = await ctx.db.query<{ what: 'a' | 'b'; dow: number; hour: number; n: number }>(
    // Each arm through the index on its own timestamp (migration 0065), the filter checked on its tickets.
    `WITH at AS (SELECT 'a' AS what, t.created_at AS at FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2 AND ${ticketFilter('t')}
            UNION ALL
            SELECT 'b', c.breached_at FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id WHERE c.breached_at >= $1 AND c.breached_at < $2 AND ${ticketFilter('t')})
     SELECT what, extract(isodow FROM at AT TIME ZONE $11)::int AS dow, extract(hour FROM at AT TIME ZONE $11)::int AS hour, count(*)::int AS n
     FROM at GROUP BY 1, 2, 3`,
    [from, to, ...filterParams(q), q.zone]);
  const grid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const arrivals = grid();
  const breaches = grid();
  for (const r of rows) {
    const row = (r.what === 'a' ? arrivals : breaches)[r.dow - 1];
    if (row) row[r.hour] = r.n;
  }
  return { from: from.toISOString(), to: to.toISOString(), zone: q.zone, arrivals, breaches };
}
