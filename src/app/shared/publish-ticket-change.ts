import type { Queryable } from '../../store/db.ts';

/** The NOTIFY channel for ticket changes (suffixed with the schema, so test schemas stay apart). */
export const TICKET_CHANNEL = 'rb_ticket_changes';

export type TicketChangeKind = 'created' | 'updated' | 'message';

export type TicketChange = {
  ticket_id: string;
  number: number;
  kind: TicketChangeKind;
  /** The user or contact who made the change (null: the system). */
  actor_id: string | null;
};

/**
 * Tells every live client that a ticket changed. NOTIFY runs inside the caller's transaction, so the event
 * is delivered only if, and once, the change commits — never for a rolled-back change. Call it from every
 * use case that changes a ticket (its fields, messages or clocks).
 */
export async function publishTicketChange(tx: Queryable, change: TicketChange): Promise<void> {
  await tx.query(`SELECT pg_notify($1 || '_' || current_schema(), $2)`, [TICKET_CHANNEL, JSON.stringify(change)]);
}
