import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { finishSurge, readActiveSurge, surgeChanged, type SurgeRow } from './surge-state.ts';

export const endSurgeInput = z.strictObject({
  /** The group whose surge ends; absent or null: the team-wide one. */
  group_id: z.string().uuid('must be a UUID').nullable().optional(),
});

/** A supervisor ends the active surge of the team or of one group, whoever or whatever started it. 409 when none is active. */
export async function endSurge(ctx: AppContext, actor: Principal, raw?: unknown): Promise<SurgeRow> {
  const who = requireStaff(actor, MANAGERS);
  const input = parseInput(endSurgeInput, raw ?? {});
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    const active = await readActiveSurge(tx, true, input.group_id ?? null);
    if (!active) throw conflict(input.group_id ? 'no surge is active for this group' : 'no surge is active');
    const ended = await finishSurge(tx, active.id, { reason: 'manual', endedBy: who.id }, now);
    await recordAudit(tx, actor, { action: 'end', target: 'surge', targetId: active.id, before: { group_id: active.group_id, cause: active.cause, started_at: active.started_at }, after: { end_reason: 'manual' } }, now);
    return ended;
  });
  surgeChanged(ctx);
  return row;
}
