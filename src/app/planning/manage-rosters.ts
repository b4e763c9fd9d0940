import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { rosterSchema, type Roster } from '../../core/planning/index.ts';
import type { Queryable } from '../../store/db.ts';
import { deleteRoster, findRosters, upsertRosters } from '../../store/repos/roster-repo.ts';
import { recordAudit } from '../shared/audit.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { fillAgentCapacity } from '../routing/assign.ts';
import { rosterOf } from './on-duty.ts';

export type RosterView = { user_id: string; name: string; email: string; roster: Roster | null; updated_at: string | null };

export const rosterUserParams = z.strictObject({ user_id: z.string().uuid('must be a UUID') });

async function staffUser(q: Queryable, userId: string): Promise<{ id: string; name: string; email: string }> {
  const [u] = await q.query<{ id: string; name: string; email: string }>("SELECT id, name, email FROM users WHERE id = $1 AND role <> 'customer'", [userId]);
  if (!u) throw notFound('user');
  return u;
}

async function viewOf(q: Queryable, user: { id: string; name: string; email: string }): Promise<RosterView> {
  const [row] = await findRosters(q, [user.id]);
  return { user_id: user.id, name: user.name, email: user.email, roster: row ? rosterOf(row) : null, updated_at: row ? row.updated_at.toISOString() : null };
}

/** Every active staff member with their roster (null: none; they keep the behaviour from before rosters). */
export async function listRosters(ctx: AppContext, actor: Principal): Promise<RosterView[]> {
  requireStaff(actor);
  const users = await ctx.db.query<{ id: string; name: string; email: string }>("SELECT id, name, email FROM users WHERE active AND role <> 'customer' ORDER BY name, id");
  const rows = new Map((await findRosters(ctx.db, users.map((u) => u.id))).map((r) => [r.user_id, r]));
  return users.map((u) => {
    const row = rows.get(u.id);
    return { user_id: u.id, name: u.name, email: u.email, roster: row ? rosterOf(row) : null, updated_at: row ? row.updated_at.toISOString() : null };
  });
}

export async function getRoster(ctx: AppContext, actor: Principal, rawParams: unknown): Promise<RosterView> {
  requireStaff(actor);
  const { user_id } = parseInput(rosterUserParams, rawParams);
  return viewOf(ctx.db, await staffUser(ctx.db, user_id));
}

/**
 * Supervisors and admins set an agent's whole roster. A roster that puts the agent on duty now hands them
 * waiting tickets at once (as coming online does); one that takes them off leaves their tickets with them.
 */
export async function putRoster(ctx: AppContext, actor: Principal, rawParams: unknown, raw: unknown): Promise<RosterView> {
  const staff = requireStaff(actor, MANAGERS);
  const { user_id } = parseInput(rosterUserParams, rawParams);
  const roster = parseInput(rosterSchema, raw);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const user = await staffUser(tx, user_id);
    const [before] = await findRosters(tx, [user.id]);
    await recordAudit(tx, actor, { action: before ? 'update' : 'create', target: 'roster', targetId: user.id, before: before?.spec ?? null, after: roster }, now);
    await upsertRosters(tx, [{ userId: user.id, spec: roster }], staff.id, now);
    await fillAgentCapacity(tx, user.id, now, { wait: true });
    return viewOf(tx, user);
  });
}

export async function removeRoster(ctx: AppContext, actor: Principal, rawParams: unknown): Promise<void> {
  requireStaff(actor, MANAGERS);
  const { user_id } = parseInput(rosterUserParams, rawParams);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await findRosters(tx, [user_id]);
    if (!(await deleteRoster(tx, user_id))) throw notFound('roster');
    await recordAudit(tx, actor, { action: 'delete', target: 'roster', targetId: user_id, before: before?.spec ?? null }, now);
    await fillAgentCapacity(tx, user_id, now, { wait: true });
  });
}
