import { evaluateTriggers, type TicketFacts } from '../../core/triage/evaluate-triggers.ts';
import type { TriggerEvent } from '../../core/triage/trigger-schema.ts';
import type { Queryable } from '../../store/db.ts';
import { lockTicket } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { applyAutomaticChanges, firingItems } from './apply-firings.ts';
import { loadTriggers } from './load-triggers.ts';

/**
 * Runs the triggers that listen to an update event. Their own changes do not re-run triggers (one pass),
 * so rules cannot ping-pong. `body` is the new message for `customer_replied`, else the first message.
 */
export async function runTriggers(ctx: AppContext, tx: Queryable, ticketId: string, event: Exclude<TriggerEvent, 'created'>, body?: string): Promise<void> {
  const rules = (await loadTriggers(tx, true)).filter((r) => r.events.includes(event));
  if (rules.length === 0) return;
  const ticket = await lockTicket(tx, ticketId);
  if (!ticket || ticket.status === 'closed') return;
  const [extra] = await tx.query<{ email: string; tier: string | null; language: string | null; support_address: string | null; first_body: string | null }>(
    `SELECT c.email, o.tier, t.language, t.support_address,
       (SELECT body_text FROM messages m WHERE m.ticket_id = t.id ORDER BY created_at LIMIT 1) AS first_body
     FROM tickets t JOIN contacts c ON c.id = t.requester_id LEFT JOIN organizations o ON o.id = t.organization_id WHERE t.id = $1`, [ticketId]);
  const facts: TicketFacts = {
    channel: ticket.channel, support_address: extra?.support_address ?? null, requester_email: extra?.email ?? '', organization_id: ticket.organization_id, tier: extra?.tier ?? null,
    type: ticket.type, priority: ticket.priority, language: extra?.language ?? null, tags: ticket.tags, subject: ticket.subject,
    body: body ?? extra?.first_body ?? '', group_id: ticket.group_id, assignee_id: ticket.assignee_id,
  };
  const now = ctx.now();
  const { firings } = evaluateTriggers(rules, facts, event, now);
  if (firings.length === 0) return;
  await applyAutomaticChanges(tx, ticket, firingItems(firings), now);
  await refreshTicketSla(tx, ticketId, now);
}
