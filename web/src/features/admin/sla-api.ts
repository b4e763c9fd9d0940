// The SLA admin screens' API calls (calendars, policies, order, iCal import), typed by the server's OpenAPI
// document through openapi-fetch, so a body the server does not accept fails the typecheck.

import { api, call, client, type SlaCalendar, type SlaPolicy, type TimelineEntry, type SimulationEvent } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';

export type CalendarBody = paths['/api/v1/sla/calendars']['post']['requestBody']['content']['application/json'];
export type CalendarSpec = CalendarBody['spec'];
export type PolicyBody = paths['/api/v1/sla/policies']['post']['requestBody']['content']['application/json'];
export type PolicyMetricBody = PolicyBody['metrics'][number];
export type PolicyCondition = NonNullable<PolicyBody['conditions']>[number];
export type Escalation = NonNullable<PolicyBody['escalations']>[number];
export type MetricEventKind = NonNullable<PolicyMetricBody['start_on']>[number];
export type StoredCalendar = SlaCalendar & { updated_at?: string };
/** A policy as the server returns it (all of the create body, plus its id and place in the order). */
export type StoredPolicy = Omit<SlaPolicy, 'metrics'> & Omit<PolicyBody, 'metrics'> & { metrics: PolicyMetricBody[] };

const id = (v: string) => ({ params: { path: { id: v } } });

export const slaApi = {
  createCalendar: (body: CalendarBody) => call<StoredCalendar>(client.POST('/api/v1/sla/calendars', { body })),
  updateCalendar: (calendarId: string, body: Partial<CalendarBody>) =>
    call<StoredCalendar>(client.PATCH('/api/v1/sla/calendars/{id}', { ...id(calendarId), body })),
  deleteCalendar: (calendarId: string) => call<unknown>(client.DELETE('/api/v1/sla/calendars/{id}', id(calendarId))),
  importIcs: (calendarId: string, from: { url: string } | { ics: string }) =>
    call<StoredCalendar>(client.POST('/api/v1/sla/calendars/{id}/ics', { ...id(calendarId), body: from })),
  policies: async () => (await api.slaPolicies()) as StoredPolicy[],
  createPolicy: (body: PolicyBody) => call<StoredPolicy>(client.POST('/api/v1/sla/policies', { body })),
  updatePolicy: (policyId: string, body: Partial<PolicyBody>) =>
    call<StoredPolicy>(client.PATCH('/api/v1/sla/policies/{id}', { ...id(policyId), body })),
  deletePolicy: (policyId: string) => call<unknown>(client.DELETE('/api/v1/sla/policies/{id}', id(policyId))),
  reorderPolicies: (ids: string[]) => call<{ data: StoredPolicy[] }>(client.POST('/api/v1/sla/policies/reorder', { body: { ids } })),
};

const STATUSES = new Set(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']);
const field = (obj: unknown, key: string): unknown => (obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined);

/**
 * A ticket's timeline as simulator events — the same mapping the server applies to live tickets
 * (src/core/policies/ticket-sla-input.ts `toSlaEvents`): replaying a ticket shows what its clocks did.
 */
export function replayEvents(entries: readonly TimelineEntry[]): SimulationEvent[] {
  const out: SimulationEvent[] = [];
  for (const e of entries) {
    if (e.entry !== 'event') continue;
    const at = e.created_at;
    if (e.kind === 'created') {
      const status = field(e.after, 'status');
      out.push({ at, type: 'created', status: typeof status === 'string' && STATUSES.has(status) ? status : 'new' });
    } else if (e.kind === 'status_changed') {
      const status = field(e.after, 'status');
      if (typeof status === 'string' && STATUSES.has(status)) out.push({ at, type: 'status', status });
    } else if (e.kind === 'message_added' && field(e.after, 'initial') !== true) {
      const kind = field(e.after, 'kind');
      if (kind === 'internal') out.push({ at, type: 'agent_note' });
      else if (kind === 'automatic') out.push({ at, type: 'auto_message' });
      else out.push({ at, type: field(e.after, 'author_kind') === 'contact' ? 'customer_message' : 'agent_message' });
    }
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The message the API gave for exactly this path (`spec.hours.mon[0][1]`), if any. */
export function errorAt(errors: readonly { path: string; message: string }[], path: string): string | undefined {
  const m = errors.find((e) => e.path === path)?.message;
  return m === undefined ? undefined : m === 'is required' ? 'This field is required.' : m.charAt(0).toUpperCase() + m.slice(1);
}
