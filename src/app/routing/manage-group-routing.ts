import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { ASSIGNMENT_MODES } from '../../core/routing/model.ts';
import { agentsWithRoom, type GroupRouting } from '../../store/repos/routing-repo.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { fillAgentCapacity } from './assign.ts';
import { skillsSchema } from './manage-agent-routing.ts';
import { recordAudit } from '../shared/audit.ts';

export const groupRoutingPatch = z.strictObject({
  assignment_mode: z.enum(ASSIGNMENT_MODES).optional(),
  skills: skillsSchema.optional(),
});

export type GroupRoutingView = GroupRouting & { name: string; queued: number };

const VIEW = `SELECT g.id, g.name, g.assignment_mode, g.skills,
  (SELECT count(*)::int FROM tickets t WHERE t.group_id = g.id AND t.assignee_id IS NULL AND t.status IN ('new', 'open', 'pending', 'on_hold')) AS queued
  FROM groups g`;

export async function getGroupRouting(ctx: AppContext, actor: Principal, groupId: string): Promise<GroupRoutingView> {
  requireStaff(actor);
  const [row] = await ctx.db.query<GroupRoutingView>(`${VIEW} WHERE g.id = $1`, [groupId]);
  if (!row) throw notFound('group');
  return row;
}

/** Managers choose how a group assigns and which skills it routes on; switching to an automatic mode drains its queue. */
export async function updateGroupRouting(ctx: AppContext, actor: Principal, groupId: string, raw: unknown): Promise<GroupRoutingView> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(groupRoutingPatch, raw);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ assignment_mode: string; skills: string[] }>('SELECT assignment_mode, skills FROM groups WHERE id = $1 FOR UPDATE', [groupId]);
    if (!row) throw notFound('group');
    if (input.assignment_mode) await tx.query('UPDATE groups SET assignment_mode = $2 WHERE id = $1', [groupId, input.assignment_mode]);
    if (input.skills) await tx.query('UPDATE groups SET skills = $2 WHERE id = $1', [groupId, [...new Set(input.skills)].sort()]);
    const after = { assignment_mode: input.assignment_mode ?? row.assignment_mode, skills: input.skills ? [...new Set(input.skills)].sort() : row.skills };
    await recordAudit(tx, actor, { action: 'update', target: 'group_routing', targetId: groupId, before: row, after }, now);
  });
  // Each agent in its own transaction, so one agent's lock is all any of them waits for.
  for (const agentId of await agentsWithRoom(ctx.db, groupId)) {
    await ctx.db.transaction((tx) => fillAgentCapacity(tx, agentId, now, { wait: true }));
  }
  return getGroupRouting(ctx, actor, groupId);
}
