import type { Queryable } from '../db.ts';
import { TICKET_VIEW_COLUMNS, type NewEvent, type TicketView } from './tickets-repo.ts';

/** A new ticket's row as intake settled it: every column written once, by the INSERT. */
export type IntakeTicket = {
  id: string; subject: string; type: string; priority: string; status: string; stage: string; channel: string; tags: readonly string[];
  requester_id: string; organization_id: string | null; group_id: string | null; assignee_id: string | null; created_at: Date;
  sla_policy_id: string | null; sla_next_due_at: string | null; sla_breached: boolean; sla_state: unknown;
  urgency: string; urgency_suggestion: string | null; language: string | null; triage_suggestion: unknown; repeat_of_id: string | null;
  promised_reply_at: Date | null; promise: unknown;
};
export type IntakeMessage = { id: string; kind: 'public' | 'internal'; author_kind: 'contact' | 'system'; author_id: string | null; body_text: string; body_html: string };
export type IntakeClock = {
  metric: string; policy_id: string | null; status: string; cycle_started_at: string | null; due_at: string | null; breached_at: string | null;
  fired: readonly string[]; next_action_key: string | null; next_action_at: string | null;
};
export type IntakeJob = { kind: string; payload: Record<string, unknown> };

export type IntakeWrite = {
  ticket: IntakeTicket;
  messages: readonly IntakeMessage[];
  events: readonly NewEvent[];
  clocks: readonly IntakeClock[];
  jobs: readonly IntakeJob[];
  /** NOTIFY channels (schema-suffixed in SQL): live ticket changes, and the monitor's when a clock acts within its sleep. */
  ticketChannel: string; actorId: string | null;
  monitor: { channel: string; at: string } | null;
};

/**
 * Writes a new ticket in ONE statement: the row (with its clocks' summary, triage's language and suggestions,
 * the repeat link and the promise), its messages, its events in order, its SLA clock schedule, its outbox jobs
 * and the NOTIFYs — data-modifying CTEs, so one round trip and one plan instead of a dozen (foreign keys are
 * checked at the end of the statement, when the row exists). Returns the ticket as the API shows it.
 */
export async function insertIntake(q: Queryable, w: IntakeWrite): Promise<TicketView> {
  const t = w.ticket;
  const [row] = await q.query<TicketView & { notified: number }>(
    `WITH t AS (
       INSERT INTO tickets (id, subject, type, priority, status, stage, channel, tags, requester_id, organization_id, group_id, assignee_id,
         created_at, updated_at, sla_policy_id, sla_next_due_at, sla_breached, sla_state, urgency, urgency_suggestion,
         language, triage_suggestion, repeat_of_id, promised_reply_at, original_promised_reply_at, promise)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17::jsonb, $18, $19, $20, $21::jsonb, $22, $23, $23, $24::jsonb)
       RETURNING *),
     m AS (
       INSERT INTO messages (id, ticket_id, kind, author_kind, author_id, body_text, body_html, created_at)
       SELECT x.id, $1, x.kind, x.author_kind, x.author_id, x.body_text, x.body_html, $13
       FROM jsonb_to_recordset($25::jsonb) AS x(id uuid, kind text, author_kind text, author_id uuid, body_text text, body_html text)),
     e AS (
       INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at)
       -- Sorted by their place in the array, so their seq follows the order things happened.
       SELECT $1, x.actor_kind, x.actor_id, x.kind, x.before, x.after, x.at
       FROM jsonb_to_recordset($26::jsonb) AS x(n int, actor_kind text, actor_id uuid, kind text, before jsonb, after jsonb, at timestamptz)
       ORDER BY x.n),
     c AS (
       INSERT INTO sla_clocks (ticket_id, metric, policy_id, status, cycle_started_at, due_at, breached_at, fired, next_action_key, next_action_at, updated_at)
       SELECT $1, x.metric, x.policy_id, x.status, x.cycle_started_at, x.due_at, x.breached_at, x.fired, x.next_action_key, x.next_action_at, $13
       FROM jsonb_to_recordset($27::jsonb) AS x(metric text, policy_id uuid, status text, cycle_started_at timestamptz, due_at timestamptz,
                                                 breached_at timestamptz, fired jsonb, next_action_key text, next_action_at timestamptz)),
     o AS (
       INSERT INTO outbox (kind, payload, created_at, run_at)
       SELECT x.kind, x.payload, $13, $13 FROM jsonb_to_recordset($28::jsonb) AS x(n int, kind text, payload jsonb) ORDER BY x.n),
     n AS (
       SELECT pg_notify($29 || '_' || current_schema(), json_build_object('ticket_id', t.id, 'number', t.number, 'kind', 'created', 'actor_id', $30::uuid)::text) FROM t
       UNION ALL
       SELECT pg_notify($31 || '_' || current_schema(), $32) WHERE $31::text IS NOT NULL)
     SELECT ${TICKET_VIEW_COLUMNS}, (SELECT count(*)::int FROM n) AS notified
     FROM t JOIN contacts c ON c.id = t.requester_id
     LEFT JOIN organizations o ON o.id = t.organization_id
     LEFT JOIN groups g ON g.id = t.group_id
     LEFT JOIN users u ON u.id = t.assignee_id`,
    [
      t.id, t.subject, t.type, t.priority, t.status, t.stage, t.channel, t.tags, t.requester_id, t.organization_id, t.group_id, t.assignee_id,
      t.created_at, t.sla_policy_id, t.sla_next_due_at, t.sla_breached, t.sla_state === null ? null : JSON.stringify(t.sla_state), t.urgency, t.urgency_suggestion,
      t.language, t.triage_suggestion === null ? null : JSON.stringify(t.triage_suggestion), t.repeat_of_id, t.promised_reply_at,
      t.promise === null ? null : JSON.stringify(t.promise),
      JSON.stringify(w.messages),
      JSON.stringify(w.events.map((e, n) => ({ n, actor_kind: e.actor.kind, actor_id: e.actor.id, kind: e.kind, before: e.before, after: e.after, at: e.at }))),
      JSON.stringify(w.clocks),
      JSON.stringify(w.jobs.map((j, n) => ({ n, ...j }))),
      w.ticketChannel, w.actorId, w.monitor?.channel ?? null, w.monitor?.at ?? null,
    ]);
  if (!row) throw new Error('the intake write returned no row');
  const { notified: _notified, ...view } = row;
  return view;
}
