import { describe, expect, it } from 'vitest';
import type { SlaPolicy } from './policy-model.ts';
import { policyMetricDefinitions, toSlaEvents } from './ticket-sla-input.ts';

const at = (iso: string) => new Date(iso);

describe('toSlaEvents', () => {
  it('maps the ticket log to simulator events; the initial message is the creation itself', () => {
    const events = toSlaEvents([
      { kind: 'created', after: { status: 'new' }, at: at('2025-03-10T09:00:00Z') },
      { kind: 'message_added', after: { kind: 'public', author_kind: 'contact', initial: true }, at: at('2025-03-10T09:00:00Z') },
      { kind: 'priority_changed', after: { priority: 'high' }, at: at('2025-03-10T09:01:00Z') },
      { kind: 'message_added', after: { kind: 'internal', author_kind: 'user' }, at: at('2025-03-10T09:02:00Z') },
      { kind: 'message_added', after: { kind: 'automatic', author_kind: 'system' }, at: at('2025-03-10T09:03:00Z') },
      { kind: 'message_added', after: { kind: 'public', author_kind: 'user' }, at: at('2025-03-10T09:04:00Z') },
      { kind: 'status_changed', after: { status: 'pending' }, at: at('2025-03-10T09:04:00Z') },
      { kind: 'message_added', after: { kind: 'public', author_kind: 'contact' }, at: at('2025-03-10T09:05:00Z') },
      { kind: 'status_changed', after: { status: 'open' }, at: at('2025-03-10T09:05:00Z') },
    ]);
    expect(events.map((e) => ('status' in e ? `${e.type}:${e.status}` : e.type))).toEqual([
      'created:new', 'agent_note', 'auto_message', 'agent_message', 'status:pending', 'customer_message', 'status:open',
    ]);
    expect(events[0]?.at).toBe(Date.parse('2025-03-10T09:00:00Z'));
  });
});

describe('policyMetricDefinitions', () => {
  const policy: SlaPolicy = {
    id: 'p', name: 'p', position: 1, active: true, match: 'all', conditions: [], calendar_id: null, pause_statuses: ['pending'],
    metrics: [
      { name: 'first_response', targets_by_priority: { urgent: 30 }, target_minutes: 120, warn_at_percent: [], warn_at_minutes_left: [] },
      { name: 'resolution', targets_by_priority: { urgent: 240 }, warn_at_percent: [], warn_at_minutes_left: [] },
      { name: 'callback', target_minutes: 15, start_on: ['customer_message'], stop_on: ['agent_message'], repeat: true, warn_at_percent: [], warn_at_minutes_left: [] },
    ],
  };
  it('takes the per-priority target, else the default, and drops metrics without a target for the priority', () => {
    expect(policyMetricDefinitions(policy, 'urgent').map((m) => [m.name, m.target_minutes])).toEqual([['first_response', 30], ['resolution', 240], ['callback', 15]]);
    expect(policyMetricDefinitions(policy, 'low').map((m) => [m.name, m.target_minutes])).toEqual([['first_response', 120], ['callback', 15]]);
  });
});
