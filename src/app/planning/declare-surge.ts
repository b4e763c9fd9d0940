import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { startSurge, surgeChanged, type SurgeRow } from './surge-state.ts';

export const declareSurgeInput = z.strictObject({
  /** Shown to customers on the form and the portal as typed; absent or blank: the default notice in their language. */
  message: z.string().trim().max(1000, 'must be at most 1000 characters').nullable().optional(),
  /** One group's surge (its new tickets' promises); absent or null: the whole team's. */
  group_id: z.string().uuid('must be a UUID').nullable().optional(),
});

/** A supervisor declares a surge by hand (it ends by hand too), for the team or one group. 409 when that one is already active. */
export async function declareSurge(ctx: AppContext, actor: Principal, raw: unknown): Promise<SurgeRow> {
  const who = requireStaff(actor, MANAGERS);
  const input = parseInput(declareSurgeInput, raw ?? {});
  const groupId = input.group_id ?? null;
  if (groupId !== null && (await ctx.db.query('SELECT 1 FROM groups WHERE id = $1', [groupId])).length === 0) throw notFound('group');
  const now = ctx.now();
  // A declared surge changes the promise every new ticket gets, so who declared it is in the audit log too.
  const row = await ctx.db.transaction(async (tx) => {
    const started = await startSurge(tx, { groupId, cause: 'manual', message: input.message || null, declaredBy: who.id, signals: {} }, now);
    if (started) await recordAudit(tx, actor, { action: 'start', target: 'surge', targetId: started.id, before: null, after: { group_id: groupId, message: started.message } }, now);
    return started;
  });
  if (!row) throw conflict(groupId === null ? 'a surge is already active; end it first' : "a surge is already active for this group; end it first");
  surgeChanged(ctx);
  return row;
}
