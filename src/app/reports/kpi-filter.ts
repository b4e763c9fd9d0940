import { z } from 'zod';
import { CHANNELS } from '../../core/tickets/ticket-model.ts';

// The filter every report shares: a period and the tickets' group, assignee, type, priority, channel and tier.

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z' }).transform((s) => new Date(s));

export const kpiFilter = {
  from: instant.optional(),
  to: instant.optional(),
  group_id: z.string().uuid('must be a UUID').optional(),
  assignee_id: z.string().uuid('must be a UUID').optional(),
  type: z.string().min(1).max(64).optional(),
  priority: z.string().min(1).max(64).optional(),
  channel: z.enum(CHANNELS).optional(),
  tier: z.string().min(1).max(64).optional(),
};
export const kpiQuery = z.strictObject(kpiFilter);
export type KpiFilter = z.infer<typeof kpiQuery>;

const DAY_MS = 86_400_000;

/** [from, to): the given bounds, by default the 30 days before now. */
export function periodOf(q: { from?: Date | undefined; to?: Date | undefined }, now: Date): { from: Date; to: Date } {
  const to = q.to ?? now;
  return { from: q.from ?? new Date(to.getTime() - 30 * DAY_MS), to };
}

/** $3… of FILTERED, in its order. */
export function filterParams(q: KpiFilter): (string | null)[] {
  return [q.group_id ?? null, q.assignee_id ?? null, q.type ?? null, q.priority ?? null, q.channel ?? null, q.tier ?? null];
}

/**
 * The filter as a condition on a ticket `alias` ($3… the filter values): for a statement that reaches its tickets
 * through a period index (messages, events, clocks) instead of materializing every filtered ticket first.
 */
export function ticketFilter(alias: string): string {
  return `${alias}.merged_into_id IS NULL
    AND ($3::uuid IS NULL OR ${alias}.group_id = $3) AND ($4::uuid IS NULL OR ${alias}.assignee_id = $4)
    AND ($5::text IS NULL OR ${alias}.type = $5) AND ($6::text IS NULL OR ${alias}.priority = $6)
    AND ($7::text IS NULL OR ${alias}.channel = $7)
    AND ($8::text IS NULL OR COALESCE((SELECT o.tier FROM organizations o WHERE o.id = ${alias}.organization_id), 'standard') = $8)`;
}

// `f`: the filtered tickets; $1 from, $2 to, $3… the filter values.
export const FILTERED = `SELECT t.* FROM tickets t WHERE ${ticketFilter('t')}`;
