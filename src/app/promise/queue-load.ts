import type { QueueLoad } from '../../core/promise/index.ts';
import type { Queryable } from '../../store/db.ts';

/**
 * What the live prediction needs: unanswered tickets ahead in the same group, the recent median
 * handling time (assignment → first public reply, last 7 days, so queue waiting is not counted
 * twice), and the group's active agents.
 */
export async function loadQueueLoad(q: Queryable, groupId: string | null, ticketId: string, now: Date): Promise<QueueLoad> {
  const [row] = await q.query<{ ahead: number; handle: number | null; agents: number }>(
    `SELECT
       (SELECT count(*)::int FROM tickets t WHERE t.status IN ('new', 'open') AND t.first_responded_at IS NULL
          AND t.id <> $2 AND t.created_at <= $3 AND t.group_id IS NOT DISTINCT FROM $1) AS ahead,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (t.first_responded_at - a.at)) / 60)
          FROM tickets t
          JOIN LATERAL (SELECT max(e.created_at) AS at FROM ticket_events e
                        WHERE e.ticket_id = t.id AND e.kind = 'assignee_changed' AND e.created_at <= t.first_responded_at) a ON a.at IS NOT NULL
          WHERE t.first_responded_at > $3::timestamptz - interval '7 days' AND t.first_responded_at <= $3
            AND t.group_id IS NOT DISTINCT FROM $1)::float8 AS handle,
       (SELECT count(*)::int FROM users u WHERE u.active AND ($1::uuid IS NULL OR u.id IN (SELECT user_id FROM group_members WHERE group_id = $1))) AS agents`,
    [groupId, ticketId, now]);
  return { ahead: row?.ahead ?? 0, recentHandleMinutes: row?.handle ?? null, agentsOnShift: row?.agents ?? 0 };
}
