import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { MANAGERS, requireStaff } from './require-role.ts';

export type GroupView = { id: string; name: string; description: string; is_default: boolean; member_ids: string[] };
const GROUP_VIEW = `SELECT g.id, g.name, g.description, g.is_default,
  COALESCE((SELECT array_agg(gm.user_id) FROM group_members gm WHERE gm.group_id = g.id), '{}') AS member_ids FROM groups g`;

export const groupInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).default(''),
  is_default: z.boolean().default(false),
});

export const groupPatchInput = patchSchema(groupInput);

export async function listGroups(ctx: AppContext, actor: Principal): Promise<GroupView[]> {
  requireStaff(actor);
  return ctx.db.query<GroupView>(`${GROUP_VIEW} ORDER BY g.name`);
}

export async function createGroup(ctx: AppContext, actor: Principal, raw: unknown): Promise<GroupView> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(groupInput, raw);
  const id = await ctx.db.transaction(async (tx) => {
    if (input.is_default) await tx.query('UPDATE groups SET is_default = false WHERE is_default');
    const [row] = await tx.query<{ id: string }>(
      'INSERT INTO groups (name, description, is_default, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id',
      [input.name, input.description, input.is_default, ctx.now()]);
    if (!row) throw conflict('a group with this name exists', 'name');
    await recordAudit(tx, actor, { action: 'create', target: 'group', targetId: row.id, after: input }, ctx.now());
    return row.id;
  });
  const [group] = await ctx.db.query<GroupView>(`${GROUP_VIEW} WHERE g.id = $1`, [id]);
  if (!group) throw notFound('group');
  return group;
}

export async function updateGroup(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<GroupView> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(groupPatchInput, raw);
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.query<{ name: string; description: string; is_default: boolean }>('SELECT name, description, is_default FROM groups WHERE id = $1 FOR UPDATE', [id]);
    if (!existing) throw notFound('group');
    await recordAudit(tx, actor, { action: 'update', target: 'group', targetId: id, before: existing, after: { ...existing, ...input } }, ctx.now());
    if (input.name !== undefined) {
      const clash = await tx.query('SELECT 1 FROM groups WHERE name = $1 AND id <> $2', [input.name, id]);
      if (clash.length) throw conflict('a group with this name exists', 'name');
      await tx.query('UPDATE groups SET name = $2 WHERE id = $1', [id, input.name]);
    }
    if (input.description !== undefined) await tx.query('UPDATE groups SET description = $2 WHERE id = $1', [id, input.description]);
    if (input.is_default === true) {
      await tx.query('UPDATE groups SET is_default = false WHERE is_default AND id <> $1', [id]);
      await tx.query('UPDATE groups SET is_default = true WHERE id = $1', [id]);
    } else if (input.is_default === false) await tx.query('UPDATE groups SET is_default = false WHERE id = $1', [id]);
  });
  const [group] = await ctx.db.query<GroupView>(`${GROUP_VIEW} WHERE g.id = $1`, [id]);
  if (!group) throw notFound('group');
  return group;
}

export const groupMembersInput = z.object({ user_ids: z.array(z.string().uuid('must be a UUID')).max(1000) }).strict();

/** Replaces a group's members (the admin screen's member picker); every id must be a user. */
export async function setGroupMembers(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<GroupView> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(groupMembersInput, raw);
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.query('SELECT 1 FROM groups WHERE id = $1 FOR UPDATE', [id]);
    if (!existing) throw notFound('group');
    const unique = [...new Set(input.user_ids)];
    const found = unique.length ? await tx.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[])', [unique]) : [];
    const missing = input.user_ids.findIndex((u) => !found.some((f) => f.id === u));
    if (missing >= 0) throw invalidInput(`user_ids[${missing}]`, 'no such user');
    const before = await tx.query<{ user_id: string }>('SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id', [id]);
    await recordAudit(tx, actor, { action: 'update', target: 'group', targetId: id, before: { member_ids: before.map((m) => m.user_id) }, after: { member_ids: [...unique].sort() } }, ctx.now());
    await tx.query('DELETE FROM group_members WHERE group_id = $1 AND NOT (user_id = ANY($2::uuid[]))', [id, unique]);
    for (const u of unique) await tx.query('INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, u]);
  });
  const [group] = await ctx.db.query<GroupView>(`${GROUP_VIEW} WHERE g.id = $1`, [id]);
  if (!group) throw notFound('group');
  return group;
}
