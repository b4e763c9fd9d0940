import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { EXPORT_CONTENT_TYPE, EXPORT_FORMATS, EXPORT_KINDS, exportChunk, type ExportEvent, type ExportFormat, type ExportKind, RawJson, type ExportMessage, type ExportTicket } from '../../core/reports/export-format.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { exportCopySql } from './export-copy-sql.ts';
import { FILTERED, filterParams, kpiFilter, NEXT_PARAM } from './kpi-filter.ts';

// Tickets with their events and messages, streamed (docs/export.md). On PostgreSQL: one statement building each
// ticket's text in SQL (export-copy-sql.ts), streamed by COPY with the socket's backpressure — one snapshot, nothing
// parsed or built in node (bench:reports at 1 M: a CSV of tickets 2–3× the paged path's rate; JSON Lines the same
// within noise, both bound by PostgreSQL reading each ticket's messages and events). On PGlite, the embedded engine without COPY to a client, and the reference the COPY path is
// tested against (test/pg/export-copy.test.ts): keyset pages over (created_at, id) — the
// tickets_created_idx order — of `batch` tickets, each page three statements (tickets, their events, their
// messages), turned into text one page at a time. The caller pulls the next page only when it has written the
// last one, so memory stays at one page whatever the number of tickets, on PGlite as on PostgreSQL (no cursor
// and no transaction held open: PGlite runs one at a time, and a slow reader must not stall the server). Each
// page is its own snapshot: a ticket changed during a long export shows its state when its page was read.

export const exportQuery = z.strictObject({
  ...kpiFilter,
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  kind: z.enum(EXPORT_KINDS, { error: `must be one of ${EXPORT_KINDS.join(', ')}` }).default('tickets'),
  batch: z.coerce.number().int().min(1).max(5000).default(500),
}).refine((q) => q.format === 'csv' || q.kind === 'tickets', { path: ['kind'], message: 'JSON Lines nests events and messages in each ticket; kind is for csv' })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be after from' });
export type ExportQuery = z.infer<typeof exportQuery>;

export type TicketExport = { format: ExportFormat; kind: ExportKind; contentType: string; fileName: string; chunks: AsyncIterable<string | Buffer> };

type TicketRow = {
  id: string; key: string; number: number; subject: string; status: string; priority: string; urgency: string; type: string; channel: string;
  group_name: string | null; assignee: string | null; requester: string | null; requester_name: string | null; organization: string | null;
  tags: string[]; language: string | null; created_at: Date; updated_at: Date; first_responded_at: Date | null; solved_at: Date | null; closed_at: Date | null;
  import_source: string | null; external_id: string | null;
};

// $1 from, $2 to, $3…$10 the report filter, $11/$12 the last page's (created_at, id), $13 the page size. The key is
// read as text: a JavaScript Date would drop the microseconds and skip or repeat tickets at a page's edge.
const PAGE_SQL = `WITH f AS (${FILTERED})
  SELECT f.id, f.created_at::text AS key, f.number, f.subject, f.status, f.priority, f.urgency, f.type, f.channel, g.name AS group_name,
         u.email AS assignee, c.email AS requester, c.name AS requester_name, o.name AS organization, f.tags, f.language,
         f.created_at, f.updated_at, f.first_responded_at, f.solved_at, f.closed_at, f.import_source, f.external_id
    FROM f LEFT JOIN groups g ON g.id = f.group_id LEFT JOIN users u ON u.id = f.assignee_id
    LEFT JOIN contacts c ON c.id = f.requester_id LEFT JOIN organizations o ON o.id = f.organization_id
   WHERE f.created_at >= $1 AND f.created_at < $2 AND (f.created_at, f.id) > ($${NEXT_PARAM}::timestamptz, $${NEXT_PARAM + 1}::uuid)
   ORDER BY f.created_at, f.id LIMIT $${NEXT_PARAM + 2}`;

// Events and messages as text PostgreSQL writes: the JSON of before/after and the instants in the export's own
// format (as Date#toISOString), so node-postgres parses neither a JSON value nor a date per row.
const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const EVENTS_SQL = `SELECT e.ticket_id, e.seq::int AS seq, e.kind, e.actor_kind, COALESCE(u.email, c.email) AS actor, e.before::text AS before,
         e.after::text AS after, ${ISO('e.created_at')} AS created_at
    FROM ticket_events e LEFT JOIN users u ON e.actor_kind IN ('user', 'api') AND u.id = e.actor_id LEFT JOIN contacts c ON e.actor_kind = 'contact' AND c.id = e.actor_id
   WHERE e.ticket_id = ANY($1::uuid[]) ORDER BY e.ticket_id, e.seq`;

const MESSAGES_SQL = `SELECT m.ticket_id, m.kind, m.author_kind, COALESCE(u.email, c.email) AS author, m.body_text, ${ISO('m.created_at')} AS created_at
    FROM messages m LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id LEFT JOIN contacts c ON m.author_kind = 'contact' AND c.id = m.author_id
   WHERE m.ticket_id = ANY($1::uuid[]) ORDER BY m.ticket_id, m.created_at, m.id`;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
const raw = (text: string | null): RawJson | null => (text === null ? null : new RawJson(text));

function groupBy<T extends { ticket_id: string }, U>(rows: T[], map: (r: T) => U): Map<string, U[]> {
  const out = new Map<string, U[]>();
  for (const r of rows) {
    const list = out.get(r.ticket_id);
    if (list) list.push(map(r));
    else out.set(r.ticket_id, [map(r)]);
  }
  return out;
}

