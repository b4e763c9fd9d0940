import type { Principal } from '../../core/auth/principal.ts';
import { conflict, DomainError } from '../../core/errors.ts';
import { lockTicket } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { runTriggers } from '../triage/run-triggers.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';
import { sendWorkStarted } from './progress-notices.ts';
import { applyTicketChanges, type UpdateTicketInput } from './update-ticket.ts';

/**
 * The agent's explicit "Start work": takes the ticket if nobody has it, moves it from New to Open, and tells
 * the customer that work has started (once per ticket, and only before anyone has answered). Someone else's
 * ticket is refused rather than taken over silently.
 */
export async function startWork(ctx: AppContext, actor: Principal, ref: string): Promise<{ ticket_id: string; notice: 'sent_now' | 'sent_before' | 'not_sent' }> {
  const me = requireStaff(actor);
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, me, ref);
    const current = await lockTicket(tx, visible.id);
    if (!current) throw new DomainError('not_found', 'ticket not found');
    if (current.assignee_id && current.assignee_id !== me.id) throw conflict('the ticket is assigned to someone else; assign it to yourself first', 'assignee_id');
    const noticed = async () => (await tx.query("SELECT 1 FROM ticket_notices WHERE ticket_id = $1 AND kind = 'work_started'", [current.id])).length > 0;
    const earlier = await noticed();
    const changes: UpdateTicketInput = {};
    if (!current.assignee_id) changes.assignee_id = me.id;
    if (current.status === 'new') changes.status = 'open';
    if (Object.keys(changes).length) await applyTicketChanges(ctx, tx, me, current.id, changes);
    // applyTicketChanges sent it if the status moved; a ticket already open (a customer's reply reopened it) gets it here.
    const after = await lockTicket(tx, current.id);
    if (after) await sendWorkStarted(tx, after, ctx.now());
    const notice = earlier ? 'sent_before' : (await noticed()) ? 'sent_now' : 'not_sent';
    if (Object.keys(changes).length) await runTriggers(ctx, tx, current.id, 'updated');
    return { ticket_id: current.id, notice };
  });
}
