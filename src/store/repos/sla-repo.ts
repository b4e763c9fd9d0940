import type { CalendarSpec } from '../../core/calendar/index.ts';
import type { SlaPolicy } from '../../core/policies/policy-model.ts';
import type { Queryable } from '../db.ts';

export type CalendarRow = { id: string; name: string; spec: CalendarSpec; created_at: Date; updated_at: Date };
export type PolicyRow = SlaPolicy & { created_at: Date; updated_at: Date };

export async function listPolicies(q: Queryable): Promise<PolicyRow[]> {
  return q.query<PolicyRow>('SELECT * FROM sla_policies ORDER BY position, created_at');
}

/** `forUpdate` locks the row for the caller's transaction, so read-modify-write edits cannot lose each other. */
export async function findCalendar(q: Queryable, id: string, forUpdate = false): Promise<CalendarRow | null> {
  const [row] = await q.query<CalendarRow>(forUpdate ? 'SELECT * FROM calendars WHERE id = $1 FOR UPDATE' : 'SELECT * FROM calendars WHERE id = $1', [id]);
  return row ?? null;
}

export async function listCalendars(q: Queryable): Promise<CalendarRow[]> {
  return q.query<CalendarRow>('SELECT * FROM calendars ORDER BY name');
}

export async function listTicketEventsForSla(q: Queryable, ticketId: string): Promise<{ kind: string; after: unknown; at: Date }[]> {
  // A survivor of merges (routing/merge-tickets.ts) also counts the merged tickets' messages, and its
  // clocks start at the earliest creation among them; a ticket without merges reads its own log in seq order.
  return q.query<{ kind: string; after: unknown; at: Date }>(
    `WITH merged AS (SELECT id, created_at FROM tickets WHERE merged_into_id = $1)
     SELECT kind, after, at FROM (
       SELECT seq, kind, after, CASE WHEN kind = 'created' THEN LEAST(created_at, (SELECT min(created_at) FROM merged)) ELSE created_at END AS at
       FROM ticket_events WHERE ticket_id = $1 AND kind IN ('created', 'status_changed', 'message_added')
       UNION ALL
       SELECT seq, kind, after, created_at FROM ticket_events WHERE ticket_id IN (SELECT id FROM merged) AND kind = 'message_added'
     ) e
     ORDER BY CASE WHEN EXISTS (SELECT 1 FROM merged) THEN at END, seq`, [ticketId]);
}

/** listTicketEventsForSla for several tickets in one query (the SLA monitor's batches); keep the two in step. */
export async function listTicketEventsForSlaMany(q: Queryable, ticketIds: readonly string[]): Promise<Map<string, { kind: string; after: unknown; at: Date }[]>> {
  const rows = await q.query<{ ticket_id: string; kind: string; after: unknown; at: Date }>(
    `SELECT x.id AS ticket_id, e.kind, e.after, e.at
     FROM unnest($1::uuid[]) AS x(id)
     CROSS JOIN LATERAL (
       SELECT kind, after, at, row_number() OVER (ORDER BY CASE WHEN EXISTS (SELECT 1 FROM tickets WHERE merged_into_id = x.id) THEN at END, seq) AS n FROM (
         SELECT seq, kind, after, CASE WHEN kind = 'created' THEN LEAST(created_at, (SELECT min(created_at) FROM tickets WHERE merged_into_id = x.id)) ELSE created_at END AS at
         FROM ticket_events WHERE ticket_id = x.id AND kind IN ('created', 'status_changed', 'message_added')
         UNION ALL
         SELECT seq, kind, after, created_at FROM ticket_events WHERE ticket_id IN (SELECT id FROM tickets WHERE merged_into_id = x.id) AND kind = 'message_added'
       ) u
     ) e
     ORDER BY x.id, e.n`, [ticketIds]);
  const out = new Map<string, { kind: string; after: unknown; at: Date }[]>(ticketIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.ticket_id)?.push({ kind: r.kind, after: r.after, at: r.at });
  return out;
}
