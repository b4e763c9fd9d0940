import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { requireStaff } from '../people/require-role.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';

export const promiseReportInput = z.object({
  from: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant' }).optional(),
});

export type PromiseReport = {
  from: string; to: string;
  /** Tickets whose ORIGINAL promise fell due in the window (or were answered in it). */
  due: number; kept: number; broken: number; extended: number;
  /** kept ÷ due × 100, one decimal; null when nothing fell due. */
  kept_percent: number | null;
};

/**
 * "Promises kept": of the tickets whose original promise fell due in [from, to) (default: the last
 * 30 days), how many had their first agent reply by it. An extension never turns a broken promise
 * into a kept one; it is counted separately.
 */
export async function reportPromises(ctx: AppContext, actor: Principal, raw: unknown): Promise<PromiseReport> {
  requireStaff(actor);
  const input = parseInput(promiseReportInput, raw);
  const to = input.to ? new Date(input.to) : ctx.now();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 30 * 86_400_000);
  const [row] = await ctx.db.query<{ due: number; kept: number; extended: number }>(
    `SELECT count(*)::int AS due,
            count(*) FILTER (WHERE first_responded_at IS NOT NULL AND first_responded_at <= original_promised_reply_at)::int AS kept,
            count(*) FILTER (WHERE promised_reply_at <> original_promised_reply_at OR promise->>'basis' = 'agent')::int AS extended
     FROM tickets
     WHERE original_promised_reply_at >= $1 AND original_promised_reply_at < $2 AND original_promised_reply_at <= $3`,
    [from, to, ctx.now()]);
  const due = row?.due ?? 0;
  const kept = row?.kept ?? 0;
  return {
    from: from.toISOString(), to: to.toISOString(), due, kept, broken: due - kept, extended: row?.extended ?? 0,
    kept_percent: due === 0 ? null : Math.round((kept / due) * 1000) / 10,
  };
}
