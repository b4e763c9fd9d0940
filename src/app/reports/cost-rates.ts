import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';

// Hourly rates for cost per resolution (docs/kpis.md "Cost per resolution"): per agent or per group; an agent's own
// rate wins over the group's. Admins set them; supervisors read them. Every change writes an audit row.

export type CostRate = { scope: 'agent' | 'group'; target_id: string; name: string; hourly_rate: number; updated_at: string };

export const costRateInput = z.strictObject({
  scope: z.enum(['agent', 'group'], { error: 'must be agent or group' }),
  target_id: z.string().uuid('must be a UUID'),
  /** null removes the rate. */
  hourly_rate: z.number().min(0, 'must be 0 or more').max(1_000_000, 'must be at most 1,000,000').nullable(),
});

export async function listCostRates(ctx: AppContext, actor: Principal): Promise<{ data: CostRate[] }> {
  requireStaff(actor, ['supervisor', 'admin']);
  const rows = await ctx.db.query<Omit<CostRate, 'updated_at'> & { updated_at: Date }>(
    `SELECT r.scope, r.target_id, COALESCE(u.name, g.name, '') AS name, r.hourly_rate::float8 AS hourly_rate, r.updated_at
     FROM cost_rates r LEFT JOIN users u ON r.scope = 'agent' AND u.id = r.target_id LEFT JOIN groups g ON r.scope = 'group' AND g.id = r.target_id
     ORDER BY r.scope, name`);
  return { data: rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() })) };
}

/** Sets (or, with null, removes) one rate. */
export async function setCostRate(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ scope: string; target_id: string; hourly_rate: number | null }> {
  requireStaff(actor, ['admin']);
  const input = parseInput(costRateInput, raw);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const table = input.scope === 'agent' ? "users WHERE id = $1 AND role IN ('agent', 'supervisor', 'admin')" : 'groups WHERE id = $1';
    const [target] = await tx.query(`SELECT 1 FROM ${table}`, [input.target_id]);
    if (!target) throw notFound(input.scope === 'agent' ? 'agent' : 'group');
    const [before] = await tx.query<{ hourly_rate: number }>('SELECT hourly_rate::float8 AS hourly_rate FROM cost_rates WHERE scope = $1 AND target_id = $2 FOR UPDATE', [input.scope, input.target_id]);
    if (input.hourly_rate === null) {
      await tx.query('DELETE FROM cost_rates WHERE scope = $1 AND target_id = $2', [input.scope, input.target_id]);
    } else {
      await tx.query(
        `INSERT INTO cost_rates (scope, target_id, hourly_rate, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope, target_id) DO UPDATE SET hourly_rate = EXCLUDED.hourly_rate, updated_at = EXCLUDED.updated_at`,
        [input.scope, input.target_id, input.hourly_rate, now]);
    }
    await recordAudit(tx, actor, {
      action: input.hourly_rate === null ? 'delete' : before ? 'update' : 'create', target: 'settings', targetId: `cost_rate:${input.scope}:${input.target_id}`,
      before: before ? { scope: input.scope, target_id: input.target_id, hourly_rate: before.hourly_rate } : null,
      after: input.hourly_rate === null ? null : { scope: input.scope, target_id: input.target_id, hourly_rate: input.hourly_rate },
    }, now);
    return { scope: input.scope, target_id: input.target_id, hourly_rate: input.hourly_rate };
  });
}
