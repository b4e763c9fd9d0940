import { z } from 'zod';
import { isManager, type Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, invalidInput, notFound } from '../../core/errors.ts';
import { AVAILABILITIES } from '../../core/routing/model.ts';
import { SKILL_PATTERN } from '../../core/routing/skills.ts';
import { CHANNELS } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import type { AgentRoutingRow } from '../../store/repos/routing-repo.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { fillAgentCapacity } from './assign.ts';
import { recordAudit } from '../shared/audit.ts';

const skill = z.string().trim().toLowerCase().regex(SKILL_PATTERN, 'must look like lang:ru, type:complaint or product-x');
export const skillsSchema = z.array(skill).max(100);

export const agentRoutingPatch = z.strictObject({
  skills: skillsSchema.optional(),
  capacity: z.number().int().min(0).max(10_000).optional(),
  channel_capacity: z.partialRecord(z.enum(CHANNELS), z.number().int().min(0).max(10_000)).optional(),
  availability: z.enum(AVAILABILITIES).optional(),
  calendar_id: z.string().uuid().nullable().optional(),
});

export const availabilityInput = z.strictObject({ availability: z.enum(AVAILABILITIES) });

export type AgentRoutingView = AgentRoutingRow & { name: string; email: string; open_tickets: number };

/** Every staff user has routing settings; an agent never configured gets the defaults (offline, capacity 10). */
async function ensureRow(tx: Queryable, userId: string, now: Date): Promise<void> {
  const [user] = await tx.query('SELECT 1 FROM users WHERE id = $1', [userId]);
  if (!user) throw notFound('user');
  await tx.query('INSERT INTO agent_routing (user_id, updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [userId, now]);
}

const VIEW = `SELECT ar.*, u.name, u.email,
  (SELECT count(*)::int FROM tickets t WHERE t.assignee_id = ar.user_id AND t.status IN ('new', 'open', 'pending', 'on_hold')) AS open_tickets
  FROM agent_routing ar JOIN users u ON u.id = ar.user_id`;

async function view(q: Queryable, userId: string): Promise<AgentRoutingView> {
  const [row] = await q.query<AgentRoutingView>(`${VIEW} WHERE ar.user_id = $1`, [userId]);
  if (!row) throw notFound('user');
  return row;
}

export async function listAgentRouting(ctx: AppContext, actor: Principal): Promise<AgentRoutingView[]> {
  requireStaff(actor);
  await ctx.db.query(`INSERT INTO agent_routing (user_id, updated_at) SELECT id, $1 FROM users WHERE active ON CONFLICT (user_id) DO NOTHING`, [ctx.now()]);
  return ctx.db.query<AgentRoutingView>(`${VIEW} WHERE u.active ORDER BY u.name`);
}

export async function getAgentRouting(ctx: AppContext, actor: Principal, userId: string): Promise<AgentRoutingView> {
  requireStaff(actor);
  return ctx.db.transaction(async (tx) => {
    await ensureRow(tx, userId, ctx.now());
    return view(tx, userId);
  });
}

/**
 * Managers set an agent's skills, capacity, calendar and availability; an agent may change only their
 * own availability. More room (online again, higher capacity, inside hours) fills at once from the queue.
 */
export async function updateAgentRouting(ctx: AppContext, actor: Principal, userId: string, raw: unknown): Promise<AgentRoutingView> {
  const staff = requireStaff(actor);
  const input = parseInput(agentRoutingPatch, raw);
  const own = staff.id === userId;
  if (!isManager(staff)) {
    const other = Object.keys(input).find((k) => k !== 'availability');
    if (!own) throw forbidden('agents may change only their own availability');
    if (other) throw new DomainError('forbidden', 'agents may change only their own availability', other);
  }
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await ensureRow(tx, userId, now);
    // The agent's routing lock: no assignment to them runs while their limits change.
    const [before] = await tx.query('SELECT * FROM agent_routing WHERE user_id = $1 FOR UPDATE', [userId]);
    if (input.calendar_id) {
      const [cal] = await tx.query('SELECT 1 FROM calendars WHERE id = $1', [input.calendar_id]);
      if (!cal) throw invalidInput('calendar_id', 'no such calendar');
    }
    const sets: string[] = [];
    const params: unknown[] = [userId, now];
    const set = (col: string, v: unknown) => {
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    };
    if (input.skills) set('skills', [...new Set(input.skills)].sort());
    if (input.capacity !== undefined) set('capacity', input.capacity);
    if (input.channel_capacity) set('channel_capacity', JSON.stringify(input.channel_capacity));
    if (input.availability) set('availability', input.availability);
    if (input.calendar_id !== undefined) set('calendar_id', input.calendar_id);
    const [after] = await tx.query(`UPDATE agent_routing SET updated_at = $2${sets.map((s) => `, ${s}`).join('')} WHERE user_id = $1 RETURNING *`, params);
    // Skills, capacity and calendar are configuration; an agent going online or away is the working day, not logged.
    if (Object.keys(input).some((k) => k !== 'availability')) await recordAudit(tx, actor, { action: 'update', target: 'agent_routing', targetId: userId, before, after }, now);
    await fillAgentCapacity(tx, userId, now, { wait: true });
    return view(tx, userId);
  });
}

export async function setOwnAvailability(ctx: AppContext, actor: Principal, raw: unknown): Promise<AgentRoutingView> {
  const staff = requireStaff(actor);
  return updateAgentRouting(ctx, actor, staff.id, parseInput(availabilityInput, raw));
}
