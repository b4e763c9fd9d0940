import type { CalendarSpec } from '../calendar/index.ts';
import type { MetricDefinition, SimulationInput, SlaEvent, TicketStatus } from '../sla/index.ts';
import { TICKET_STATUSES, isBuiltInMetricName } from '../sla/index.ts';
import type { PolicyMetric, SlaPolicy } from './policy-model.ts';

/** A ticket event as stored in ticket_events (only what the clocks need). */
export type StoredTicketEvent = { kind: string; after: unknown; at: Date };

const isStatus = (v: unknown): v is TicketStatus => typeof v === 'string' && (TICKET_STATUSES as readonly string[]).includes(v);
const field = (obj: unknown, key: string): unknown => (obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined);

/**
 * Maps the ticket's event log to the simulator's event vocabulary. Public replies by staff are
 * agent messages; the requester's later public messages are customer messages (the request's first
 * message is the `created` event itself); internal notes and automatic messages never respond.
 */
export function toSlaEvents(events: readonly StoredTicketEvent[]): SlaEvent[] {
  const out: SlaEvent[] = [];
  for (const e of events) {
    const at = e.at.getTime();
    if (e.kind === 'created') {
      const status = field(e.after, 'status');
      const group = field(e.after, 'group_id');
      out.push({ at, type: 'created', status: isStatus(status) ? status : 'new', ...(typeof group === 'string' ? { group } : {}) });
    } else if (e.kind === 'group_changed') {
      // The ticket's group for ownership clocks (`group:<id>`); built-in metrics ignore it.
      const group = field(e.after, 'group_id');
      out.push({ at, type: 'group', group: typeof group === 'string' ? group : null });
    } else if (e.kind === 'status_changed') {
      const status = field(e.after, 'status');
      if (isStatus(status)) out.push({ at, type: 'status', status });
    } else if (e.kind === 'message_added' && field(e.after, 'initial') !== true) {
      const kind = field(e.after, 'kind');
      const author = field(e.after, 'author_kind');
      if (kind === 'internal') out.push({ at, type: 'agent_note' });
      else if (kind === 'automatic') out.push({ at, type: 'auto_message' });
      else out.push({ at, type: author === 'contact' ? 'customer_message' : 'agent_message' });
    }
  }
  return out;
}

/** The target for this ticket's priority, or null when the policy sets none for it (the metric does not apply). */
export function targetFor(metric: PolicyMetric, priority: string): number | null {
  return metric.targets_by_priority?.[priority] ?? metric.target_minutes ?? null;
}

export function policyMetricDefinitions(policy: SlaPolicy, priority: string): MetricDefinition[] {
  const defs: MetricDefinition[] = [];
  for (const m of policy.metrics) {
    const target = targetFor(m, priority);
    if (target === null) continue;
    const pause = m.pause_statuses ?? null;
    const clock = m.clock === 'calendar' ? ({ clock: 'calendar' } as const) : {};
    if (isBuiltInMetricName(m.name)) {
      defs.push({ name: m.name, target_minutes: target, pause_statuses: pause, ...clock });
    } else if (m.start_on && m.stop_on) {
      defs.push({ name: m.name, target_minutes: target, pause_statuses: pause, start_on: m.start_on, stop_on: m.stop_on, repeat: m.repeat ?? false, ...clock });
    }
  }
  return defs;
}

/** The exact simulator input for a live ticket: the same engine then computes its clocks. */
export function ticketSlaInput(
  policy: SlaPolicy,
  calendar: CalendarSpec | null,
  ticket: { priority: string },
  events: readonly StoredTicketEvent[],
  at: Date,
): SimulationInput {
  return {
    calendar,
    metrics: policyMetricDefinitions(policy, ticket.priority),
    pause_statuses: policy.pause_statuses.filter(isStatus),
    events: toSlaEvents(events),
    at: at.getTime(),
  };
}
