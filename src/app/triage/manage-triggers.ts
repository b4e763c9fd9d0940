import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import { triggerInput } from '../../core/triage/trigger-schema.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { loadTriggers, type TriggerRow } from './load-triggers.ts';
import { recordAudit } from '../shared/audit.ts';

export { triggerInput };
export const triggerPatchInput = patchSchema(triggerInput);
export const reorderTriggersInput = z.object({ ids: z.array(z.string().uuid()).min(1).max(1000) }).strict();

export async function listTriggers(ctx: AppContext, actor: Principal): Promise<TriggerRow[]> {
  requireStaff(actor);
  return loadTriggers(ctx.db, false);
}

export async function getTrigger(ctx: AppContext, actor: Principal, id: string): Promise<TriggerRow> {
  requireStaff(actor);
  return findTrigger(ctx.db, id);
}

export async function createTrigger(ctx: AppContext, actor: Principal, raw: unknown): Promise<TriggerRow> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(triggerInput, raw);
  return ctx.db.transaction(async (tx) => {
    await assertActionTargets(tx, input.actions);
    const [last] = await tx.query<{ p: number | null }>('SELECT max(position) AS p FROM triggers');
    const position = input.position ?? (last?.p ?? 0) + 1;
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO triggers (name, position, active, events, match, conditions, actions, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [input.name, position, input.active, input.events, input.match, JSON.stringify(input.conditions), JSON.stringify(input.actions), ctx.now()]);
    if (!row) throw conflict('a trigger with this name exists', 'name');
    const created = await findTrigger(tx, row.id);
    await recordAudit(tx, actor, { action: 'create', target: 'trigger', targetId: row.id, after: created }, ctx.now());
    return created;
  });
}

export async function updateTrigger(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<TriggerRow> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(triggerPatchInput, raw);
  return ctx.db.transaction(async (tx) => {
    const current = await findTrigger(tx, id);
    if (input.actions) await assertActionTargets(tx, input.actions);
    const next = { ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const clash = await tx.query('SELECT 1 FROM triggers WHERE name = $1 AND id <> $2', [next.name, id]);
    if (clash.length) throw conflict('a trigger with this name exists', 'name');
    await tx.query(
      'UPDATE triggers SET name = $2, position = $3, active = $4, events = $5, match = $6, conditions = $7, actions = $8, updated_at = $9 WHERE id = $1',
      [id, next.name, next.position, next.active, next.events, next.match, JSON.stringify(next.conditions), JSON.stringify(next.actions), ctx.now()]);
    const updated = await findTrigger(tx, id);
    await recordAudit(tx, actor, { action: 'update', target: 'trigger', targetId: id, before: current, after: updated }, ctx.now());
    return updated;
  });
}

export async function deleteTrigger(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireStaff(actor, MANAGERS);
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.query('DELETE FROM triggers WHERE id = $1 RETURNING *', [id]);
    if (!gone) throw notFound('trigger');
    await recordAudit(tx, actor, { action: 'delete', target: 'trigger', targetId: id, before: gone }, ctx.now());
  });
}

/** Sets the evaluation order: `ids` must name every trigger exactly once. */
export async function reorderTriggers(ctx: AppContext, actor: Principal, raw: unknown): Promise<TriggerRow[]> {
  requireStaff(actor, MANAGERS);
  const { ids } = parseInput(reorderTriggersInput, raw);
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.query<{ id: string }>('SELECT id FROM triggers ORDER BY position FOR UPDATE');
    const known = new Set(existing.map((r) => r.id));
    if (new Set(ids).size !== ids.length) throw invalidInput('ids', 'names a trigger twice');
    const unknown = ids.findIndex((id) => !known.has(id));
    if (unknown >= 0) throw invalidInput(`ids[${unknown}]`, 'no such trigger');
    if (ids.length !== known.size) throw invalidInput('ids', `must list all ${known.size} triggers`);
    for (const [i, id] of ids.entries()) await tx.query('UPDATE triggers SET position = $2, updated_at = $3 WHERE id = $1', [id, i + 1, ctx.now()]);
    await recordAudit(tx, actor, { action: 'reorder', target: 'trigger', targetId: null, before: existing.map((r) => r.id), after: ids }, ctx.now());
    return loadTriggers(tx, false);
  });
}

async function findTrigger(q: Queryable, id: string): Promise<TriggerRow> {
  const [row] = await q.query<TriggerRow>('SELECT * FROM triggers WHERE id = $1', [id]);
  if (!row) throw notFound('trigger');
  return row;
}

async function assertActionTargets(q: Queryable, a: { type?: string | undefined; priority?: string | undefined; group_id?: string | undefined; assignee_id?: string | undefined }): Promise<void> {
  if (a.type && (await q.query("SELECT 1 FROM list_entries WHERE list = 'ticket_type' AND key = $1", [a.type])).length === 0) throw invalidInput('actions.type', 'no such ticket type');
  if (a.priority && (await q.query("SELECT 1 FROM list_entries WHERE list = 'priority' AND key = $1", [a.priority])).length === 0) throw invalidInput('actions.priority', 'no such priority');
  if (a.group_id && (await q.query('SELECT 1 FROM groups WHERE id = $1', [a.group_id])).length === 0) throw invalidInput('actions.group_id', 'no such group');
  if (a.assignee_id && (await q.query('SELECT 1 FROM users WHERE id = $1 AND active', [a.assignee_id])).length === 0) throw invalidInput('actions.assignee_id', 'no such active user');
}
