import type { Queryable } from '../../store/db.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import type { TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { promiseDescriptionSchema } from '../promise/promise-view.ts';

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
 * THE one place the acknowledgement reads the promise from: the promise stored on the ticket at intake
 * (app/promise: the later of the first-response due and the queue prediction, calendar or business time),
 * else — tickets from before the promise existed — the first-response due of its SLA clocks.
 */
export async function promiseForTicket(q: Queryable, ticketId: string): Promise<TicketPromise> {
  const [t] = await q.query<{ created_at: Date; priority: string; sla_state: TicketSlaState | null; promised_reply_at: Date | null; promise: unknown }>(
    'SELECT created_at, priority, sla_state, promised_reply_at, promise FROM tickets WHERE id = $1', [ticketId]);
  const none: TicketPromise = { dueAt: null, targetMinutes: null, business: false, teamBackAt: null, calendarZone: null };
  if (!t) return none;
  const config = await loadSlaConfig(q);
  const policy = config.policies.find((p) => p.id === t.sla_state?.policy_id);
  const calendar = policy?.calendar_id ? config.calendars.get(policy.calendar_id) : undefined;
  const stored = t.promised_reply_at ? promiseDescriptionSchema.safeParse(t.promise) : null;
  if (t.promised_reply_at && stored?.success) {
    const d = stored.data;
    return {
      dueAt: t.promised_reply_at, targetMinutes: d.target_minutes, business: d.clock === 'business',
      teamBackAt: d.back_at ? new Date(d.back_at) : null, calendarZone: calendar?.row.spec.timezone ?? null,
    };
  }
  if (!t.sla_state) return none;
  const due = t.sla_state.result.metrics.first_response?.due_at ?? null;
  const metric = policy?.metrics.find((m) => m.name === 'first_response');
  const targetMinutes = metric ? (metric.targets_by_priority?.[t.priority] ?? metric.target_minutes ?? null) : null;
  let teamBackAt: Date | null = null;
  if (calendar && !calendar.compiled.isOpen(t.created_at.getTime())) {
    const back = calendar.compiled.nextOpening(t.created_at.getTime());
    teamBackAt = back === null ? null : new Date(back);
  }
  return { dueAt: due ? new Date(due) : null, targetMinutes, business: Boolean(calendar), teamBackAt, calendarZone: calendar?.row.spec.timezone ?? null };
}
