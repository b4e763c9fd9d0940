import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { filterParams, kpiFilter, periodOf, ticketFilter, type KpiFilter } from './kpi-filter.ts';

// Cost per resolution (docs/kpis.md "Cost per resolution"): for each ticket whose last solve falls in the period, the
// time spent on it × an hourly rate. Time is what agents booked on the ticket (time_entries, every entry of the
// ticket whenever booked), each entry at its author's rate, else the ticket group's rate. A ticket with nothing
// booked is estimated: the median booked minutes of the tickets of the same group and type solved in the period
// (else of the same group, every type), at the assignee's rate, else the group's. The method of each ticket is
// stated; a ticket without a rate is counted but not priced.

export const COST_METHOD = 'Booked minutes × the booking agent’s hourly rate (else the ticket group’s). Without booked time: '
  + 'the median booked minutes of tickets of the same group and type solved in the period (else the same group, every type) '
  + '× the assignee’s rate (else the group’s). Cost per resolution = cost of the priced tickets / their number.';

export type CostMethod = 'booked' | 'estimated_group_type_median' | 'estimated_group_median' | 'unknown';

const BY = ['group', 'agent', 'type', 'total'] as const;
export const costQuery = z.strictObject({
  ...kpiFilter,
  by: z.enum(BY, { error: `must be one of ${BY.join(', ')}` }).default('group'),
  format: z.enum(['json', 'csv']).default('json'),
});
export const costTicketsQuery = z.strictObject({
  ...kpiFilter,
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
});

export type CostTicket = {
  number: number; subject: string; group_id: string | null; group_name: string | null; assignee_id: string | null; agent_name: string | null;
  type: string; solved_at: string; method: CostMethod; minutes: number | null; cost: number | null;
};
export type CostRow = {
  key: string; label: string; resolutions: number; booked: number; estimated: number; unknown_time: number; unpriced: number;
  minutes: number; cost: number; cost_per_resolution: number | null; drill: Record<string, string>;
};
export type CostReport = { from: string; to: string; by: (typeof BY)[number]; method: string; rows: CostRow[]; total: Omit<CostRow, 'key' | 'label' | 'drill'> };

type TicketRow = {
  number: number; subject: string; group_id: string | null; group_name: string | null; assignee_id: string | null; agent_name: string | null; type: string; solved_at: Date;
  booked_minutes: number | null; booked_cost: number | null; booked_unpriced: number; assignee_rate: number | null; group_rate: number | null;
};

const TICKETS_SQL = `
WITH s AS (SELECT t.id, t.number, t.subject, t.group_id, t.assignee_id, t.type, t.solved_at FROM tickets t
           WHERE t.solved_at >= $1 AND t.solved_at < $2 AND ${ticketFilter('t')})
SELECT s.number, s.subject, s.group_id::text AS group_id, g.name AS group_name, s.assignee_id::text AS assignee_id, u.name AS agent_name, s.type, s.solved_at,
       b.minutes AS booked_minutes, b.cost AS booked_cost, b.unpriced AS booked_unpriced,
       (SELECT r.hourly_rate::float8 FROM cost_rates r WHERE r.scope = 'agent' AND r.target_id = s.assignee_id) AS assignee_rate,
       (SELECT r.hourly_rate::float8 FROM cost_rates r WHERE r.scope = 'group' AND r.target_id = s.group_id) AS group_rate
FROM s
LEFT JOIN LATERAL (
  SELECT sum(e.minutes)::int AS minutes, (sum(e.minutes * COALESCE(ar.hourly_rate, gr.hourly_rate)) / 60)::float8 AS cost,
         count(*) FILTER (WHERE COALESCE(ar.hourly_rate, gr.hourly_rate) IS NULL)::int AS unpriced
  FROM time_entries e
  LEFT JOIN cost_rates ar ON ar.scope = 'agent' AND ar.target_id = e.user_id
  LEFT JOIN cost_rates gr ON gr.scope = 'group' AND gr.target_id = s.group_id
  WHERE e.ticket_id = s.id) b ON true
LEFT JOIN groups g ON g.id = s.group_id LEFT JOIN users u ON u.id = s.assignee_id
ORDER BY s.solved_at, s.number`;

// The medians the estimate reads: every ticket solved in the period with booked time (the report's filter aside: a
// group's usual effort does not change with the view), per group and type, and per group.
const MEDIANS_SQL = `
SELECT COALESCE(t.group_id::text, 'none') AS group_key, t.type, GROUPING(t.type)::int AS every_type,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY b.m)::float8 AS median
FROM tickets t JOIN LATERAL (SELECT sum(e.minutes) AS m FROM time_entries e WHERE e.ticket_id = t.id) b ON b.m IS NOT NULL
WHERE t.solved_at >= $1 AND t.solved_at < $2 AND t.merged_into_id IS NULL
GROUP BY GROUPING SETS ((COALESCE(t.group_id::text, 'none'), t.type), (COALESCE(t.group_id::text, 'none')))`;

