import type { Principal } from '../../core/auth/principal.ts';
import type { TicketView } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { computeTicketSla, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';

/** One ticket with its SLA clocks evaluated now (identical to the simulator on its events). */
export async function getTicket(ctx: AppContext, actor: Principal, ref: string): Promise<{ ticket: TicketView; sla: TicketSlaState | null }> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const sla = await computeTicketSla(ctx.db, ticket.id, ctx.now());
  return { ticket, sla };
}
