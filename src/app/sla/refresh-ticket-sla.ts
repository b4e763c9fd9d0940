import { compileCalendar } from '../../core/calendar/index.ts';
import { selectPolicy } from '../../core/policies/select-policy.ts';
import { ticketSlaInput } from '../../core/policies/ticket-sla-input.ts';
import { simulateSla, type SimulationResult } from '../../core/sla/index.ts';
import type { Queryable } from '../../store/db.ts';
import { listTicketEventsForSla } from '../../store/repos/sla-repo.ts';
import { loadSlaConfig } from './sla-config.ts';

export type TicketSlaState = { policy_id: string; policy_name: string; result: SimulationResult };

const ALWAYS_OPEN = compileCalendar(null);

/**
 * Re-selects the ticket's policy and recomputes its clocks from its event log, inside the caller's
 * transaction. Elapsed business time is kept because it is always derived from the whole log.
 */
export async function refreshTicketSla(q: Queryable, ticketId: string, now: Date): Promise<TicketSlaState | null> {
  const state = await computeTicketSla(q, ticketId, now);
  if (!state) {
    await q.query('UPDATE tickets SET sla_policy_id = NULL, sla_next_due_at = NULL, sla_breached = false, sla_state = NULL WHERE id = $1', [ticketId]);
    return null;
  }
  const breached = Object.values(state.result.metrics).some((m) => m.breached);
  await q.query('UPDATE tickets SET sla_policy_id = $2, sla_next_due_at = $3, sla_breached = $4, sla_state = $5 WHERE id = $1', [
    ticketId, state.policy_id, state.result.next_due_at, breached, JSON.stringify(state),
  ]);
  return state;
}

/** The ticket's clocks at `now`, without writing: what the ticket API shows. */
export async function computeTicketSla(q: Queryable, ticketId: string, now: Date): Promise<TicketSlaState | null> {
  const [ticket] = await q.query<{ type: string; priority: string; tier: string | null; organization_id: string | null; channel: string; group_id: string | null; tags: string[] }>(
    `SELECT t.type, t.priority, o.tier, t.organization_id, t.channel, t.group_id, t.tags
     FROM tickets t LEFT JOIN organizations o ON o.id = t.organization_id WHERE t.id = $1`, [ticketId]);
  if (!ticket) return null;
  const config = await loadSlaConfig(q);
  const policy = selectPolicy(config.policies, ticket);
  if (!policy) return null;
  const calendar = policy.calendar_id ? config.calendars.get(policy.calendar_id) : undefined;
  const events = await listTicketEventsForSla(q, ticketId);
  const input = ticketSlaInput(policy, calendar?.row.spec ?? null, ticket, events, now);
  const result = simulateSla(input, calendar?.compiled ?? ALWAYS_OPEN);
  return { policy_id: policy.id, policy_name: policy.name, result };
}
