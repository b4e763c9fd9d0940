import { compileCalendar } from '../../core/calendar/index.ts';
import { selectPolicy } from '../../core/policies/select-policy.ts';
import type { PolicySubject } from '../../core/policies/policy-model.ts';
import { ticketSlaInput, type StoredTicketEvent } from '../../core/policies/ticket-sla-input.ts';
import { computeClocks, formatClockState, formatInstant } from '../../core/sla/index.ts';
import { metricWarnings } from '../../core/policies/metric-warnings.ts';
import type { Queryable } from '../../store/db.ts';
import { listTicketEventsForSla } from '../../store/repos/sla-repo.ts';
import { loadSlaConfig, type SlaConfig } from './sla-config.ts';
import { syncSlaClocks } from '../monitor/sync-sla-clocks.ts';

import type { TicketSlaState } from './ticket-sla-state.ts';

export type { MetricWarningState, TicketSlaState } from './ticket-sla-state.ts';

const ALWAYS_OPEN = compileCalendar(null);

/**
 * Re-selects the ticket's policy and recomputes its clocks from its event log, inside the caller's
 * transaction. Elapsed business time is kept because it is always derived from the whole log.
 */
export async function refreshTicketSla(q: Queryable, ticketId: string, now: Date): Promise<TicketSlaState | null> {
  const state = await computeTicketSla(q, ticketId, now);
  if (!state) {
    await q.query('UPDATE tickets SET sla_policy_id = NULL, sla_next_due_at = NULL, sla_breached = false, sla_state = NULL WHERE id = $1', [ticketId]);
    await syncSlaClocks(q, ticketId, null, now);
    return null;
  }
  const columns = slaColumns(state);
  await q.query('UPDATE tickets SET sla_policy_id = $2, sla_next_due_at = $3, sla_breached = $4, sla_state = $5 WHERE id = $1', [
    ticketId, state.policy_id, columns?.next_due_at, columns?.breached ?? false, JSON.stringify(state),
  ]);
  await syncSlaClocks(q, ticketId, state, now);
  return state;
}

/** The ticket's clocks at `now`, without writing: what the ticket API shows. */
export async function computeTicketSla(q: Queryable, ticketId: string, now: Date): Promise<TicketSlaState | null> {
  const [ticket] = await q.query<PolicySubject>(
    `SELECT t.type, t.priority, o.tier, t.organization_id, t.channel, t.group_id, t.tags, t.urgency
     FROM tickets t LEFT JOIN organizations o ON o.id = t.organization_id WHERE t.id = $1`, [ticketId]);
  if (!ticket) return null;
  return computeSlaFor(q, ticket, () => listTicketEventsForSla(q, ticketId), now);
}

/**
 * Clocks for a ticket described by its attributes and events; a new ticket passes the events it is
 * about to write, so its clocks are known before its row is inserted. `config`: one the caller already
 * loaded in this transaction (the monitor, once per batch of tickets).
 */
export async function computeSlaFor(
  q: Queryable,
  ticket: PolicySubject,
  events: () => Promise<readonly StoredTicketEvent[]> | readonly StoredTicketEvent[],
  now: Date,
  config?: SlaConfig,
): Promise<TicketSlaState | null> {
  const loaded = config ?? await loadSlaConfig(q);
  // The event log is read only for a ticket some policy covers.
  if (!selectPolicy(loaded.policies, ticket)) return null;
  return slaStateFor(loaded, ticket, await events(), now);
}

/** The clocks of a ticket described by its attributes and events, under an already loaded configuration (no I/O). */
export function slaStateFor(config: SlaConfig, ticket: PolicySubject, events: readonly StoredTicketEvent[], now: Date): TicketSlaState | null {
  const policy = selectPolicy(config.policies, ticket);
  if (!policy) return null;
  const calendar = policy.calendar_id ? config.calendars.get(policy.calendar_id) : undefined;
  const compiled = calendar?.compiled ?? ALWAYS_OPEN;
  const input = ticketSlaInput(policy, calendar?.row.spec ?? null, ticket, events, now);
  // computeClocks + formatClockState is exactly simulateSla, with the engine's clocks kept for the warnings.
  const clocks = computeClocks(input, compiled);
  const warnings = Object.fromEntries(Object.entries(metricWarnings(clocks, policy.metrics, compiled)).map(([name, w]) => [
    name, { warning: w.warning, next_warning_at: w.next_warning_at === null ? null : formatInstant(w.next_warning_at), next_point: w.next_point, passed_point: w.passed_point },
  ]));
  return { policy_id: policy.id, policy_name: policy.name, result: formatClockState(clocks), warnings };
}

export const slaColumns = (state: TicketSlaState | null) =>
  state ? { policy_id: state.policy_id, next_due_at: state.result.next_due_at, breached: Object.values(state.result.metrics).some((m) => m.breached), state } : null;
