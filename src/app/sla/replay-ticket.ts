import type { Principal } from '../../core/auth/principal.ts';
import { toSlaEvents } from '../../core/policies/ticket-sla-input.ts';
import { formatInstant } from '../../core/sla/index.ts';
import { listTicketEventsForSla } from '../../store/repos/sla-repo.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';

export type ReplayEvent = { at: string; type: string; status?: string };
export type TicketReplay = {
  ticket: { id: string; number: number; display_number: string; priority: string };
  /** The policy the ticket's live clocks use (null when no policy matches it). */
  policy: { id: string; name: string } | null;
  /** Tickets merged into this one: their messages are part of its clocks (store/repos/sla-repo.ts). */
  merged_ticket_numbers: number[];
  events: ReplayEvent[];
  at: string;
};

/**
 * A ticket's SLA inputs for the simulator, read by the same query the live clocks use: the whole event
 * log, merged tickets' messages included, and the ticket's own policy. The screen used to rebuild this
 * from the first page of the timeline and applied whichever policy was selected, so a replay did not show
 * what the ticket's clocks did.
 */
export async function replayTicket(ctx: AppContext, actor: Principal, ref: string): Promise<TicketReplay> {
  requireStaff(actor);
  return ctx.db.transaction(async (tx) => {
    const ticket = await loadVisibleTicket(tx, actor, ref);
    const [policy] = ticket.sla_policy_id
      ? await tx.query<{ id: string; name: string }>('SELECT id, name FROM sla_policies WHERE id = $1', [ticket.sla_policy_id])
      : [];
    const merged = await tx.query<{ number: number }>('SELECT number FROM tickets WHERE merged_into_id = $1 ORDER BY number', [ticket.id]);
    // Group changes are not in the simulator's vocabulary (ownership clocks are live-only): left out.
    const events = toSlaEvents(await listTicketEventsForSla(tx, ticket.id)).filter((e) => e.type !== 'group').map((e) => ({
      at: formatInstant(e.at), type: e.type, ...('status' in e ? { status: e.status } : {}),
    }));
    return {
      ticket: { id: ticket.id, number: ticket.number, display_number: `${ctx.settings.ticketPrefix}${ticket.number}`, priority: ticket.priority },
      policy: policy ?? null,
      merged_ticket_numbers: merged.map((m) => m.number),
      events,
      at: formatInstant(ctx.now().getTime()),
    };
  });
}