/** One page of tickets after `after` (the previous page's last key), with events and messages. */
async function readPage(ctx: AppContext, q: ExportQuery, after: { key: string; id: string }): Promise<{ tickets: ExportTicket[]; last: { key: string; id: string } | null }> {
  const rows = await ctx.db.query<TicketRow>(PAGE_SQL,
    [q.from ?? '-infinity', q.to ?? 'infinity', ...filterParams(q), after.key, after.id, q.batch]);
  if (rows.length === 0) return { tickets: [], last: null };
  const ids = rows.map((r) => r.id);
  // Only what the format writes: a CSV of tickets reads neither, a CSV of events no messages, and so on.
  const jsonl = q.format === 'jsonl';
  const [events, messages] = await Promise.all([
    jsonl || q.kind === 'events'
      ? ctx.db.query<{ ticket_id: string; seq: number; kind: string; actor_kind: string; actor: string | null; before: string | null; after: string | null; created_at: string }>(EVENTS_SQL, [ids])
      : [],
    jsonl || q.kind === 'messages'
      ? ctx.db.query<{ ticket_id: string; kind: string; author_kind: string; author: string | null; body_text: string; created_at: string }>(MESSAGES_SQL, [ids])
      : [],
  ]);
  const eventsOf = groupBy(events, (e): ExportEvent => ({ seq: e.seq, kind: e.kind, actor_kind: e.actor_kind, actor: e.actor, before: raw(e.before), after: raw(e.after), created_at: e.created_at }));
  const messagesOf = groupBy(messages, (m): ExportMessage => ({ kind: m.kind, author_kind: m.author_kind, author: m.author, body_text: m.body_text, created_at: m.created_at }));
  const prefix = ctx.settings.ticketPrefix;
  const tickets = rows.map((r): ExportTicket => {
    const msgs = messagesOf.get(r.id) ?? [];
    const opening = msgs[0]?.kind === 'public' && msgs[0].author_kind === 'contact' ? msgs[0].body_text : null;
    return {
      number: r.number, ref: `${prefix}${r.number}`, subject: r.subject, status: r.status, priority: r.priority, urgency: r.urgency, type: r.type, channel: r.channel,
      group: r.group_name, assignee: r.assignee, requester: r.requester, requester_name: r.requester_name, organization: r.organization,
      tags: r.tags, language: r.language, created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString(),
      first_responded_at: iso(r.first_responded_at), solved_at: iso(r.solved_at), closed_at: iso(r.closed_at),
      imported: r.import_source && r.external_id ? { source: r.import_source, external_id: r.external_id } : null,
      description: opening, events: eventsOf.get(r.id) ?? [], messages: msgs,
    };
  });
  const tail = rows[rows.length - 1];
  return { tickets, last: tail && rows.length === q.batch ? { key: tail.key, id: tail.id } : null };
}

async function* copied(ctx: AppContext, q: ExportQuery, copyText: (sql: string, params: readonly unknown[]) => AsyncIterable<Buffer>): AsyncGenerator<string | Buffer> {
  if (q.format === 'csv') yield exportChunk('csv', q.kind, [], true); // the header
  yield* copyText(exportCopySql(q.format, q.kind), [q.from ?? '-infinity', q.to ?? 'infinity', ...filterParams(q), ctx.settings.ticketPrefix]);
}

/**
 * COPY exports at once per database handle. Each holds a pool connection and its snapshot for the whole download
 * (paused, not released, while the client is slow), so a few slow downloads must not take the pool from every other
 * request: beyond these, an export streams by keyset pages, which hold a connection per page only. The bytes are
 * the same either way (test/pg/export-copy.test.ts).
 */
const COPY_SLOTS = 2;
const copying = new WeakMap<object, number>();

async function* streamed(ctx: AppContext, q: ExportQuery): AsyncGenerator<string | Buffer> {
  const copyText = ctx.db.copyText;
  const running = copying.get(ctx.db) ?? 0;
  if (!copyText || running >= COPY_SLOTS) {
    yield* pages(ctx, q);
    return;
  }
  copying.set(ctx.db, running + 1);
  try {
    yield* copied(ctx, q, copyText);
  } finally {
    copying.set(ctx.db, (copying.get(ctx.db) ?? 1) - 1);
  }
}

async function* pages(ctx: AppContext, q: ExportQuery): AsyncGenerator<string> {
  let after: { key: string; id: string } | null = { key: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
  let first = true;
  while (after) {
    const page = await readPage(ctx, q, after);
    const text = exportChunk(q.format, q.kind, page.tickets, first);
    first = false;
    if (text) yield text;
    after = page.last;
  }
}

/**
 * Checks the request and who asks, then hands back the export as text chunks read on demand. `actor` null is the
 * command line (the operator of the server's own database, as for `replyby import`).
 */
export function exportTickets(ctx: AppContext, actor: Principal | null, raw: unknown): TicketExport {
  if (actor) requireStaff(actor, MANAGERS);
  const q = parseInput(exportQuery, raw);
  const ext = q.format === 'jsonl' ? 'jsonl' : 'csv';
  return { format: q.format, kind: q.kind, contentType: EXPORT_CONTENT_TYPE[q.format], fileName: `${q.kind}.${ext}`, chunks: streamed(ctx, q) };
}
