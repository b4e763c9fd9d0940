import { z } from 'zod';
import { splitPeriod } from '../../core/reports/rollup-period.ts';
import { CHANNELS } from '../../core/tickets/ticket-model.ts';

// The filter every report shares: a period and the tickets' group, assignee, type, priority, channel, tier, SLA
// policy and root cause. `none` selects the tickets without one (no group, unassigned, no policy, no root cause),
// so each row of a breakdown — "no group" included — drills down to exactly its tickets.

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z' }).transform((s) => new Date(s));
const idOrNone = z.union([z.literal('none'), z.string().uuid('must be a UUID or none')], { error: 'must be a UUID or none' });

export const kpiFilter = {
  from: instant.optional(),
  to: instant.optional(),
  group_id: idOrNone.optional(),
  assignee_id: idOrNone.optional(),
  type: z.string().min(1).max(64).optional(),
  priority: z.string().min(1).max(64).optional(),
  channel: z.enum(CHANNELS).optional(),
  tier: z.string().min(1).max(64).optional(),
  policy_id: idOrNone.optional(),
  root_cause: z.string().min(1).max(64).optional(),
};
export const kpiQuery = z.strictObject(kpiFilter);
export type KpiFilter = z.infer<typeof kpiQuery>;

const DAY_MS = 86_400_000;

/** [from, to): the given bounds, by default the 30 days before now. */
export function periodOf(q: { from?: Date | undefined; to?: Date | undefined }, now: Date): { from: Date; to: Date } {
  const to = q.to ?? now;
  return { from: q.from ?? new Date(to.getTime() - 30 * DAY_MS), to };
}

/** $3…$10 of FILTERED, in its order; a report's own parameters start at NEXT_PARAM. */
export function filterParams(q: KpiFilter): (string | null)[] {
  return [q.group_id ?? null, q.assignee_id ?? null, q.type ?? null, q.priority ?? null, q.channel ?? null, q.tier ?? null, q.policy_id ?? null, q.root_cause ?? null];
}
export const NEXT_PARAM = 11;

/** `column` matches $n: no filter when null, missing when 'none', else the id ('none' never reaches the uuid cast). */
const idOrNoneSql = (column: string, n: number) =>
  `($${n}::text IS NULL OR ($${n} = 'none' AND ${column} IS NULL) OR ${column} = NULLIF($${n}, 'none')::uuid)`;

/**
 * The filter as a condition on a ticket `alias` ($3…$10 the filter values): for a statement that reaches its tickets
 * through a period index (messages, events, clocks) instead of materializing every filtered ticket first.
 */
export function ticketFilter(alias: string): string {
  return `${alias}.merged_into_id IS NULL
    AND ${idOrNoneSql(`${alias}.group_id`, 3)} AND ${idOrNoneSql(`${alias}.assignee_id`, 4)}
    AND ($5::text IS NULL OR ${alias}.type = $5) AND ($6::text IS NULL OR ${alias}.priority = $6)
    AND ($7::text IS NULL OR ${alias}.channel = $7)
    AND ($8::text IS NULL OR COALESCE((SELECT o.tier FROM organizations o WHERE o.id = ${alias}.organization_id), 'standard') = $8)
    AND ${idOrNoneSql(`${alias}.sla_policy_id`, 9)}
    AND ($10::text IS NULL OR COALESCE(NULLIF(${alias}.diagnosis->>'root_cause_category', ''), 'none') = $10)`;
}

// `f`: the filtered tickets; $1 from, $2 to, $3… the filter values.
export const FILTERED = `SELECT t.* FROM tickets t WHERE ${ticketFilter('t')}`;

/**
 * The same filter on rows of the KPI rollup or its pieces (`app/reports/kpi-rollup.ts`), which carry the ticket's
 * facets: merged tickets are already left out, the tier is read through the organization (so an edit of it counts at
 * once) and the root cause is stored as the filter spells it.
 */
export function rollupFilter(alias: string): string {
  return `${idOrNoneSql(`${alias}.group_id`, 3)} AND ${idOrNoneSql(`${alias}.assignee_id`, 4)}
    AND ($5::text IS NULL OR ${alias}.type = $5) AND ($6::text IS NULL OR ${alias}.priority = $6)
    AND ($7::text IS NULL OR ${alias}.channel = $7)
    AND ($8::text IS NULL OR COALESCE((SELECT o.tier FROM organizations o WHERE o.id = ${alias}.organization_id), 'standard') = $8)
    AND ${idOrNoneSql(`${alias}.sla_policy_id`, 9)}
    AND ($10::text IS NULL OR ${alias}.root_cause = $10)`;
}

/** The parameters of a rollup read: $1 $2 the whole hours, $3…$10 the filter, $11 $12 the edges' starts and ends. */
export function rollupParams(q: KpiFilter, from: Date, to: Date): unknown[] {
  const { hourFrom, hourTo, edges } = splitPeriod(from, to);
  return [hourFrom, hourTo, ...filterParams(q), edges.map(([a]) => a.toISOString()), edges.map(([, b]) => b.toISOString())];
}
