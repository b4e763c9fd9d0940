import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { startSurge, surgeChanged, type SurgeRow } from './surge-state.ts';

export const declareSurgeInput = z.strictObject({
  /** Shown to customers on the form and the portal as typed; absent or blank: the default notice in their language. */
  message: z.string().trim().max(1000, 'must be at most 1000 characters').nullable().optional(),
});

/** A supervisor declares a surge by hand (it ends by hand too). 409 when one is already active. */
export async function declareSurge(ctx: AppContext, actor: Principal, raw: unknown): Promise<SurgeRow> {
  const who = requireStaff(actor, MANAGERS);
  const input = parseInput(declareSurgeInput, raw ?? {});
  const now = ctx.now();
  const row = await ctx.db.transaction((tx) => startSurge(tx, { cause: 'manual', message: input.message || null, declaredBy: who.id, signals: {} }, now));
  if (!row) throw conflict('a surge is already active; end it first');
  surgeChanged(ctx);
  return row;
}
