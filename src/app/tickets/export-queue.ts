import type { Principal } from '../../core/auth/principal.ts';
import { invalidInput } from '../../core/errors.ts';
import { toCsv } from '../../core/reports/csv.ts';
import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { TicketView } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { queryTickets } from './list-tickets.ts';

/** More than a team prints; a queue longer than this is cut (the answer says so in a header). */
export const QUEUE_EXPORT_MAX = 10_000;
const PAGE = 200;

export const QUEUE_CSV_HEADER = ['ticket', 'subject', 'status', 'priority', 'type', 'group', 'assignee', 'requester', 'requester_email', 'created_at', 'due_at', 'promised_reply_at'] as const;

/**
 * The manual fallback (issue 18 item 4, docs/surge.md): the caller's whole queue — what the queue screen shows,
 * in its order (next due first, then oldest) — as CSV, for the day the system is half down. Read page by page
 * with the queue's own keyset, so it is the same list, not a second definition of it.
 */
export async function exportQueueCsv(ctx: AppContext, actor: Principal): Promise<{ csv: string; truncated: boolean }> {
  if (actor.kind !== 'user') throw invalidInput('queue', 'is for staff');
  const rows: TicketView[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await queryTickets(ctx, actor, { sort: 'due', status: [...UNSOLVED_STATUSES], snoozed: false, limit: PAGE, ...(cursor ? { cursor } : {}) });
    rows.push(...page.data);
    if (!page.next_cursor || rows.length >= QUEUE_EXPORT_MAX) {
      const truncated = rows.length > QUEUE_EXPORT_MAX || (page.next_cursor !== null && rows.length >= QUEUE_EXPORT_MAX);
      const prefix = ctx.settings.ticketPrefix;
      return {
        truncated,
        csv: toCsv(QUEUE_CSV_HEADER, rows.slice(0, QUEUE_EXPORT_MAX).map((t) => [
          `${prefix}${t.number}`, t.subject, t.status, t.priority, t.type, t.group_name, t.assignee_name, t.requester_name, t.requester_email,
          t.created_at, t.sla_next_due_at, t.promised_reply_at,
        ])),
      };
    }
    cursor = page.next_cursor;
  }
}
