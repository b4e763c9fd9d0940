import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { timeZoneSchema } from '../people/locale-schemas.ts';
import { parseInput } from '../shared/parse-input.ts';
import { FILTERED, filterParams, kpiFilter, periodOf } from './kpi-filter.ts';
import { inBacklogAt } from './kpi-sql.ts';

// The tickets behind each number of GET /api/v1/reports/kpis (docs/kpis.md): the same period, filter and
// definition, one row per ticket with the value it contributed, as JSON or CSV.

// One cell of the heatmap (weekday 1 = Monday … 7, hour 0–23, in the viewer's zone: $13 zone, $14 weekday, $15 hour),
// or every hour when no cell is asked for.
const inCell = (at: string): string =>
  `($14::int IS NULL OR (extract(isodow FROM ${at} AT TIME ZONE $13) = $14 AND extract(hour FROM ${at} AT TIME ZONE $13) = $15))`;

/** The KPIs a heatmap cell drills into: arrivals and breaches, each by its own timestamp. */
const CELL_KPIS = ['volume', 'breached_in_period'] as const;

const KPI_SQL = {
  volume: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE created_at >= $1 AND created_at < $2 AND ${inCell('f.created_at')}`,
  first_response: `SELECT f.*, extract(epoch FROM (first_responded_at - created_at)) / 60 AS minutes FROM f WHERE created_at >= $1 AND created_at < $2 AND first_responded_at IS NOT NULL`,
  first_response_unanswered: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE created_at >= $1 AND created_at < $2 AND first_responded_at IS NULL`,
  resolution: `SELECT f.*, extract(epoch FROM (solved_at - created_at)) / 60 AS minutes FROM f WHERE solved_at >= $1 AND solved_at < $2`,
  reopened: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE solved_at >= $1 AND solved_at < $2 AND EXISTS (
    SELECT 1 FROM ticket_events e WHERE e.ticket_id = f.id AND e.kind = 'status_changed' AND e.before->>'status' = 'solved' AND e.after->>'status' NOT IN ('solved', 'closed'))`,
  // The backlog at the end of the period ($2): what the trend's backlog point counts.
  backlog: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE ${inBacklogAt('f', '$2')}`,
  repeat_contacts: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE created_at >= $1 AND created_at < $2 AND repeat_of_id IS NOT NULL`,
  sla_breached: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE created_at >= $1 AND created_at < $2 AND EXISTS (
    SELECT 1 FROM sla_clocks c WHERE c.ticket_id = f.id AND ((SELECT metric FROM p) IS NULL OR c.metric = (SELECT metric FROM p)) AND c.breached_at IS NOT NULL)`,
  // The heatmap's breaches: tickets with a clock that breached inside the period (by the breach's own time).
  breached_in_period: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE EXISTS (
    SELECT 1 FROM sla_clocks c WHERE c.ticket_id = f.id AND c.breached_at >= $1 AND c.breached_at < $2 AND ${inCell('c.breached_at')})`,
  sla_met: `SELECT f.*, NULL::float8 AS minutes FROM f WHERE created_at >= $1 AND created_at < $2 AND EXISTS (
    SELECT 1 FROM sla_clocks c WHERE c.ticket_id = f.id AND ((SELECT metric FROM p) IS NULL OR c.metric = (SELECT metric FROM p)) AND c.status = 'completed' AND c.breached_at IS NULL)`,
} as const;
type Kpi = keyof typeof KPI_SQL;
const KPIS = Object.keys(KPI_SQL) as [Kpi, ...Kpi[]];

export const kpiTicketsQuery = z.strictObject({
  ...kpiFilter,
  kpi: z.enum(KPIS, { error: `must be one of ${KPIS.join(', ')}` }),
  metric: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
  zone: timeZoneSchema.default('UTC'),
  weekday: z.coerce.number().int().min(1).max(7).optional(),
  hour: z.coerce.number().int().min(0).max(23).optional(),
}).superRefine((q, issue) => {
  if ((q.weekday === undefined) !== (q.hour === undefined)) {
    issue.addIssue({ code: 'custom', path: [q.weekday === undefined ? 'weekday' : 'hour'], message: 'weekday and hour name one heatmap cell together' });
  } else if (q.weekday !== undefined && !(CELL_KPIS as readonly string[]).includes(q.kpi)) {
    issue.addIssue({ code: 'custom', path: ['weekday'], message: `a heatmap cell drills into ${CELL_KPIS.join(' or ')} only` });
  }
});

export type KpiTicket = { number: number; subject: string; status: string; priority: string; type: string | null; channel: string; created_at: string; solved_at: string | null; minutes: number | null };

export async function kpiTickets(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ csv: string } | { data: KpiTicket[] }> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(kpiTicketsQuery, raw);
  const { from, to } = periodOf(q, ctx.now());
  const rows = await ctx.db.query<{ number: number; subject: string; status: string; priority: string; type: string | null; channel: string; created_at: Date; solved_at: Date | null; minutes: number | null }>(
    `WITH f AS (${FILTERED}), p AS (SELECT $11::text AS metric, $1::timestamptz AS since, $13::text AS zone, $14::int AS weekday, $15::int AS hour /* typed here: not every list reads $1 or the heatmap cell */) SELECT number, subject, status, priority, type, channel, created_at, solved_at, minutes::float8 AS minutes
     FROM (${KPI_SQL[q.kpi]}) k ORDER BY minutes DESC NULLS LAST, number LIMIT $12`,
    [from, to, ...filterParams(q), q.metric ?? null, q.limit, q.zone, q.weekday ?? null, q.hour ?? null]);
  const data = rows.map((r) => ({ ...r, created_at: r.created_at.toISOString(), solved_at: r.solved_at?.toISOString() ?? null }));
  if (q.format === 'csv') {
    const prefix = ctx.settings.ticketPrefix;
    return { csv: toCsv(['ticket', 'subject', 'status', 'priority', 'type', 'channel', 'created_at', 'solved_at', 'minutes'],
      data.map((r) => [`${prefix}${r.number}`, r.subject, r.status, r.priority, r.type, r.channel, r.created_at, r.solved_at, r.minutes])) };
  }
  return { data };
}
