import type { Principal } from '../../core/auth/principal.ts';
import { conflict } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { finishSurge, readActiveSurge, surgeChanged, type SurgeRow } from './surge-state.ts';

/** A supervisor ends the active surge, whoever or whatever started it. 409 when none is active. */
export async function endSurge(ctx: AppContext, actor: Principal): Promise<SurgeRow> {
  const who = requireStaff(actor, MANAGERS);
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    const active = await readActiveSurge(tx, true);
    if (!active) throw conflict('no surge is active');
    return finishSurge(tx, active.id, { reason: 'manual', endedBy: who.id }, now);
  });
  surgeChanged(ctx);
  return row;
}
