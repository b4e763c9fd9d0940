import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import { DUE_SOON_MS } from '../../core/tickets/views.ts';
import type { ViewCounter } from '../tickets/count-views.ts';
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
const UNSOLVED_SET: ReadonlySet<string> = new Set(UNSOLVED_STATUSES);

/**
 * The supervisor's live board: open work by group and status, what falls due within the hour, what is breached,
 * who is online with what load. The counts come from the workspace's shared rollup (tickets/count-views.ts: one
 * pass over the unsolved tickets per change, shared with every agent's view counts) — at 1 M tickets two passes
 * of their own cost 97 and 161 ms per request. The lists are judged at the rollup's instant, so they and the
 * counts agree (review 2026-12-07 item 22).
 */
export async function getBoard(ctx: AppContext, feed: LiveFeed, counter: ViewCounter, actor: Principal): Promise<Board> {
  if (actor.kind !== 'user' || (actor.role !== 'supervisor' && actor.role !== 'admin')) throw forbidden('the live board is for supervisors and admins');
  const rollup = await counter.shared();
  const now = new Date(rollup.at);
  const hour = new Date(rollup.at + DUE_SOON_MS);
  const unsolved = [...UNSOLVED_STATUSES];
  const open = rollup.rows.filter((r) => UNSOLVED_SET.has(r.status));
  const listSql = (cond: string) => `SELECT t.id, t.number, t.subject, t.sla_next_due_at AS due_at, g.name AS group_name, u.name AS assignee_name
       FROM tickets t LEFT JOIN groups g ON g.id = t.group_id LEFT JOIN users u ON u.id = t.assignee_id
      WHERE t.status = ANY($1::text[]) AND ${cond}
      ORDER BY COALESCE(t.sla_next_due_at, 'infinity'::timestamptz), t.created_at, t.id LIMIT ${LIST_LIMIT}`;
  type ListRow = { id: string; number: number; subject: string; due_at: Date | null; group_name: string | null; assignee_name: string | null };
  // Both lists ride the queue index (COALESCE(sla_next_due_at, 'infinity'), created_at, id), with the rollup's
  // definitions ($2 = its instant, $3 = an hour later): due within the hour and not breached; breached or overdue.
  const DUE_SOON = `COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) > $2 AND COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= $3 AND NOT t.sla_breached`;
  const BREACHED = `(t.sla_breached OR COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= $2)`;
  const due = await ctx.db.query<ListRow>(listSql(DUE_SOON), [unsolved, now, hour]);
  const breached = await ctx.db.query<ListRow>(listSql(BREACHED), [unsolved, now]);
  const people = await ctx.db.query<{ id: string; name: string; role: string; capacity: number | null }>(
    `SELECT u.id, u.name, u.role, ar.capacity FROM users u LEFT JOIN agent_routing ar ON ar.user_id = u.id WHERE u.active ORDER BY u.name`);
  const groupNames = new Map((await ctx.db.query<{ id: string; name: string }>('SELECT id, name FROM groups')).map((g) => [g.id, g.name]));

  const byGroup = new Map<string, { group_id: string | null; group_name: string | null; status: string; count: number }>();
  const perAgent = new Map<string, { open: number; soon: number; breached: number }>();
  for (const r of open) {
    const key = `${r.group_id ?? ''}\u0000${r.status}`;
    const g = byGroup.get(key) ?? { group_id: r.group_id, group_name: r.group_id === null ? null : groupNames.get(r.group_id) ?? null, status: r.status, count: 0 };
    g.count += r.n;
    byGroup.set(key, g);
    if (r.assignee_id === null) continue;
    const a = perAgent.get(r.assignee_id) ?? { open: 0, soon: 0, breached: 0 };
    a.open += r.n;
    // `due` is breached or due within the hour; without `breached` it is the list's "due within the hour".
    if (r.breached) a.breached += r.n;
    else if (r.due) a.soon += r.n;
    perAgent.set(r.assignee_id, a);
  }
  // Groups by name, the group-less last, then status (as the board always listed them).
  const byName = (a: string | null, b: string | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a.localeCompare(b));
  const online = feed.online();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    generated_at: now.toISOString(),
    by_group: [...byGroup.values()].sort((a, b) => byName(a.group_name, b.group_name) || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0)),
    due_next_hour: due.map((r) => ({ ...r, due_at: iso(r.due_at) ?? '' })),
    breached_now: breached.map((r) => ({ ...r, due_at: iso(r.due_at) })),
    agents: people
      .map((a) => {
        const load = perAgent.get(a.id) ?? { open: 0, soon: 0, breached: 0 };
        const open = load.open;
        const capacity = a.capacity === null ? null : Number(a.capacity);
        return {
          id: a.id, name: a.name, role: a.role, online: online.has(a.id), open_assigned: open, due_next_hour: load.soon, breached_now: load.breached,
          capacity, load_percent: capacity === null ? null : capacity === 0 ? (open > 0 ? 100 : 0) : Math.round((open / capacity) * 100),
        };
      })
      .sort((a, b) => Number(b.online) - Number(a.online) || b.open_assigned - a.open_assigned || a.name.localeCompare(b.name)),
  };
}
