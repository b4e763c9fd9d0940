import type { Queryable } from '../../store/db.ts';

/**
 * Notes when an agent first opens a ticket that still awaits its first reply (migration 0180): the start of the
 * "opened → replied" handling time the plan uses where no time is booked (docs/planning.md, "The plan"). The first
 * open counts — the presence ping repeats every few seconds, and an open after the first reply measures nothing.
 */
export async function recordTicketOpen(q: Queryable, ticketId: string, userId: string, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO ticket_opens (ticket_id, user_id, opened_at)
     SELECT id, $2, $3 FROM tickets WHERE id = $1 AND first_responded_at IS NULL
     ON CONFLICT (ticket_id, user_id) DO NOTHING`, [ticketId, userId, at]);
}
