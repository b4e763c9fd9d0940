import type { Queryable } from '../../store/db.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import type { TicketSlaState } from '../sla/refresh-ticket-sla.ts';

export type TicketPromise = {
  /** When we promise the first reply; null when no policy applies. */
  dueAt: Date | null;
  /** The commitment as a target ("within 4 business hours"); null without a policy. */
  targetMinutes: number | null;
  business: boolean;
  /** Set when the ticket arrived outside business hours: when the team is back. */
  teamBackAt: Date | null;
  /** The zone of the policy's calendar: the customer's zone when we know no better. */
  calendarZone: string | null;
};

/**
 * THE one place the acknowledgement reads the promise from. Today: the ticket's first-response due
 * from its SLA clocks. (When tickets.promised_reply_at lands, switch this function to it.)
 */
export async function promiseForTicket(q: Queryable, ticketId: string): Promise<TicketPromise> {
  const [t] = await q.query<{ created_at: Date; priority: string; sla_state: TicketSlaState | null }>(
    'SELECT created_at, priority, sla_state FROM tickets WHERE id = $1', [ticketId]);
  const none: TicketPromise = { dueAt: null, targetMinutes: null, business: false, teamBackAt: null, calendarZone: null };
  if (!t?.sla_state) return none;
  const due = t.sla_state.result.metrics.first_response?.due_at ?? null;
  const config = await loadSlaConfig(q);
  const policy = config.policies.find((p) => p.id === t.sla_state?.policy_id);
  const metric = policy?.metrics.find((m) => m.name === 'first_response');
  const targetMinutes = metric ? (metric.targets_by_priority?.[t.priority] ?? metric.target_minutes ?? null) : null;
  const calendar = policy?.calendar_id ? config.calendars.get(policy.calendar_id) : undefined;
  let teamBackAt: Date | null = null;
  if (calendar && !calendar.compiled.isOpen(t.created_at.getTime())) {
    const back = calendar.compiled.nextOpening(t.created_at.getTime());
    teamBackAt = back === null ? null : new Date(back);
  }
  return { dueAt: due ? new Date(due) : null, targetMinutes, business: Boolean(calendar), teamBackAt, calendarZone: calendar?.row.spec.timezone ?? null };
}