async function costTicketList(ctx: AppContext, q: KpiFilter): Promise<{ from: Date; to: Date; tickets: CostTicket[] }> {
  const { from, to } = periodOf(q, ctx.now());
  const [rows, medians] = await Promise.all([
    ctx.db.query<TicketRow>(TICKETS_SQL, [from, to, ...filterParams(q)]),
    ctx.db.query<{ group_key: string; type: string | null; every_type: number; median: number }>(MEDIANS_SQL, [from, to]),
  ]);
  const byType = new Map<string, number>();
  const byGroup = new Map<string, number>();
  for (const m of medians) {
    if (m.every_type) byGroup.set(m.group_key, m.median);
    else byType.set(`${m.group_key}\u0000${m.type}`, m.median);
  }
  const tickets = rows.map((r): CostTicket => {
    const base = {
      number: r.number, subject: r.subject, group_id: r.group_id, group_name: r.group_name, assignee_id: r.assignee_id, agent_name: r.agent_name,
      type: r.type, solved_at: r.solved_at.toISOString(),
    };
    if (r.booked_minutes !== null) {
      return { ...base, method: 'booked', minutes: r.booked_minutes, cost: r.booked_unpriced > 0 ? null : r.booked_cost };
    }
    const groupKey = r.group_id ?? 'none';
    const sameType = byType.get(`${groupKey}\u0000${r.type}`);
    const sameGroup = byGroup.get(groupKey);
    const [method, minutes]: [CostMethod, number | null] = sameType !== undefined ? ['estimated_group_type_median', sameType]
      : sameGroup !== undefined ? ['estimated_group_median', sameGroup] : ['unknown', null];
    const rate = r.assignee_rate ?? r.group_rate;
    return { ...base, method, minutes, cost: minutes !== null && rate !== null ? (minutes * rate) / 60 : null };
  });
  return { from, to, tickets };
}
function summarize(tickets: readonly CostTicket[]): Omit<CostRow, 'key' | 'label' | 'drill'> {
  const priced = tickets.filter((t) => t.cost !== null);
  const cost = priced.reduce((s, t) => s + (t.cost ?? 0), 0);
  return {
    resolutions: tickets.length,
    booked: tickets.filter((t) => t.method === 'booked').length,
    estimated: tickets.filter((t) => t.method.startsWith('estimated')).length,
    unknown_time: tickets.filter((t) => t.method === 'unknown').length,
    unpriced: tickets.length - priced.length,
    minutes: tickets.reduce((s, t) => s + (t.minutes ?? 0), 0),
    cost,
    cost_per_resolution: priced.length ? cost / priced.length : null,
  };
}

const DIM = {
  group: { param: 'group_id', key: (t: CostTicket) => t.group_id ?? 'none', label: (t: CostTicket) => t.group_name ?? '' },
  agent: { param: 'assignee_id', key: (t: CostTicket) => t.assignee_id ?? 'none', label: (t: CostTicket) => t.agent_name ?? '' },
  type: { param: 'type', key: (t: CostTicket) => t.type, label: (t: CostTicket) => t.type },
} as const;

/** Cost per resolution of the period, split by group, agent or type (or only the total), as JSON or CSV. */
export async function costPerResolution(ctx: AppContext, actor: Principal, raw: unknown): Promise<CostReport | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const { by, format, ...filter } = parseInput(costQuery, raw);
  const { from, to, tickets } = await costTicketList(ctx, filter);
  const rows: CostRow[] = [];
  if (by !== 'total') {
    const dim = DIM[by];
    const groups = new Map<string, CostTicket[]>();
    for (const t of tickets) groups.set(dim.key(t), [...(groups.get(dim.key(t)) ?? []), t]);
    for (const [key, list] of groups) rows.push({ key, label: list[0] ? dim.label(list[0]) : '', ...summarize(list), drill: { [dim.param]: key } });
    rows.sort((a, b) => b.resolutions - a.resolutions || a.key.localeCompare(b.key));
  }
  const total = summarize(tickets);
  if (format === 'csv') {
    const head = ['key', 'label', 'resolutions', 'booked', 'estimated', 'unknown_time', 'unpriced', 'minutes', 'cost', 'cost_per_resolution'];
    const line = (r: Omit<CostRow, 'drill'>) => [r.key, r.label, r.resolutions, r.booked, r.estimated, r.unknown_time, r.unpriced, r.minutes, r.cost, r.cost_per_resolution];
    return { csv: toCsv(head, [...rows.map(line), line({ key: 'total', label: '', ...total })]) };
  }
  return { from: from.toISOString(), to: to.toISOString(), by, method: COST_METHOD, rows, total };
}

/** The tickets behind a cost: each with its method, minutes and cost, as JSON or CSV. */
export async function costTickets(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ method: string; data: CostTicket[] } | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const { format, limit, ...filter } = parseInput(costTicketsQuery, raw);
  const { tickets } = await costTicketList(ctx, filter);
  const data = tickets.slice(0, limit);
  if (format === 'csv') {
    const prefix = ctx.settings.ticketPrefix;
    return { csv: toCsv(['ticket', 'subject', 'group', 'agent', 'type', 'solved_at', 'method', 'minutes', 'cost'],
      data.map((t) => [`${prefix}${t.number}`, t.subject, t.group_name, t.agent_name, t.type, t.solved_at, t.method, t.minutes, t.cost])) };
  }
  return { method: COST_METHOD, data };
}
