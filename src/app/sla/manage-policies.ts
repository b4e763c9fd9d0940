import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, DomainError, invalidInput, notFound } from '../../core/errors.ts';
import { resolveGroupKinds } from '../../core/policies/group-kinds.ts';
import { conditionSchema, escalationsSchema, pendingRemindersSchema, policyMetricSchema } from '../../core/policies/policy-model.ts';
import { pauseStatusesSchema } from '../../core/sla/index.ts';
import type { Queryable } from '../../store/db.ts';
import { listPolicies as listPolicyRows, type PolicyRow } from '../../store/repos/sla-repo.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { recordAudit } from '../shared/audit.ts';

export const policyInput = z.object({
  name: z.string().trim().min(1).max(100),
  active: z.boolean().default(true),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(conditionSchema).max(50).default([]),
  calendar_id: z.string().uuid().nullable().default(null),
  pause_statuses: pauseStatusesSchema.default(['pending']),
  metrics: z.array(policyMetricSchema).min(1, 'needs at least one metric').max(20)
    .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, 'metric names must be unique'),
  escalations: escalationsSchema.default([]),
  pending_reminders: pendingRemindersSchema.nullable().default(null),
});
export const policyPatchInput = patchSchema(policyInput);

async function assertCalendar(q: Queryable, id: string | null | undefined): Promise<void> {
  if (!id) return;
  if (!(await q.query('SELECT 1 FROM calendars WHERE id = $1', [id])).length) throw invalidInput('calendar_id', 'no such calendar');
}

export async function listPolicies(ctx: AppContext, actor: Principal): Promise<PolicyRow[]> {
  requireStaff(actor);
  return listPolicyRows(ctx.db);
}

export async function getPolicy(ctx: AppContext, actor: Principal, id: string): Promise<PolicyRow> {
  requireStaff(actor);
  const [row] = await ctx.db.query<PolicyRow>('SELECT * FROM sla_policies WHERE id = $1', [id]);
  if (!row) throw notFound('SLA policy');
  return row;
}

/** Ownership clocks' `group:<name or id>` as `group:<id>`; a key that names no group is a 400 at its path. */
async function withGroupIds(q: Queryable, raw: unknown): Promise<unknown> {
  const { value, errors } = resolveGroupKinds(raw, await q.query<{ id: string; name: string }>('SELECT id, name FROM groups'));
  const [first] = errors;
  if (first) throw new DomainError('invalid_input', first.message, first.path, errors);
  return value;
}

/** New policies go last; any change re-selects policies of open tickets in the background. */
export async function createPolicy(ctx: AppContext, actor: Principal, raw: unknown): Promise<PolicyRow> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(policyInput, await withGroupIds(ctx.db, raw));
  return ctx.db.transaction(async (tx) => {
    await assertCalendar(tx, input.calendar_id);
    const now = ctx.now();
    const [row] = await tx.query<PolicyRow>(
      `INSERT INTO sla_policies (name, position, active, match, conditions, calendar_id, pause_statuses, metrics, created_at, updated_at, escalations, pending_reminders)
       VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM sla_policies), $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)
       ON CONFLICT (name) DO NOTHING RETURNING *`,
      [input.name, input.active, input.match, JSON.stringify(input.conditions), input.calendar_id, input.pause_statuses, JSON.stringify(input.metrics), now,
        JSON.stringify(input.escalations), input.pending_reminders === null ? null : JSON.stringify(input.pending_reminders)]);
    if (!row) throw conflict('a policy with this name exists', 'name');
    await recordAudit(tx, actor, { action: 'create', target: 'sla_policy', targetId: row.id, after: row }, now);
    await enqueue(tx, 'sla.recompute_open', { reason: `policy ${row.id} created` }, now);
    return row;
  });
}

export async function updatePolicy(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<PolicyRow> {
  requireStaff(actor, MANAGERS);
  const patch = parseInput(policyPatchInput, await withGroupIds(ctx.db, raw));
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.query<PolicyRow>('SELECT * FROM sla_policies WHERE id = $1 FOR UPDATE', [id]);
    if (!existing) throw notFound('SLA policy');
    await assertCalendar(tx, patch.calendar_id);
    if (patch.name && patch.name !== existing.name && (await tx.query('SELECT 1 FROM sla_policies WHERE name = $1', [patch.name])).length) {
      throw conflict('a policy with this name exists', 'name');
    }
    const next = { ...existing, ...patch };
    const now = ctx.now();
    const [row] = await tx.query<PolicyRow>(
      `UPDATE sla_policies SET name = $2, active = $3, match = $4, conditions = $5, calendar_id = $6, pause_statuses = $7, metrics = $8, updated_at = $9,
       escalations = $10, pending_reminders = $11
       WHERE id = $1 RETURNING *`,
      [id, next.name, next.active, next.match, JSON.stringify(next.conditions), next.calendar_id, next.pause_statuses, JSON.stringify(next.metrics), now,
        JSON.stringify(next.escalations ?? []), next.pending_reminders ? JSON.stringify(next.pending_reminders) : null]);
    if (!row) throw notFound('SLA policy');
    await recordAudit(tx, actor, { action: 'update', target: 'sla_policy', targetId: id, before: existing, after: row }, now);
    await enqueue(tx, 'sla.recompute_open', { reason: `policy ${id} changed` }, now);
    return row;
  });
}

export async function deletePolicy(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireStaff(actor, MANAGERS);
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.query('DELETE FROM sla_policies WHERE id = $1 RETURNING *', [id]);
    if (!gone) throw notFound('SLA policy');
    await recordAudit(tx, actor, { action: 'delete', target: 'sla_policy', targetId: id, before: gone }, ctx.now());
    await enqueue(tx, 'sla.recompute_open', { reason: `policy ${id} deleted` }, ctx.now());
  });
}

export const reorderInput = z.object({ ids: z.array(z.string().uuid()).min(1) });

/** The order decides which policy applies; `ids` must list every policy exactly once. */
export async function reorderPolicies(ctx: AppContext, actor: Principal, raw: unknown): Promise<PolicyRow[]> {
  requireStaff(actor, MANAGERS);
  const { ids } = parseInput(reorderInput, raw);
  await ctx.db.transaction(async (tx) => {
    const all = await tx.query<{ id: string }>('SELECT id FROM sla_policies ORDER BY position FOR UPDATE');
    const known = new Set(all.map((r) => r.id));
    if (new Set(ids).size !== ids.length) throw invalidInput('ids', 'lists a policy twice');
    const unknown = ids.findIndex((i) => !known.has(i));
    if (unknown >= 0) throw invalidInput(`ids[${unknown}]`, 'no such policy');
    if (ids.length !== known.size) throw invalidInput('ids', `must list all ${known.size} policies`);
    for (const [i, id] of ids.entries()) await tx.query('UPDATE sla_policies SET position = $2 WHERE id = $1', [id, i + 1]);
    await recordAudit(tx, actor, { action: 'reorder', target: 'sla_policy', targetId: null, before: all.map((r) => r.id), after: ids }, ctx.now());
    await enqueue(tx, 'sla.recompute_open', { reason: 'policies reordered' }, ctx.now());
  });
  return listPolicyRows(ctx.db);
}
