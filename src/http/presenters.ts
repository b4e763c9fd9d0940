import type { TicketSlaState } from '../app/sla/refresh-ticket-sla.ts';
import { promiseView } from '../app/promise/promise-view.ts';
import type { EventRow, MessageRow, TicketView } from '../store/repos/tickets-repo.ts';
import type { Principal } from '../core/auth/principal.ts';
import type { TimelineEntry } from '../app/tickets/get-timeline.ts';

import { UNTIL_REPLY_MS } from '../core/routing/model.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function isSlaState(v: unknown): v is TicketSlaState {
  return v !== null && typeof v === 'object' && 'result' in v && 'policy_id' in v;
}

export function presentSla(state: TicketSlaState | null) {
  if (!state) return null;
  const metrics = Object.fromEntries(
    Object.entries(state.result.metrics).map(([name, m]) => [name, {
      status: m.status, started_at: m.started_at, completed_at: m.completed_at, due_at: m.due_at, breached: m.breached,
      breached_at: m.breached_at, elapsed_business_minutes: m.elapsed_business_minutes, remaining_business_minutes: m.remaining_business_minutes,
      target_minutes: m.elapsed_business_minutes !== null && m.remaining_business_minutes !== null ? m.elapsed_business_minutes + m.remaining_business_minutes : null,
      // A wall-clock metric says so (absent = business hours), as the simulator's result does, so a screen shows one
      // figure in the clock's own time (not a business figure for a wall clock).
      ...(m.clock === 'calendar' ? { clock: 'calendar' as const } : {}),
      warning: state.warnings?.[name]?.warning ?? false,
      next_warning_at: state.warnings?.[name]?.next_warning_at ?? null,
    }]),
  );
  const nextWarnings = Object.values(state.warnings ?? {}).map((w) => w.next_warning_at).filter((w): w is string => w !== null).sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    policy_id: state.policy_id, policy_name: state.policy_name, evaluated_at: state.result.at, next_due_at: state.result.next_due_at,
    next_warning_at: nextWarnings[0] ?? null,
    breached: Object.values(state.result.metrics).some((m) => m.breached),
    warning: Object.values(state.warnings ?? {}).some((w) => w.warning),
    metrics,
  };
}

/** `live` is the SLA evaluated now (single ticket); lists show the state stored at the last change. */
export function presentTicket(t: TicketView, prefix: string, viewer: Principal, live?: TicketSlaState | null) {
  const sla = live !== undefined ? live : isSlaState(t.sla_state) ? t.sla_state : null;
  const staff = viewer.kind === 'user';
  return {
    id: t.id, number: t.number, display_number: `${prefix}${t.number}`, subject: t.subject, type: t.type, priority: t.priority,
    status: t.status, stage: t.stage, channel: t.channel, tags: t.tags,
    requester: { id: t.requester_id, name: t.requester_name, email: t.requester_email },
    organization: t.organization_id ? { id: t.organization_id, name: t.organization_name, tier: t.organization_tier } : null,
    group: t.group_id ? { id: t.group_id, name: t.group_name } : null,
    assignee: t.assignee_id ? { id: t.assignee_id, name: t.assignee_name } : null,
    created_at: iso(t.created_at), updated_at: iso(t.updated_at), first_responded_at: iso(t.first_responded_at),
    solved_at: iso(t.solved_at), closed_at: iso(t.closed_at), archived_at: iso(t.archived_at),
    sla: staff ? presentSla(sla) : null,
    urgency: t.urgency, urgency_suggestion: staff ? t.urgency_suggestion : null,
    promise: promiseView(t),
    // Merged into another request: its customer may still reply (the reply reaches the survivor).
    merged: t.merged_into_id !== null,
    // Imported from another system (docs/import.md): where from, and its id there.
    imported: staff && t.import_source ? { source: t.import_source, external_id: t.external_id ?? null } : null,
    ...(staff ? { snoozed_until: t.snoozed_until && t.snoozed_until.getTime() < UNTIL_REPLY_MS ? iso(t.snoozed_until) : null, snooze_until_reply: t.snooze_until_reply, merged_into_id: t.merged_into_id,
      // Opened by mail that SPF/DKIM/DMARC did not vouch for: the From address may be forged (docs/security.md).
      sender_unverified: t.sender_unverified ?? false } : {}),
  };
}

export function presentMessage(m: MessageRow) {
  return {
    id: m.id, kind: m.kind, author: { kind: m.author_kind, id: m.author_id, name: m.author_name ?? (m.author_kind === 'system' ? 'Replyby' : null) },
    body_text: m.body_text, body_html: m.body_html, created_at: iso(m.created_at),
    delivery: m.delivery_status ? { status: m.delivery_status, error: m.delivery_error } : null,
    body_quoted: m.body_quoted ?? null,
  };
}

export function presentEvent(e: EventRow) {
  return { id: e.seq, kind: e.kind, actor: { kind: e.actor_kind, id: e.actor_id, name: e.actor_name }, before: e.before, after: e.after, created_at: iso(e.created_at) };
}

export function presentTimeline(entries: TimelineEntry[]) {
  return entries.map((e) => (e.entry === 'message' ? { entry: 'message' as const, ...presentMessage(e.message) } : { entry: 'event' as const, ...presentEvent(e.event) }));
}

export function presentPrincipal(p: Principal) {
  return { kind: p.kind, id: p.id, email: p.email, name: p.name, role: p.role, language: p.language, time_zone: p.time_zone };
}
