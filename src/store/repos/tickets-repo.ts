import type { Queryable } from '../db.ts';
import type { MessageKind, TicketStatus } from '../../core/tickets/ticket-model.ts';

export type TicketRow = {
  id: string;
  number: number;
  subject: string;
  type: string;
  priority: string;
  status: TicketStatus;
  stage: string;
  channel: string;
  tags: string[];
  requester_id: string;
  organization_id: string | null;
  group_id: string | null;
  assignee_id: string | null;
  created_at: Date;
  updated_at: Date;
  first_responded_at: Date | null;
  solved_at: Date | null;
  closed_at: Date | null;
  sla_policy_id: string | null;
  sla_next_due_at: Date | null;
  sla_breached: boolean;
  sla_state: unknown;
  urgency: string;
  urgency_suggestion: string | null;
  promised_reply_at: Date | null;
  original_promised_reply_at: Date | null;
  promise: unknown;
  /** Hidden from queues until then (year 9999 = until the customer replies); see routing/snooze-ticket.ts. */
  snoozed_until: Date | null;
  snooze_until_reply: boolean;
  merged_into_id: string | null;
  /** Closed tickets are archived after the configured period: still listed and searchable, read-only. */
  archived_at: Date | null;
  /** An imported ticket's source system and its id there (app/import); absent or null for tickets created here. */
  import_source?: string | null;
  external_id?: string | null;
  /** Opened by a mail whose From address SPF/DKIM/DMARC did not vouch for (docs/security.md). */
  sender_unverified?: boolean;
};

export type TicketView = TicketRow & {
  requester_name: string;
  requester_email: string;
  organization_name: string | null;
  organization_tier: string | null;
  group_name: string | null;
  assignee_name: string | null;
};

/** The view's columns over the aliases t (ticket), c (requester), o, g, u — also read by intake's one-statement write. */
export const TICKET_VIEW_COLUMNS = `t.*, c.name AS requester_name, c.email AS requester_email,
  o.name AS organization_name, o.tier AS organization_tier, g.name AS group_name, u.name AS assignee_name`;

export const TICKET_VIEW_SELECT = `SELECT ${TICKET_VIEW_COLUMNS}
  FROM tickets t
  JOIN contacts c ON c.id = t.requester_id
  LEFT JOIN organizations o ON o.id = t.organization_id
  LEFT JOIN groups g ON g.id = t.group_id
  LEFT JOIN users u ON u.id = t.assignee_id`;

export async function findTicketView(q: Queryable, ref: { id: string } | { number: number }): Promise<TicketView | null> {
  const [row] = 'id' in ref
    ? await q.query<TicketView>(`${TICKET_VIEW_SELECT} WHERE t.id = $1`, [ref.id])
    : await q.query<TicketView>(`${TICKET_VIEW_SELECT} WHERE t.number = $1`, [ref.number]);
  return row ?? null;
}

/** Locks the ticket row for the rest of the transaction so concurrent changes apply one after another. */
export async function lockTicket(q: Queryable, id: string): Promise<TicketRow | null> {
  const [row] = await q.query<TicketRow>('SELECT * FROM tickets WHERE id = $1 FOR UPDATE', [id]);
  return row ?? null;
}

export type NewTicket = Pick<TicketRow, 'subject' | 'type' | 'priority' | 'status' | 'stage' | 'channel' | 'tags' | 'requester_id' | 'organization_id' | 'group_id' | 'assignee_id' | 'created_at'>
  & { urgency?: string; urgency_suggestion?: string | null; sla?: { policy_id: string; next_due_at: string | null; breached: boolean; state: unknown } | null };

export async function insertTicket(q: Queryable, t: NewTicket): Promise<TicketRow> {
  const [row] = await q.query<TicketRow>(
    `INSERT INTO tickets (subject, type, priority, status, stage, channel, tags, requester_id, organization_id, group_id, assignee_id, created_at, updated_at,
       sla_policy_id, sla_next_due_at, sla_breached, sla_state, urgency, urgency_suggestion)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17, $18) RETURNING *`,
    [t.subject, t.type, t.priority, t.status, t.stage, t.channel, t.tags, t.requester_id, t.organization_id, t.group_id, t.assignee_id, t.created_at,
      t.sla?.policy_id ?? null, t.sla?.next_due_at ?? null, t.sla?.breached ?? false, t.sla ? JSON.stringify(t.sla.state) : null,
      t.urgency ?? 'normal', t.urgency_suggestion ?? null],
  );
  if (!row) throw new Error('insert into tickets returned no row');
  return row;
}

export const TICKET_UPDATABLE = ['subject', 'type', 'priority', 'status', 'stage', 'group_id', 'assignee_id', 'tags', 'first_responded_at', 'solved_at', 'closed_at', 'updated_at', 'organization_id', 'urgency'] as const;
export type TicketPatch = Partial<Pick<TicketRow, (typeof TICKET_UPDATABLE)[number]>>;

