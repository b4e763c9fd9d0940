import { filterParams, ticketFilter, type KpiFilter } from '../../src/app/reports/kpi-filter.ts';
import { durations, minutes, pct, stats } from '../../src/app/reports/kpi-sql.ts';
import type { Queryable } from '../../src/store/db.ts';

// The KPI summary as one plain statement over the base tables — the statement the API answered with before the
// rollup (docs/kpis.md's definitions, unchanged) — for tests that hold the rollup equal to it.

const PLAIN_SQL = `
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

type Row = Record<string, number | null> & { sla: { metric: string; met: number; breached: number }[] | null };

/** What GET /api/v1/reports/kpis answers, computed from the base tables alone. */
export async function plainKpis(db: Queryable, from: Date, to: Date, q: KpiFilter = {}) {
  const [r] = await db.query<Row>(PLAIN_SQL, [from, to, ...filterParams(q)]);
  if (!r) throw new Error('no row');
  const n = (k: string) => Number(r[k] ?? 0);
  const v = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
  return {
    from: from.toISOString(), to: to.toISOString(), volume: n('volume'),
    first_response: { ...durations(n('fr_n'), v('fr_mean'), v('fr_p50'), v('fr_p90')), unanswered: n('fr_open') },
    average_response: { ...durations(n('ar_n'), v('ar_mean'), v('ar_p50'), v('ar_p90')), unanswered: n('ar_open') },
    resolution: durations(n('rs_n'), v('rs_mean'), v('rs_p50'), v('rs_p90')),
    sla: (r.sla ?? []).map((c) => ({ ...c, compliance_pct: pct(c.met, c.met + c.breached) })),
    reopen: { solved: n('solved'), reopened: n('reopened'), rate_pct: pct(n('reopened'), n('solved')) },
    repeat_contacts: { n: n('repeats'), rate_pct: pct(n('repeats'), n('volume')) },
    reassignments: { tickets: n('reassigned_tickets'), changes: n('reassignments') },
    csat: { responses: n('csat_n'), average: n('csat_n') ? v('csat_avg') : null, satisfied_pct: pct(n('csat_good'), n('csat_n')) },
  };
}

/** Arrivals and breaches by local weekday × hour, from the base tables (the heatmap's definition). */
export async function plainHeatmap(db: Queryable, from: Date, to: Date, zone: string, q: KpiFilter = {}) {
  const rows = await db.query<{ what: string; dow: number; hour: number; n: number }>(
    `WITH at AS (SELECT 'a' AS what, t.created_at AS at FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2 AND ${ticketFilter('t')}
                 UNION ALL
                 SELECT 'b', c.breached_at FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id WHERE c.breached_at >= $1 AND c.breached_at < $2 AND ${ticketFilter('t')})
     SELECT what, extract(isodow FROM at AT TIME ZONE $11)::int AS dow, extract(hour FROM at AT TIME ZONE $11)::int AS hour, count(*)::int AS n
     FROM at GROUP BY 1, 2, 3`, [from, to, ...filterParams(q), zone]);
  const grid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const out = { arrivals: grid(), breaches: grid() };
  for (const r of rows) {
    const row = (r.what === 'a' ? out.arrivals : out.breaches)[r.dow - 1];
    if (row) row[r.hour] = r.n;
  }
  return out;
}
