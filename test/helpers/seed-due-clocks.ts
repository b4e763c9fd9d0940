import type { Queryable } from '../../src/store/db.ts';

export type SeedOptions = {
  count: number;
  policyId: string;
  groupId: string | null;
  assigneeId: string | null;
  /** The first ticket's warning is due at `firstDue`; the others follow every `spacingMs`. */
  firstDue: Date;
  spacingMs: number;
  /** Business ms of the target and of the (single) warning threshold; the policy must say the same. */
  targetMs: number;
  warningMs: number;
  subjectPrefix: string;
};

/**
 * Bulk-seeds open tickets (generate_series, no API) whose first-response clocks are running, with
 * their `created` event and the monitor's schedule row, exactly as intake would have written them.
 */
export async function seedDueClocks(q: Queryable, o: SeedOptions): Promise<void> {
  const [contact] = await q.query<{ id: string }>(
    "INSERT INTO contacts (email, name, created_at, updated_at) VALUES ($1, 'Load', now(), now()) ON CONFLICT (email) DO UPDATE SET name = 'Load' RETURNING id",
    [`${o.subjectPrefix.toLowerCase().replace(/[^a-z0-9]/g, '')}@load.example`]);
  const firstCreated = new Date(o.firstDue.getTime() - o.warningMs);
  await q.query(
    `WITH t AS (
       INSERT INTO tickets (subject, type, priority, status, stage, channel, requester_id, group_id, assignee_id, created_at, updated_at, sla_policy_id, sla_next_due_at)
       SELECT $1 || g, 'technical_question', 'normal', 'new', 'received', 'web', $2, $3, $4,
              $5::timestamptz + g * $6::float8 * interval '1 millisecond', $5::timestamptz + g * $6::float8 * interval '1 millisecond', $7,
              $5::timestamptz + (g * $6::float8 + $8::float8) * interval '1 millisecond'
       FROM generate_series(0, $9::int - 1) g
       RETURNING id, created_at),
     e AS (
       INSERT INTO ticket_events (ticket_id, actor_kind, kind, after, created_at)
       SELECT id, 'system', 'created', '{"status":"new"}'::jsonb, created_at FROM t)
     INSERT INTO sla_clocks (ticket_id, metric, policy_id, status, cycle_started_at, due_at, fired, next_action_key, next_action_at, updated_at)
     SELECT id, 'first_response', $7, 'running', created_at, created_at + $8::float8 * interval '1 millisecond', '[]',
            'warning:' || $10::text, created_at + $10::float8 * interval '1 millisecond', now()
     FROM t`,
    [o.subjectPrefix, contact?.id, o.groupId, o.assigneeId, firstCreated, o.spacingMs, o.policyId, o.targetMs, o.count, o.warningMs]);
}
