import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from './audit.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { listNameSchema } from './get-lists.ts';
import { parseInput } from './parse-input.ts';
import { patchSchema } from './patch-schema.ts';

const LIST_PARAM = { types: 'ticket_type', priorities: 'priority', tiers: 'tier' } as const;

export const listEntryPatchInput = patchSchema(z.object({
  label: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(10_000),
}));

/**
 * Renames or moves an entry of an editable list. Keys are never changed or removed: tickets, policies
 * and organizations refer to them, and assertListKey caches a key once seen.
 */
export async function updateListEntry(ctx: AppContext, actor: Principal, listParam: string, key: string, raw: unknown): Promise<{ key: string; label: string; position: number }> {
  requireStaff(actor, MANAGERS);
  const list = LIST_PARAM[parseInput(listNameSchema, listParam, 'list')];
  const input = parseInput(listEntryPatchInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<{ key: string; label: string; position: number }>('SELECT key, label, position FROM list_entries WHERE list = $1 AND key = $2 FOR UPDATE', [list, key]);
    if (!before) throw notFound('list entry');
    const [row] = await tx.query<{ key: string; label: string; position: number }>(
      `UPDATE list_entries SET label = COALESCE($3, label), position = COALESCE($4, position)
       WHERE list = $1 AND key = $2 RETURNING key, label, position`, [list, key, input.label ?? null, input.position ?? null]);
    if (!row) throw notFound('list entry');
    await recordAudit(tx, actor, { action: 'update', target: 'list_entry', targetId: `${list}:${key}`, before, after: row }, ctx.now());
    return row;
  });
}