export async function updateTicketRow(q: Queryable, id: string, patch: TicketPatch): Promise<void> {
  const entries = TICKET_UPDATABLE.filter((k) => k in patch).map((k) => [k, patch[k]] as const);
  if (entries.length === 0) return;
  const sets = entries.map(([k], i) => `${k} = $${i + 2}`).join(', ');
  await q.query(`UPDATE tickets SET ${sets} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
}

export type ActorRef = { kind: 'user' | 'contact' | 'system' | 'api'; id: string | null };

export type NewEvent = { ticketId: string; actor: ActorRef; kind: string; before: unknown; after: unknown; at: Date };

export async function appendEvent(q: Queryable, e: NewEvent): Promise<void> {
  await appendEvents(q, [e]);
}

/** Several events in one statement; their seq follows the array order. */
export async function appendEvents(q: Queryable, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const params: unknown[] = [];
  const rows = events.map((e) => {
    params.push(e.ticketId, e.actor.kind, e.actor.id, e.kind, e.before === null ? null : JSON.stringify(e.before), e.after === null ? null : JSON.stringify(e.after), e.at);
    const n = params.length - 7;
    return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::jsonb, $${n + 6}::jsonb, $${n + 7})`;
  });
  await q.query(`INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at) VALUES ${rows.join(', ')}`, params);
}

export type MessageRow = {
  id: string;
  ticket_id: string;
  kind: MessageKind;
  author_kind: 'user' | 'contact' | 'system';
  author_id: string | null;
  author_name: string | null;
  body_text: string;
  body_html: string;
  created_at: Date;
  /** Outbound e-mail delivery of a public reply: queued, sent, retrying, failed, bounced (null: not mailed). */
  delivery_status: string | null;
  delivery_error: string | null;
  /** An inbound mail's quoted history (plain text), folded under body_text on display; null for others. */
  body_quoted?: string | null;
  /** The seq of the message's `message_added` event: its place in the ticket's history. */
  seq: string | null;
  /** The ticket the message was written on, when a merge moved it (null: the ticket it is on). */
  origin_ticket_id?: string | null;
};

export async function insertMessage(
  q: Queryable,
  m: { id?: string; ticketId: string; kind: MessageKind; authorKind: 'user' | 'contact' | 'system'; authorId: string | null; text: string; html: string; at: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    'INSERT INTO messages (id, ticket_id, kind, author_kind, author_id, body_text, body_html, created_at) VALUES (COALESCE($8::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [m.ticketId, m.kind, m.authorKind, m.authorId, m.text, m.html, m.at, m.id ?? null],
  );
  if (!row) throw new Error('insert into messages returned no row');
  return row.id;
}

// Messages written in the same instant keep the order in which they were written: the event log's seq
// (ordering by the random id alone would shuffle them).
const MESSAGE_SELECT = `SELECT m.*, COALESCE(u.name, c.name) AS author_name, e.seq::text AS seq FROM messages m
  LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id
  LEFT JOIN contacts c ON m.author_kind = 'contact' AND c.id = m.author_id
  LEFT JOIN ticket_events e ON e.ticket_id IN (m.ticket_id, m.origin_ticket_id) AND e.kind = 'message_added' AND e.after->>'message_id' = m.id::text`;

/**
 * A ticket's conversation: the messages on it and those written on it before it was merged into another
 * (`origin_ticket_id`). `scope` (customers) is a predicate over the alias `t`, the ticket each message was
 * written on (core/auth/ticket-access.ts `ticketScopeSql` from $2): a customer reads a message only when
 * they may see that ticket, so after a merge neither customer reads the other's conversation.
 */
export async function listMessages(q: Queryable, ticketId: string, publicOnly: boolean, scope?: { sql: string; params: unknown[] }): Promise<MessageRow[]> {
  return q.query<MessageRow>(
    `${MESSAGE_SELECT} ${scope ? `JOIN tickets t ON t.id = COALESCE(m.origin_ticket_id, m.ticket_id)` : ''}
     WHERE (m.ticket_id = $1 OR m.origin_ticket_id = $1) ${publicOnly ? "AND m.kind <> 'internal'" : ''} ${scope ? `AND ${scope.sql}` : ''}
     ORDER BY m.created_at, e.seq, m.id`, [ticketId, ...(scope?.params ?? [])]);
}

export async function findMessage(q: Queryable, id: string): Promise<MessageRow | null> {
  const [row] = await q.query<MessageRow>(`${MESSAGE_SELECT} WHERE m.id = $1`, [id]);
  return row ?? null;
}

export type EventRow = {
  seq: string;
  ticket_id: string;
  actor_kind: ActorRef['kind'];
  actor_id: string | null;
  actor_name: string | null;
  kind: string;
  before: unknown;
  after: unknown;
  created_at: Date;
};

export async function listEvents(q: Queryable, ticketId: string): Promise<EventRow[]> {
  return q.query<EventRow>(
    `SELECT e.seq::text AS seq, e.ticket_id, e.actor_kind, e.actor_id, e.kind, e.before, e.after, e.created_at, COALESCE(u.name, c.name) AS actor_name
     FROM ticket_events e
     LEFT JOIN users u ON e.actor_kind IN ('user', 'api') AND u.id = e.actor_id
     LEFT JOIN contacts c ON e.actor_kind = 'contact' AND c.id = e.actor_id
     WHERE e.ticket_id = $1 ORDER BY e.seq`, [ticketId]);
}
