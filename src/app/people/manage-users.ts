import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../core/errors.ts';
import { ROLES } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import { hashPassword } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { MANAGERS, requireStaff } from './require-role.ts';
import { timeZoneSchema, languageSchema } from './locale-schemas.ts';
import { recordAudit } from '../shared/audit.ts';

// group_ids: the default group first (when a member), then in the order the groups were made — an agent's "own" group.
export type UserView = { id: string; email: string; name: string; role: string; language: string; time_zone: string; active: boolean; group_ids: string[] };

const USER_VIEW = `SELECT u.id, u.email, u.name, u.role, u.language, u.time_zone, u.active,
  COALESCE((SELECT array_agg(gm.group_id ORDER BY g.is_default DESC, g.created_at, g.id) FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id), '{}') AS group_ids FROM users u`;

export const createUserInput = z.object({
  email: z.string().trim().toLowerCase().email('must be an e-mail address').max(254),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES).default('agent'),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  language: languageSchema.default('en'),
  time_zone: timeZoneSchema.default('UTC'),
  group_ids: z.array(z.string().uuid()).max(100).default([]),
});
export const updateUserInput = patchSchema(createUserInput.omit({ email: true }).extend({ active: z.boolean() }));

export async function listUsers(ctx: AppContext, actor: Principal): Promise<UserView[]> {
  requireStaff(actor);
  return ctx.db.query<UserView>(`${USER_VIEW} ORDER BY u.name`);
}

export async function getUser(ctx: AppContext, actor: Principal, id: string): Promise<UserView> {
  requireStaff(actor);
  const [row] = await ctx.db.query<UserView>(`${USER_VIEW} WHERE u.id = $1`, [id]);
  if (!row) throw notFound('user');
  return row;
}

export async function createUser(ctx: AppContext, actor: Principal, raw: unknown): Promise<UserView> {
  const manager = requireStaff(actor, MANAGERS);
  const input = parseInput(createUserInput, raw);
  if (input.role === 'admin' && manager.role !== 'admin') throw forbidden('only an admin can create an admin');
  const passwordHash = await hashPassword(input.password);
  const id = await ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO users (email, name, role, password_hash, language, time_zone, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [input.email, input.name, input.role, passwordHash, input.language, input.time_zone, now]);
    if (!row) throw conflict('a user with this e-mail exists', 'email');
    await setGroups(tx, row.id, input.group_ids);
    await recordAudit(tx, actor, { action: 'create', target: 'user', targetId: row.id, after: await userView(tx, row.id) }, now);
    return row.id;
  });
  return getUser(ctx, actor, id);
}

export async function updateUser(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<UserView> {
  const manager = requireStaff(actor, MANAGERS);
  const input = parseInput(updateUserInput, raw);
  if (input.role === 'admin' && manager.role !== 'admin') throw forbidden('only an admin can grant admin');
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.query<{ role: string }>('SELECT role FROM users WHERE id = $1 FOR UPDATE', [id]);
    if (!existing) throw notFound('user');
    if (existing.role === 'admin' && manager.role !== 'admin') throw forbidden('only an admin can change an admin');
    const before = await userView(tx, id);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (col: string, v: unknown) => {
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    };
    if (input.name !== undefined) set('name', input.name);
    if (input.role !== undefined) set('role', input.role);
    if (input.language !== undefined) set('language', input.language);
    if (input.time_zone !== undefined) set('time_zone', input.time_zone);
    if (input.active !== undefined) set('active', input.active);
    if (passwordHash) set('password_hash', passwordHash);
    set('updated_at', ctx.now());
    await tx.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, params);
    if (input.group_ids) await setGroups(tx, id, input.group_ids);
    // A deactivation or a new password (a suspected leak, most often) signs the user out everywhere.
    if (input.active === false || passwordHash) await tx.query("DELETE FROM sessions WHERE principal_kind = 'user' AND principal_id = $1", [id]);
    // Roles are a user's field: a role change is this row's before and after. A new password is logged as the fact only.
    await recordAudit(tx, actor, { action: 'update', target: 'user', targetId: id, before, after: { ...await userView(tx, id), ...(passwordHash ? { password_changed: true } : {}) } }, ctx.now());
  });
  return getUser(ctx, actor, id);
}

async function userView(q: Queryable, id: string): Promise<UserView | null> {
  const [row] = await q.query<UserView>(`${USER_VIEW} WHERE u.id = $1`, [id]);
  return row ?? null;
}

async function setGroups(tx: Queryable, userId: string, groupIds: readonly string[]): Promise<void> {
  const unique = [...new Set(groupIds)];
  if (unique.length) {
    const found = await tx.query<{ id: string }>('SELECT id FROM groups WHERE id = ANY($1::uuid[])', [unique]);
    // The index in the list as sent, so the path points at the entry the client wrote.
    const missing = groupIds.findIndex((g) => !found.some((f) => f.id === g));
    if (missing >= 0) throw invalidInput(`group_ids[${missing}]`, 'no such group');
  }
  await tx.query('DELETE FROM group_members WHERE user_id = $1', [userId]);
  for (const g of unique) await tx.query('INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)', [g, userId]);
}
