import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { FILTERED, filterParams, kpiFilter, periodOf } from './kpi-filter.ts';
import { durations, minutes, pct, stats, type Durations } from './kpi-sql.ts';

// The KPIs of GET /reports/kpis split by one dimension (docs/kpis.md "Breakdowns"): volume, first response and
// resolution per group, agent, type, priority, channel, SLA policy or root cause, and SLA compliance per each of
// those or per metric. Same period, filter and definitions as the summary; each row names the filter that drills
// down to its tickets (GET /reports/kpis/tickets), `none` for the tickets without a group, agent, policy or cause.

type Dimension = {
  /** The ticket's key (text, null → 'none'); null for `metric`, a property of the clock, not the ticket. */
  key: string | null;
  /** The key's display name, from `k` (the key as text). */
  label: string;
  /** The kpis/tickets query parameter that selects a row's tickets. */
  param: 'group_id' | 'assignee_id' | 'type' | 'priority' | 'channel' | 'policy_id' | 'root_cause' | 'metric';
};
const DIMENSIONS = {
  group: { key: 't.group_id::text', label: `(SELECT name FROM groups WHERE id::text = keys.k)`, param: 'group_id' },
  agent: { key: 't.assignee_id::text', label: `(SELECT name FROM users WHERE id::text = keys.k)`, param: 'assignee_id' },
  type: { key: 't.type', label: 'keys.k', param: 'type' },
  priority: { key: 't.priority', label: 'keys.k', param: 'priority' },
  channel: { key: 't.channel', label: 'keys.k', param: 'channel' },
  policy: { key: 't.sla_policy_id::text', label: `(SELECT name FROM sla_policies WHERE id::text = keys.k)`, param: 'policy_id' },
  root_cause: { key: `NULLIF(t.diagnosis->>'root_cause_category', '')`, label: 'keys.k', param: 'root_cause' },
  metric: { key: null, label: 'keys.k', param: 'metric' },
} as const satisfies Record<string, Dimension>;
export type BreakdownBy = keyof typeof DIMENSIONS;
const BY = Object.keys(DIMENSIONS) as [BreakdownBy, ...BreakdownBy[]];

export const breakdownQuery = z.strictObject({
  ...kpiFilter,
  by: z.enum(BY, { error: `must be one of ${BY.join(', ')}` }),
  format: z.enum(['json', 'csv']).default('json'),
});

export type BreakdownRow = {
  /** The value of the dimension; 'none' for tickets without one. */
  key: string;
  /** Its name where it is an id (group, agent, policy); else the key; null for 'none'. */
  label: string | null;
  /** Null where the dimension is the SLA metric (a ticket has several). */
  volume: number | null;
  first_response: (Durations & { unanswered: number }) | null;
  resolution: Durations | null;
  sla: { met: number; breached: number; compliance_pct: number | null };
  /** Add to the period to list this row's tickets at /reports/kpis/tickets. */
  drill: Record<string, string>;
};
export type Breakdown = { from: string; to: string; by: BreakdownBy; rows: BreakdownRow[] };

type Row = {
  k: string; label: string | null; volume: number | null; fr_open: number | null;
  fr_n: number | null; fr_mean: number | null; fr_p50: number | null; fr_p90: number | null;
  rs_n: number | null; rs_mean: number | null; rs_p50: number | null; rs_p90: number | null;
  met: number | null; breached: number | null;
};

function sql(d: Dimension): string {
  const ticketRows = d.key !== null;
  return `
WITH f AS (${FILTERED}),
k AS (SELECT t.*, COALESCE(${d.key ?? 'NULL::text'}, 'none') AS k FROM f t),
created AS (SELECT * FROM k WHERE created_at >= $1 AND created_at < $2),
v AS (SELECT k, count(*)::int AS volume, count(*) FILTER (WHERE first_responded_at IS NULL)::int AS fr_open,
             ${stats(minutes('created_at', 'first_responded_at'), 'fr')}
      FROM created GROUP BY k),
r AS (SELECT k, ${stats(minutes('created_at', 'solved_at'), 'rs')} FROM k WHERE solved_at >= $1 AND solved_at < $2 GROUP BY k),
s AS (SELECT ${ticketRows ? 'created.k' : 'c.metric'} AS k,
             count(*) FILTER (WHERE c.breached_at IS NULL AND c.status = 'completed')::int AS met,
             count(*) FILTER (WHERE c.breached_at IS NOT NULL)::int AS breached
      FROM sla_clocks c JOIN created ON created.id = c.ticket_id GROUP BY 1),
keys AS (${ticketRows ? 'SELECT k FROM v UNION SELECT k FROM r UNION ' : ''}SELECT k FROM s)
SELECT keys.k, ${d.label} AS label, ${ticketRows ? `v.volume, v.fr_open, v.fr_n, v.fr_mean, v.fr_p50, v.fr_p90,
       r.rs_n, r.rs_mean, r.rs_p50, r.rs_p90,` : ''} s.met, s.breached
FROM keys ${ticketRows ? 'LEFT JOIN v USING (k) LEFT JOIN r USING (k)' : ''} LEFT JOIN s USING (k)`;
}

export async function breakdown(ctx: AppContext, actor: Principal, raw: unknown): Promise<Breakdown | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(breakdownQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  const d: Dimension = DIMENSIONS[q.by];
  const rows = await ctx.db.query<Row>(sql(d), [from, to, ...filterParams(q)]);
  const ticketRows = d.key !== null;
  const out: BreakdownRow[] = rows.map((r) => {
    const met = r.met ?? 0;
    const breached = r.breached ?? 0;
    return {
      key: r.k,
      label: r.k === 'none' ? null : (r.label ?? r.k),
      volume: ticketRows ? (r.volume ?? 0) : null,
      first_response: ticketRows ? { ...durations(r.fr_n ?? 0, r.fr_mean, r.fr_p50, r.fr_p90), unanswered: r.fr_open ?? 0 } : null,
      resolution: ticketRows ? durations(r.rs_n ?? 0, r.rs_mean, r.rs_p50, r.rs_p90) : null,
      sla: { met, breached, compliance_pct: pct(met, met + breached) },
      drill: { [d.param]: r.k },
    };
  });
  // Busiest first; then by name, 'none' last, so the table reads the same on every request.
  out.sort((a, b) => (b.volume ?? b.sla.met + b.sla.breached) - (a.volume ?? a.sla.met + a.sla.breached)
    || Number(a.key === 'none') - Number(b.key === 'none') || (a.label ?? '').localeCompare(b.label ?? '') || a.key.localeCompare(b.key));
  if (q.format === 'csv') return { csv: breakdownCsv(q.by, out) };
  return { from: from.toISOString(), to: to.toISOString(), by: q.by, rows: out };
}

function breakdownCsv(by: BreakdownBy, rows: readonly BreakdownRow[]): string {
  const d = (x: Durations | null) => [x?.n, x?.mean_minutes, x?.p50_minutes, x?.p90_minutes];
  return toCsv(
    [by, 'name', 'volume', 'first_response_n', 'first_response_mean_minutes', 'first_response_p50_minutes', 'first_response_p90_minutes', 'unanswered',
      'resolution_n', 'resolution_mean_minutes', 'resolution_p50_minutes', 'resolution_p90_minutes', 'sla_met', 'sla_breached', 'sla_compliance_pct'],
    rows.map((r) => [r.key, r.label, r.volume, ...d(r.first_response), r.first_response?.unanswered, ...d(r.resolution), r.sla.met, r.sla.breached, r.sla.compliance_pct]));
}
