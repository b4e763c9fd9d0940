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
  return q.query<{ kind: string; after: unknown; at: Date }>(
    `SELECT kind, after, created_at AS at FROM ticket_events
     WHERE ticket_id = $1 AND kind IN ('created', 'status_changed', 'message_added') ORDER BY seq`, [ticketId]);
}
