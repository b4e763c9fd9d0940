import type { Queryable } from '../db.ts';
import type { NewEvent } from './tickets-repo.ts';

/** An imported ticket's row, every column settled before it is written. */
export type ImportedTicket = {
  id: string; subject: string; type: string; priority: string; status: string; stage: string; channel: string;
  requester_id: string; organization_id: string | null; group_id: string | null; assignee_id: string | null;
  created_at: Date; updated_at: Date; solved_at: Date | null; closed_at: Date | null; urgency: string;
  sla_policy_id: string | null; sla_next_due_at: string | null; sla_breached: boolean; sla_state: unknown;
  import_source: string; external_id: string;
};
export type ImportedMessage = { id: string; ticket_id: string; author_id: string; body_text: string; body_html: string; created_at: Date };
export type ImportedClock = {
  ticket_id: string; metric: string; policy_id: string | null; status: string; cycle_started_at: string | null; due_at: string | null; breached_at: string | null;
  fired: readonly string[]; next_action_key: string | null; next_action_at: string | null;
};

/** The external ids of `source` among `ids` that are already tickets. */
export async function existingExternalIds(q: Queryable, source: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q.query<{ external_id: string }>('SELECT external_id FROM tickets WHERE import_source = $1 AND external_id = ANY($2::text[])', [source, ids]);
  return new Set(rows.map((r) => r.external_id));
}

/**
 * Writes a batch of imported tickets — rows, first messages, events (in order) and clock schedules — in ONE
 * statement of data-modifying CTEs. No outbox row and no NOTIFY: imported history sends nothing.
 */
export async function insertImportedTickets(q: Queryable, w: { tickets: readonly ImportedTicket[]; messages: readonly ImportedMessage[]; events: readonly NewEvent[]; clocks: readonly ImportedClock[] }): Promise<void> {
  if (w.tickets.length === 0) return;
  await q.query(
    `WITH t AS (
       INSERT INTO tickets (id, subject, type, priority, status, stage, channel, requester_id, organization_id, group_id, assignee_id, created_at, updated_at,
         solved_at, closed_at, urgency, sla_policy_id, sla_next_due_at, sla_breached, sla_state, import_source, external_id)
       SELECT x.id, x.subject, x.type, x.priority, x.status, x.stage, x.channel, x.requester_id, x.organization_id, x.group_id, x.assignee_id, x.created_at, x.updated_at,
         x.solved_at, x.closed_at, x.urgency, x.sla_policy_id, x.sla_next_due_at, x.sla_breached, x.sla_state, x.import_source, x.external_id
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, subject text, type text, priority text, status text, stage text, channel text, requester_id uuid,
         organization_id uuid, group_id uuid, assignee_id uuid, created_at timestamptz, updated_at timestamptz, solved_at timestamptz, closed_at timestamptz, urgency text,
         sla_policy_id uuid, sla_next_due_at timestamptz, sla_breached boolean, sla_state jsonb, import_source text, external_id text, n bigint)
       ORDER BY x.n
       RETURNING id),
     m AS (
       INSERT INTO messages (id, ticket_id, kind, author_kind, author_id, body_text, body_html, created_at)
       SELECT x.id, x.ticket_id, 'public', 'contact', x.author_id, x.body_text, x.body_html, x.created_at
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, ticket_id uuid, author_id uuid, body_text text, body_html text, created_at timestamptz)),
     e AS (
       INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at)
       SELECT x.ticket_id, x.actor_kind, x.actor_id, x.kind, x.before, x.after, x.at
       FROM jsonb_to_recordset($3::jsonb) AS x(ticket_id uuid, actor_kind text, actor_id uuid, kind text, before jsonb, after jsonb, at timestamptz, n bigint)
       ORDER BY x.n)
     INSERT INTO sla_clocks (ticket_id, metric, policy_id, status, cycle_started_at, due_at, breached_at, fired, next_action_key, next_action_at, updated_at)
     SELECT x.ticket_id, x.metric, x.policy_id, x.status, x.cycle_started_at, x.due_at, x.breached_at, x.fired, x.next_action_key, x.next_action_at, now()
     FROM jsonb_to_recordset($4::jsonb) AS x(ticket_id uuid, metric text, policy_id uuid, status text, cycle_started_at timestamptz, due_at timestamptz,
                                              breached_at timestamptz, fired jsonb, next_action_key text, next_action_at timestamptz)`,
    [
      JSON.stringify(w.tickets.map((t, n) => ({ ...t, n }))),
      JSON.stringify(w.messages),
      JSON.stringify(w.events.map((e, n) => ({ n, ticket_id: e.ticketId, actor_kind: e.actor.kind, actor_id: e.actor.id, kind: e.kind, before: e.before, after: e.after, at: e.at }))),
      JSON.stringify(w.clocks),
    ]);
}

export type ImportRow = {
  id: string; kind: string; source: string | null; file_name: string; dry_run: boolean; status: string;
  rows_read: number; rows_total: number | null; tickets_total: number | null; tickets_written: number; tickets_existing: number; tickets_rejected: number; rows_rejected: number;
  errors: unknown; errors_total: number; policies: unknown; created: unknown; exit_code: number | null; created_by: string | null;
  started_at: Date; updated_at: Date; finished_at: Date | null;
};

export async function insertImportRow(q: Queryable, r: { kind: string; file_name: string; dry_run: boolean; created_by: string | null; now: Date }): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    "INSERT INTO imports (kind, file_name, dry_run, status, created_by, started_at, updated_at) VALUES ($1, $2, $3, 'running', $4, $5, $5) RETURNING id",
    [r.kind, r.file_name, r.dry_run, r.created_by, r.now]);
  if (!row) throw new Error('insert into imports returned no row');
  return row.id;
}

export type ImportRowPatch = Partial<Pick<ImportRow, 'source' | 'status' | 'rows_read' | 'rows_total' | 'tickets_total' | 'tickets_written' | 'tickets_existing' | 'tickets_rejected' | 'rows_rejected' | 'errors_total' | 'exit_code' | 'finished_at'>>
  & { errors?: unknown; policies?: unknown; created?: unknown };
const PATCHABLE = ['source', 'status', 'rows_read', 'rows_total', 'tickets_total', 'tickets_written', 'tickets_existing', 'tickets_rejected', 'rows_rejected', 'errors_total', 'exit_code', 'finished_at', 'errors', 'policies', 'created'] as const;
const JSON_COLUMNS = new Set(['errors', 'policies', 'created']);

export async function updateImportRow(q: Queryable, id: string, patch: ImportRowPatch, now: Date): Promise<void> {
  const entries = PATCHABLE.filter((k) => k in patch).map((k) => [k, JSON_COLUMNS.has(k) ? JSON.stringify(patch[k]) : patch[k]] as const);
  const sets = entries.map(([k], i) => `${k} = $${i + 3}${JSON_COLUMNS.has(k) ? '::jsonb' : ''}`);
  await q.query(`UPDATE imports SET updated_at = $2${sets.length ? `, ${sets.join(', ')}` : ''} WHERE id = $1`, [id, now, ...entries.map(([, v]) => v)]);
}

export async function findImportRow(q: Queryable, id: string): Promise<ImportRow | null> {
  const [row] = await q.query<ImportRow>('SELECT * FROM imports WHERE id = $1', [id]);
  return row ?? null;
}
