import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { findTicketView, type TicketView } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { computeTicketSla, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';

/** One ticket with its SLA clocks evaluated now (identical to the simulator on its events). */
export async function getTicket(ctx: AppContext, actor: Principal, ref: string): Promise<{ ticket: TicketView; sla: TicketSlaState | null }> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const sla = await computeTicketSla(ctx.db, ticket.id, ctx.now());
  return { ticket, sla };
}

/**
 * The ticket the caller has just created or changed (checked for access when written), shown even when the
 * change took it out of their reach, e.g. an agent transferring it to another group: the write succeeded.
 */
export async function getWrittenTicket(ctx: AppContext, id: string, computed?: TicketSlaState | null): Promise<{ ticket: TicketView; sla: TicketSlaState | null }> {
  const ticket = await findTicketView(ctx.db, { id });
  if (!ticket) throw notFound('ticket');
  // A clock computed by the write itself is current: nothing has happened to the ticket since.
  const sla = computed !== undefined ? computed : await computeTicketSla(ctx.db, ticket.id, ctx.now());
  return { ticket, sla };
}
