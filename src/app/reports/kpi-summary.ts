import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { filterParams, kpiQuery, periodOf, ticketFilter } from './kpi-filter.ts';
import { durations, minutes, pct, stats, type Durations } from './kpi-sql.ts';

export { kpiQuery };

// The supervisor's KPIs over one period and filter, each defined in docs/kpis.md (which timestamps, which clock,
// what is excluded). One statement: every KPI reads the same filtered set of tickets.

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

// Each part reaches its rows through the index on its own timestamp in the period (migration 0065) and checks the
// filter on their tickets; a shared CTE of every filtered ticket was materialized in full (all tickets of all
// time) on each request — 1.5 s at 20,000 tickets (bench:reports).
const SQL = `
WITH created AS MATERIALIZED (SELECT t.* FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2 AND ${ticketFilter('t')}),
solved AS MATERIALIZED (SELECT t.* FROM tickets t WHERE t.solved_at >= $1 AND t.solved_at < $2 AND ${ticketFilter('t')}),
-- Every public customer message in the period and the first public staff message after it.
asks AS (
  SELECT m.created_at AS asked, (SELECT min(r.created_at) FROM messages r
                                  WHERE r.ticket_id = m.ticket_id AND r.kind = 'public' AND r.author_kind = 'user' AND r.created_at > m.created_at) AS answered
  FROM messages m JOIN tickets t ON t.id = m.ticket_id
  WHERE m.kind = 'public' AND m.author_kind = 'contact' AND m.created_at >= $1 AND m.created_at < $2 AND ${ticketFilter('t')}),
moves AS (
  SELECT e.ticket_id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
  WHERE e.kind = 'assignee_changed' AND e.before->>'assignee_id' IS NOT NULL AND e.created_at >= $1 AND e.created_at < $2 AND ${ticketFilter('t')}),
clocks AS (
  SELECT c.metric, count(*) FILTER (WHERE c.breached_at IS NULL AND c.status = 'completed')::int AS met,
         count(*) FILTER (WHERE c.breached_at IS NOT NULL)::int AS breached
  FROM sla_clocks c JOIN created ON created.id = c.ticket_id
  GROUP BY c.metric)
SELECT
  (SELECT count(*)::int FROM created) AS volume,
  fr.*, (SELECT count(*)::int FROM created WHERE first_responded_at IS NULL) AS fr_open,
  ar.*, (SELECT count(*)::int FROM asks WHERE answered IS NULL) AS ar_open,
  rs.*,
  (SELECT count(*)::int FROM solved) AS solved,
  (SELECT count(*)::int FROM solved s WHERE EXISTS (
     SELECT 1 FROM ticket_events e WHERE e.ticket_id = s.id AND e.kind = 'status_changed'
       AND e.before->>'status' = 'solved' AND e.after->>'status' NOT IN ('solved', 'closed'))) AS reopened,
  (SELECT count(*)::int FROM created WHERE repeat_of_id IS NOT NULL) AS repeats,
  (SELECT count(DISTINCT ticket_id)::int FROM moves) AS reassigned_tickets,
  (SELECT count(*)::int FROM moves) AS reassignments,
  cs.*,
  (SELECT json_agg(json_build_object('metric', metric, 'met', met, 'breached', breached) ORDER BY metric) FROM clocks) AS sla
FROM (SELECT ${stats(minutes('created_at', 'first_responded_at'), 'fr')} FROM created) fr,
     (SELECT ${stats(minutes('asked', 'answered'), 'ar')} FROM asks) ar,
     (SELECT ${stats(minutes('created_at', 'solved_at'), 'rs')} FROM solved) rs,
     (SELECT count(a.rating)::int AS csat_n, avg(a.rating)::float8 AS csat_avg, count(*) FILTER (WHERE a.rating >= 4)::int AS csat_good
        FROM closure_answers a JOIN tickets t ON t.id = a.ticket_id WHERE a.created_at >= $1 AND a.created_at < $2 AND ${ticketFilter('t')}) cs`;

/** The KPIs of one period (default: the 30 days before now) for the tickets the filter selects. */
export async function kpiSummary(ctx: AppContext, actor: Principal, raw: unknown): Promise<KpiSummary> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(kpiQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  const [r] = await ctx.db.query<Row>(SQL, [from, to, ...filterParams(q)]);
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
