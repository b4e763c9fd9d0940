// The agent's tools on one ticket (issue 9/10/11): macros, knowledge base, the staff promise, snooze, merge,
// links, time entries and the agent's own availability. Typed by the OpenAPI document like lib/api.ts.

import { call, client, type Ticket } from '../../lib/api.ts';
import type { TicketPromise } from '../promise/promise-api.ts';

export type MacroActions = { status?: string; priority?: string; type?: string; group_id?: string | null; assignee_id?: string | null; tags?: string[] };
export type Macro = { id: string; title: string; language: string; body: string; shared: boolean; owner_id: string | null; actions: MacroActions };
export type KbSuggestion = { id: string; title: string; language: string; snippet: string; url: string; status?: string };
export type Article = { id: string; title: string; language: string; status: string; url: string | null };
export type LinkedTicket = { id: string; number: number; subject: string; status: string; linked_at: string };
export type TimeEntry = { id: string; user_id: string; user_name: string; minutes: number; note: string; created_at: string };
export type Availability = 'online' | 'away' | 'offline';
export type AgentRouting = { user_id: string; availability: Availability; capacity: number; open_tickets: number };

const ref = (r: string | number) => ({ params: { path: { ref: String(r) } } });
const refId = (r: string | number, id: string) => ({ params: { path: { ref: String(r), id } } });

export const agentApi = {
  macros: (q: string) =>
    call<{ data: Macro[] }>(client.GET('/api/v1/macros', { params: { query: q.trim() ? { q: q.trim() } : {} } })),
  previewMacro: (r: string | number, id: string) =>
    call<{ text: string; actions: MacroActions }>(client.GET('/api/v1/tickets/{ref}/macros/{id}/preview', refId(r, id))),
  kbSuggestions: (r: string | number) => call<{ data: KbSuggestion[] }>(client.GET('/api/v1/tickets/{ref}/kb-suggestions', ref(r))),
  articleFromMessage: (r: string | number, messageId: string, title: string) =>
    call<Article>(client.POST('/api/v1/tickets/{ref}/kb-articles', { ...ref(r), body: { message_id: messageId, title } })),
  changePromise: (r: string | number, input: { promised_at: string; reason: string; message?: string }) =>
    call<TicketPromise>(client.POST('/api/v1/tickets/{ref}/promise', { ...ref(r), body: input })),
  snooze: (r: string | number, input: { until?: string; until_reply: boolean }) =>
    call<Ticket>(client.POST('/api/v1/tickets/{ref}/snooze', { ...ref(r), body: input })),
  unsnooze: (r: string | number) => call<Ticket>(client.DELETE('/api/v1/tickets/{ref}/snooze', ref(r))),
  merge: (r: string | number, into: string, confirmDifferentRequesters = false) =>
    call<Ticket>(client.POST('/api/v1/tickets/{ref}/merge', { ...ref(r), body: { into, ...(confirmDifferentRequesters ? { confirm_different_requesters: true } : {}) } })),
  links: (r: string | number) => call<{ data: LinkedTicket[] }>(client.GET('/api/v1/tickets/{ref}/links', ref(r))),
  link: (r: string | number, other: string) =>
    call<{ data: LinkedTicket[] }>(client.POST('/api/v1/tickets/{ref}/links', { ...ref(r), body: { ticket: other } })),
  unlink: (r: string | number, other: string) =>
    call<unknown>(client.DELETE('/api/v1/tickets/{ref}/links/{other}', { params: { path: { ref: String(r), other } } })),
  time: (r: string | number) => call<{ data: TimeEntry[]; total_minutes: number }>(client.GET('/api/v1/tickets/{ref}/time', ref(r))),
  addTime: (r: string | number, minutes: number, note: string) =>
    call<TimeEntry>(client.POST('/api/v1/tickets/{ref}/time', { ...ref(r), body: { minutes, note } })),
  routing: (userId: string) => call<AgentRouting>(client.GET('/api/v1/routing/agents/{id}', { params: { path: { id: userId } } })),
  setAvailability: (availability: Availability) =>
    call<AgentRouting>(client.PUT('/api/v1/routing/me/availability', { body: { availability } })),
};

/** Snooze fields the server adds for staff (routing/snooze-ticket.ts). */
export type SnoozeState = { snoozed_until?: string | null; snooze_until_reply?: boolean; merged_into_id?: string | null };
