import type { Queryable } from '../../store/db.ts';
import { promiseView, type PromiseView } from './promise-view.ts';

export type TicketPromiseData = PromiseView & {
  ticket_id: string;
  /** The requester's zone and language, for rendering ("within 4 business hours", "we are back at …"). */
  time_zone: string;
  language: string;
};

/** The promise a ticket carries, for the acknowledgement mail and other renderers; null when none. */
export async function promiseForTicket(q: Queryable, ticketId: string): Promise<TicketPromiseData | null> {
  const [row] = await q.query<{ promised_reply_at: Date | null; original_promised_reply_at: Date | null; promise: unknown; first_responded_at: Date | null; time_zone: string; language: string }>(
    `SELECT t.promised_reply_at, t.original_promised_reply_at, t.promise, t.first_responded_at, c.time_zone, c.language
     FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [ticketId]);
  if (!row) return null;
  const view = promiseView(row);
  return view && { ...view, ticket_id: ticketId, time_zone: row.time_zone, language: row.language };
}
