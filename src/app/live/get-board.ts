import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { AppContext } from '../context.ts';
import type { LiveFeed } from './live-feed.ts';

export type Board = {
  generated_at: string;
  by_group: { group_id: string | null; group_name: string | null; status: string; count: number }[];
  due_next_hour: { id: string; number: number; subject: string; due_at: string; group_name: string | null; assignee_name: string | null }[];
  breached_now: { id: string; number: number; subject: string; due_at: string | null; group_name: string | null; assignee_name: string | null }[];
  agents: {
    id: string; name: string; role: string; online: boolean; open_assigned: number;
    /** Counted as the board's lists count: due within the hour and not breached; breached (or overdue) now. */
    due_next_hour: number; breached_now: number;
    /** Routing's capacity (agent_routing.capacity; null: the agent takes no part in routing) and open_assigned as its %. */
    capacity: number | null; load_percent: number | null;
  }[];
};

const LIST_LIMIT = 50;

/** The supervisor's live board: open work by group and status, what falls due within the hour, what is breached, who is online with what load. */
export async function getBoard(ctx: AppContext, feed: LiveFeed, actor: Principal): Promise<Board> {
  if (actor.kind !== 'user' || (actor.role !== 'supervisor' && actor.role !== 'admin')) throw forbidden('the live board is for supervisors and admins');
  const now = ctx.now();
  const hour = new Date(now.getTime() + 3_600_000);
  const unsolved = [...UNSOLVED_STATUSES];
  const byGroup = await ctx.db.query<{ group_id: string | null; group_name: string | null; status: string; count: string }>(
    `SELECT t.group_id, g.name AS group_name, t.status, count(*)::text AS count
       FROM tickets t LEFT JOIN groups g ON g.id = t.group_id
      WHERE t.status = ANY($1::text[])
      GROUP BY t.group_id, g.name, t.status
      ORDER BY g.name NULLS LAST, t.status`,
    [unsolved],
  );
  const listSql = (cond: string) => `SELECT t.id, t.number, t.subject, t.sla_next_due_at AS due_at, g.name AS group_name, u.name AS assignee_name
       FROM tickets t LEFT JOIN groups g ON g.id = t.group_id LEFT JOIN users u ON u.id = t.assignee_id
      WHERE t.status = ANY($1::text[]) AND ${cond}
      ORDER BY COALESCE(t.sla_next_due_at, 'infinity'::timestamptz), t.created_at, t.id LIMIT ${LIST_LIMIT}`;
  type ListRow = { id: string; number: number; subject: string; due_at: Date | null; group_name: string | null; assignee_name: string | null };
  // Both lists ride the queue index (COALESCE(sla_next_due_at, 'infinity'), created_at, id).
  // One definition of "due within the hour" and "breached" ($2 = now, $3 = in an hour) for the lists and the agents.
  const DUE_SOON = `COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) > $2 AND COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= $3 AND NOT t.sla_breached`;
  const BREACHED = `(t.sla_breached OR COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= $2)`;
  const due = await ctx.db.query<ListRow>(listSql(DUE_SOON), [unsolved, now, hour]);
  const breached = await ctx.db.query<ListRow>(listSql(BREACHED), [unsolved, now]);
  // Review 2026-12-07 item 22: the agents' "due soon" counted breached and overdue tickets too, so agents had 1 due
  // each beside "0 due in the next hour". Each agent's figures now use the lists' own conditions (DUE_SOON, BREACHED).
  const agents = await ctx.db.query<{ id: string; name: string; role: string; open_assigned: string; due_next_hour: string; breached_now: string; capacity: number | null }>(
    `SELECT u.id, u.name, u.role, ar.capacity,
            count(t.id)::text AS open_assigned,
            count(t.id) FILTER (WHERE ${DUE_SOON})::text AS due_next_hour,
            count(t.id) FILTER (WHERE ${BREACHED})::text AS breached_now
       FROM users u LEFT JOIN tickets t ON t.assignee_id = u.id AND t.status = ANY($1::text[])
       LEFT JOIN agent_routing ar ON ar.user_id = u.id
      WHERE u.active
      GROUP BY u.id, u.name, u.role, ar.capacity
      ORDER BY u.name`,
    [unsolved, now, hour],
  );
  const online = feed.online();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    generated_at: now.toISOString(),
    by_group: byGroup.map((r) => ({ ...r, count: Number(r.count) })),
    due_next_hour: due.map((r) => ({ ...r, due_at: iso(r.due_at) ?? '' })),
    breached_now: breached.map((r) => ({ ...r, due_at: iso(r.due_at) })),
    agents: agents
      .map((a) => {
        const open = Number(a.open_assigned);
        const capacity = a.capacity === null ? null : Number(a.capacity);
        return {
          id: a.id, name: a.name, role: a.role, online: online.has(a.id), open_assigned: open, due_next_hour: Number(a.due_next_hour), breached_now: Number(a.breached_now),
          capacity, load_percent: capacity === null ? null : capacity === 0 ? (open > 0 ? 100 : 0) : Math.round((open / capacity) * 100),
        };
      })
      .sort((a, b) => Number(b.online) - Number(a.online) || b.open_assigned - a.open_assigned || a.name.localeCompare(b.name)),
  };
}
