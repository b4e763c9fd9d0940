import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { ALWAYS_OPEN } from '../../core/calendar/index.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import { filterParams, kpiFilter, periodOf, ticketFilter } from './kpi-filter.ts';
import { durations, type Durations } from './kpi-sql.ts';

// Time to resolution in business time beside calendar time (docs/kpis.md "Business-time resolution"): the tickets
// the resolution KPI counts (last solve in the period), `solved_at − created_at` in wall-clock minutes and in the open
// minutes of the ticket's SLA policy's calendar (the calendar engine's businessMsBetween: its zone, hours and
// holidays). A ticket without a policy, or whose policy has no calendar, is open around the clock: both are equal.

export const resolutionTimeQuery = z.strictObject({
  ...kpiFilter,
  tickets: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  format: z.enum(['json', 'csv']).default('json'),
});

export type ResolutionTicket = { number: number; subject: string; policy: string | null; created_at: string; solved_at: string; calendar_minutes: number; business_minutes: number };
export type ResolutionTimes = { from: string; to: string; calendar: Durations; business: Durations; tickets?: ResolutionTicket[] };

/** percentile_cont: linear interpolation between the closest ranks (what the SQL KPIs use). */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (rank - lo);
}

function statsOf(values: readonly number[]): Durations {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : null;
  return durations(sorted.length, mean, percentileCont(sorted, 0.5), percentileCont(sorted, 0.9));
}

export async function resolutionTimes(ctx: AppContext, actor: Principal, raw: unknown): Promise<ResolutionTimes | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const { tickets: withTickets, format, ...filter } = parseInput(resolutionTimeQuery, raw);
  const { from, to } = periodOf(filter, ctx.now());
  const [rows, config] = await Promise.all([
    ctx.db.query<{ number: number; subject: string; sla_policy_id: string | null; created_at: Date; solved_at: Date }>(
      `SELECT t.number, t.subject, t.sla_policy_id::text AS sla_policy_id, t.created_at, t.solved_at FROM tickets t
       WHERE t.solved_at >= $1 AND t.solved_at < $2 AND ${ticketFilter('t')} ORDER BY t.solved_at, t.number`, [from, to, ...filterParams(filter)]),
    loadSlaConfig(ctx.db),
  ]);
  const policies = new Map(config.policies.map((p) => [p.id, p]));
  const list = rows.map((r): ResolutionTicket => {
    const policy = r.sla_policy_id ? policies.get(r.sla_policy_id) : undefined;
    const calendar = (policy?.calendar_id ? config.calendars.get(policy.calendar_id)?.compiled : undefined) ?? ALWAYS_OPEN;
    const a = r.created_at.getTime();
    const b = r.solved_at.getTime();
    return {
      number: r.number, subject: r.subject, policy: policy?.name ?? null, created_at: r.created_at.toISOString(), solved_at: r.solved_at.toISOString(),
      calendar_minutes: (b - a) / 60_000, business_minutes: calendar.businessMsBetween(a, b) / 60_000,
    };
  });
  if (format === 'csv') {
    const prefix = ctx.settings.ticketPrefix;
    return { csv: toCsv(['ticket', 'subject', 'policy', 'created_at', 'solved_at', 'calendar_minutes', 'business_minutes'],
      list.map((t) => [`${prefix}${t.number}`, t.subject, t.policy, t.created_at, t.solved_at, t.calendar_minutes, t.business_minutes])) };
  }
  return {
    from: from.toISOString(), to: to.toISOString(),
    calendar: statsOf(list.map((t) => t.calendar_minutes)), business: statsOf(list.map((t) => t.business_minutes)),
    ...(withTickets === 'true' ? { tickets: list } : {}),
  };
}
