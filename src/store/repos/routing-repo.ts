import type { AssignmentMode, Availability } from '../../core/routing/model.ts';
import type { CalendarRow } from './sla-repo.ts';
import type { Queryable } from '../db.ts';

const OPEN = "('new', 'open', 'pending', 'on_hold')";

export type AgentRoutingRow = {
  user_id: string;
  skills: string[];
  capacity: number;
  channel_capacity: Record<string, number>;
  availability: Availability;
  calendar_id: string | null;
  last_assigned_at: Date | null;
  updated_at: Date;
};

/** `roster_spec`: the agent's roster (migration 0075), which replaces the routing calendar when present. */
export type CandidateRow = AgentRoutingRow & { calendar: CalendarRow | null; roster_spec: unknown; roster_updated_at: Date | null };

const CANDIDATE_SELECT = `SELECT ar.*, CASE WHEN cal.id IS NULL THEN NULL ELSE to_jsonb(cal) END AS calendar,
    ros.spec AS roster_spec, ros.updated_at AS roster_updated_at
  FROM agent_routing ar JOIN users u ON u.id = ar.user_id AND u.active
  LEFT JOIN calendars cal ON cal.id = ar.calendar_id
  LEFT JOIN rosters ros ON ros.user_id = ar.user_id`;

/** Online members of a group (working hours are checked by the caller, with the compiled calendar). */
export async function onlineGroupMembers(q: Queryable, groupId: string): Promise<CandidateRow[]> {
  const rows = await q.query<CandidateRow>(
    `${CANDIDATE_SELECT} JOIN group_members gm ON gm.user_id = ar.user_id AND gm.group_id = $1 WHERE ar.availability = 'online'`, [groupId]);
  return rows.map(withCalendarDates);
}

export async function findCandidate(q: Queryable, userId: string): Promise<CandidateRow | null> {
  const [row] = await q.query<CandidateRow>(`${CANDIDATE_SELECT} WHERE ar.user_id = $1`, [userId]);
  return row ? withCalendarDates(row) : null;
}

// to_jsonb turns timestamps into strings; the calendar cache keys on updated_at as a Date.
function withCalendarDates(row: CandidateRow): CandidateRow {
  if (!row.calendar) return row;
  const cal = row.calendar as unknown as Omit<CalendarRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string };
  return { ...row, calendar: { ...cal, created_at: new Date(cal.created_at), updated_at: new Date(cal.updated_at) } };
}

export type Load = { total: number; byChannel: Record<string, number> };

/** Open tickets per agent and channel, counted now (call it after locking the agent to get a stable answer). */
export async function openLoads(q: Queryable, userIds: readonly string[]): Promise<Map<string, Load>> {
  const loads = new Map<string, Load>(userIds.map((id) => [id, { total: 0, byChannel: {} }]));
  if (userIds.length === 0) return loads;
  const rows = await q.query<{ assignee_id: string; channel: string; n: number }>(
    `SELECT assignee_id, channel, count(*)::int AS n FROM tickets WHERE assignee_id = ANY($1::uuid[]) AND status IN ${OPEN} GROUP BY assignee_id, channel`, [userIds]);
  for (const r of rows) {
    const load = loads.get(r.assignee_id);
    if (!load) continue;
    load.total += r.n;
    load.byChannel[r.channel] = r.n;
  }
  return loads;
}

/**
 * Takes the agent's routing lock for the rest of the transaction. `skipLocked`: give up at once
 * (null) when another transaction holds it, instead of waiting. Only agents still online are locked.
 */
export async function lockOnlineAgent(q: Queryable, userId: string, skipLocked: boolean): Promise<AgentRoutingRow | null> {
  const [row] = await q.query<AgentRoutingRow>(
    `SELECT * FROM agent_routing WHERE user_id = $1 AND availability = 'online' FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`, [userId]);
  return row ?? null;
}

export type GroupRouting = { id: string; assignment_mode: AssignmentMode; skills: string[] };

export async function findGroupRouting(q: Queryable, groupId: string): Promise<GroupRouting | null> {
  const [row] = await q.query<GroupRouting>('SELECT id, assignment_mode, skills FROM groups WHERE id = $1', [groupId]);
  return row ?? null;
}

export type QueuedTicket = { id: string; group_id: string; channel: string; type: string; tags: string[]; language: string; mode: AssignmentMode; group_skills: string[] };

/**
 * The most urgent waiting tickets an agent could take: unassigned, unsolved, not snoozed, in one of the
 * agent's automatically routed groups, earliest SLA due first, and (skills groups) only those whose needed
 * skills the agent holds — the same rule as core/routing/skills.ts, in SQL so the index can stop early.
 * Locked with SKIP LOCKED: a ticket another process is assigning right now is simply not offered.
 */
export async function lockQueuedTicketsFor(q: Queryable, userId: string, agentSkills: readonly string[], now: Date, limit: number): Promise<QueuedTicket[]> {
  return q.query<QueuedTicket>(
    `SELECT t.id, t.group_id, t.channel, t.type, t.tags, c.language, g.assignment_mode AS mode, g.skills AS group_skills
     FROM tickets t
     JOIN groups g ON g.id = t.group_id AND g.assignment_mode <> 'manual'
     JOIN group_members gm ON gm.group_id = t.group_id AND gm.user_id = $1
     JOIN contacts c ON c.id = t.requester_id
     WHERE t.assignee_id IS NULL AND t.status IN ${OPEN}
       AND (t.snoozed_until IS NULL OR t.snoozed_until <= $3)
       AND (g.assignment_mode <> 'skills'
            OR ARRAY(SELECT unnest(ARRAY['lang:' || c.language, 'type:' || t.type] || t.tags) INTERSECT SELECT unnest(g.skills)) <@ $2::text[])
     ORDER BY COALESCE(t.sla_next_due_at, 'infinity'::timestamptz), t.created_at, t.id
     LIMIT $4
     FOR UPDATE OF t SKIP LOCKED`, [userId, agentSkills, now, limit]);
}

/** Online agents below their total capacity (of one group, if given): those a queue drain may serve. */
export async function agentsWithRoom(q: Queryable, groupId?: string): Promise<string[]> {
  const rows = await q.query<{ user_id: string }>(
    `SELECT ar.user_id FROM agent_routing ar JOIN users u ON u.id = ar.user_id AND u.active
     WHERE ar.availability = 'online'${groupId ? ' AND ar.user_id IN (SELECT user_id FROM group_members WHERE group_id = $1)' : ''}
       AND ar.capacity > (SELECT count(*) FROM tickets t WHERE t.assignee_id = ar.user_id AND t.status IN ${OPEN})
     ORDER BY ar.last_assigned_at NULLS FIRST, ar.user_id`, groupId ? [groupId] : []);
  return rows.map((r) => r.user_id);
}
