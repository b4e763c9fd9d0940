import type { Queryable } from '../../store/db.ts';

export type IntakeReads = {
  /** Unanswered tickets of the group that the queue serves before the new one (due no later). */
  ahead: number;
  /** During a surge: every unanswered ticket of the group, whatever its due (0 otherwise: not read). */
  backlog: number;
  /** The requester's (or organization's) tickets solved within the repeat window, newest first: the repeat-contact candidates. */
  candidates: { id: string; number: number; subject: string }[];
};

/**
 * Intake's two reads about other tickets in one round trip: the live prediction's count of work ahead (the
 * partial index `tickets_unanswered_due_idx` holds exactly those rows) and the repeat-contact candidates.
 * Run before the new row exists, so neither can see it.
 */
export async function readForIntake(q: Queryable, p: {
  groupId: string | null; due: Date | null; requesterId: string; organizationId: string | null; repeatSince: Date; withQueue: boolean; withBacklog?: boolean;
}): Promise<IntakeReads> {
  const [row] = await q.query<{ ahead: number | null; backlog: number | null; candidates: IntakeReads['candidates'] }>(
    `SELECT
       CASE WHEN $6 THEN (SELECT count(*)::int FROM tickets t
         WHERE t.status IN ('new', 'open') AND t.first_responded_at IS NULL AND t.merged_into_id IS NULL
           AND t.group_id IS NOT DISTINCT FROM $1 AND ($2::timestamptz IS NULL OR t.sla_next_due_at <= $2)) END AS ahead,
       CASE WHEN $6 AND $7 THEN (SELECT count(*)::int FROM tickets t
         WHERE t.status IN ('new', 'open') AND t.first_responded_at IS NULL AND t.merged_into_id IS NULL
           AND t.group_id IS NOT DISTINCT FROM $1) END AS backlog,
       (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'number', r.number, 'subject', r.subject) ORDER BY r.solved_at DESC), '[]'::json)
          FROM (SELECT id, number, subject, solved_at FROM tickets
                WHERE solved_at IS NOT NULL AND solved_at >= $3 AND (requester_id = $4 OR ($5::uuid IS NOT NULL AND organization_id = $5))
                ORDER BY solved_at DESC LIMIT 50) r) AS candidates`,
    [p.groupId, p.due, p.repeatSince, p.requesterId, p.organizationId, p.withQueue, p.withBacklog ?? false]);
  return { ahead: row?.ahead ?? 0, backlog: row?.backlog ?? 0, candidates: row?.candidates ?? [] };
}
