// The SLA admin screens' API calls (calendars, policies, order, iCal import), typed by the server's OpenAPI
// document through openapi-fetch, so a body the server does not accept fails the typecheck.

import { api, call, client, type SlaCalendar, type SlaPolicy, type SimulationEvent } from '../../lib/api.ts';
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
  /** A ticket's own policy and its whole SLA event log (merged tickets' messages included), as the live clocks read them. */
  replay: (ref: string) => call<TicketReplay>(client.GET('/api/v1/sla/replay/{ref}', { params: { path: { ref } } })),
};

/** GET /api/v1/sla/replay/:ref (src/app/sla/replay-ticket.ts). */
export type TicketReplay = {
  ticket: { id: string; number: number; display_number: string; priority: string };
  policy: { id: string; name: string } | null;
  merged_ticket_numbers: number[];
  events: SimulationEvent[];
  at: string;
};

/** The message the API gave for exactly this path (`spec.hours.mon[0][1]`), if any. */
export function errorAt(errors: readonly { path: string; message: string }[], path: string): string | undefined {
  const m = errors.find((e) => e.path === path)?.message;
  return m === undefined ? undefined : m === 'is required' ? 'This field is required.' : m.charAt(0).toUpperCase() + m.slice(1);
}
