import { DomainError } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvent, type TicketRow } from '../../store/repos/tickets-repo.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';

/** Any write to an archived ticket is refused with a reason the client can show (409). */
export function assertNotArchived(t: Pick<TicketRow, 'number' | 'archived_at'>): void {
  if (t.archived_at) {
    throw new DomainError('conflict', `the ticket was archived on ${t.archived_at.toISOString().slice(0, 10)} and is read-only; open a follow-up request instead`, 'ref');
  }
}

/**
 * Archives closed tickets whose closing is older than the cutoff, a batch at a time. The UPDATE is
 * conditional (`archived_at IS NULL`) over rows claimed with SKIP LOCKED, so two sweepers never
 * archive the same ticket twice or wait on each other.
 */
export async function archiveClosedTickets(tx: Queryable, cutoff: Date, now: Date, limit = 200): Promise<number> {
  const rows = await tx.query<{ id: string; number: number; old_stage: string }>(
    `WITH due AS (
       SELECT id, stage FROM tickets WHERE status = 'closed' AND archived_at IS NULL AND closed_at <= $1
       ORDER BY closed_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE tickets t SET archived_at = $2, stage = 'archived' FROM due
     WHERE t.id = due.id AND t.archived_at IS NULL
     RETURNING t.id, t.number, due.stage AS old_stage`, [cutoff, now, limit]);
  for (const r of rows) {
    if (r.old_stage !== 'archived') {
      await appendEvent(tx, { ticketId: r.id, actor: { kind: 'system', id: null }, kind: 'stage_changed', before: { stage: r.old_stage }, after: { stage: 'archived' }, at: now });
    }
    await appendEvent(tx, { ticketId: r.id, actor: { kind: 'system', id: null }, kind: 'archived', before: null, after: { archived_at: now.toISOString() }, at: now });
    await publishTicketChange(tx, { ticket_id: r.id, number: r.number, kind: 'updated', actor_id: null });
  }
  return rows.length;
}
