import type { QueueLoad } from '../../core/promise/index.ts';
import { onDuty } from '../../core/planning/index.ts';
import type { Queryable } from '../../store/db.ts';
import type { RosterRow } from '../../store/repos/roster-repo.ts';
import { rosterOf } from '../planning/on-duty.ts';

export type GroupStats = { handle: number | null; agents: number; at: number };

// The handling-time median reads a week of events; it moves slowly, so each process keeps it per group
// for a minute (time from the caller's `now`, never the wall clock). The count of work ahead is exact:
// it is what makes the promise honest at this moment.
const STATS_TTL_MS = 60_000;
const statsCache = new WeakMap<object, Map<string, GroupStats>>();

/** The group's recent handling time and agents, read at most once a minute per process. */
export function groupStats(q: Queryable, groupId: string | null, now: Date): Promise<GroupStats> {
  return readStats(q, groupId, false, now);
}

/** The whole team's recent handling time and agents (surge detection), read at most once a minute per process. */
export function teamStats(q: Queryable, now: Date): Promise<GroupStats> {
  return readStats(q, null, true, now);
}

async function readStats(q: Queryable, groupId: string | null, everyGroup: boolean, now: Date): Promise<GroupStats> {
  let byGroup = statsCache.get(q.cacheScope);
  if (!byGroup) statsCache.set(q.cacheScope, (byGroup = new Map()));
  const key = everyGroup ? '*' : groupId ?? '';
  const cached = byGroup.get(key);
  if (cached && now.getTime() - cached.at < STATS_TTL_MS && now.getTime() >= cached.at) return cached;
  const [row] = await q.query<{ handle: number | null; agents: number; rostered: RosterRow[] | null }>(
    `SELECT
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (t.first_responded_at - a.at)) / 60)
          FROM tickets t
          JOIN LATERAL (SELECT max(e.created_at) AS at FROM ticket_events e
                        WHERE e.ticket_id = t.id AND e.kind = 'assignee_changed' AND e.created_at <= t.first_responded_at) a ON a.at IS NOT NULL
          WHERE t.first_responded_at > $2::timestamptz - interval '7 days' AND t.first_responded_at <= $2
            AND ($3 OR t.group_id IS NOT DISTINCT FROM $1))::float8 AS handle,
       (SELECT count(*)::int FROM users u WHERE u.active AND u.role <> 'admin' AND NOT EXISTS (SELECT 1 FROM rosters r WHERE r.user_id = u.id)
          AND ($1::uuid IS NULL OR u.id IN (SELECT user_id FROM group_members WHERE group_id = $1))) AS agents,
       (SELECT json_agg(json_build_object('user_id', r.user_id, 'spec', r.spec, 'updated_at', r.updated_at))
          FROM users u JOIN rosters r ON r.user_id = u.id WHERE u.active AND u.role <> 'admin'
          AND ($1::uuid IS NULL OR u.id IN (SELECT user_id FROM group_members WHERE group_id = $1))) AS rostered`,
    [groupId, now, everyGroup]);
  // Agents on shift: a rostered agent counts while on shift (on call is not queue capacity); one without a
  // roster counts always, as before rosters.
  const onShift = (row?.rostered ?? []).filter((r) => onDuty(rosterOf({ ...r, updated_at: new Date(r.updated_at) }), now.getTime()).onShift).length;
  const stats = { handle: row?.handle ?? null, agents: (row?.agents ?? 0) + onShift, at: now.getTime() };
  byGroup.set(key, stats);
  return stats;
}

/**
 * What the live prediction needs: the unanswered tickets the queue serves BEFORE this one — same group,
 * due no later (the queue is ordered by what is due first, so a critical request is not behind a
 * backlog of week-long ones) — the recent median handling time (assignment → first public reply, last
 * 7 days, so queue waiting is not counted twice) and the group's agents.
 */
export async function loadQueueLoad(q: Queryable, ticket: { id: string; group_id: string | null; due: Date | null }, now: Date): Promise<QueueLoad> {
  const stats = await groupStats(q, ticket.group_id, now);
  if (stats.handle === null) return { ahead: 0, recentHandleMinutes: null, agentsOnShift: stats.agents };
  const [row] = await q.query<{ ahead: number }>(
    `SELECT count(*)::int AS ahead FROM tickets t
     WHERE t.status IN ('new', 'open') AND t.first_responded_at IS NULL AND t.merged_into_id IS NULL
       AND t.id <> $2 AND t.group_id IS NOT DISTINCT FROM $1
       AND ($3::timestamptz IS NULL OR t.sla_next_due_at <= $3)`,
    [ticket.group_id, ticket.id, ticket.due]);
  return { ahead: row?.ahead ?? 0, recentHandleMinutes: stats.handle, agentsOnShift: stats.agents };
}
