import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { EXPORT_COLUMNS, EXPORT_CONTENT_TYPE, EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from '../../core/reports/export-format.ts';
import { csvLine } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { FILTERED, filterParams, kpiFilter, NEXT_PARAM } from './kpi-filter.ts';

// Tickets with their events and messages, streamed (docs/export.md): keyset pages over (created_at, id) — the
// tickets_created_idx order — of `batch` tickets. Each page is ONE statement whose answer is the page's text:
// PostgreSQL builds every JSON line (json_build_object, events and messages nested with json_agg) or CSV row
// (the cells of core/reports/csv.ts, written as SQL) and joins them with string_agg, and the server passes that
// text straight through — no rows parsed into objects and serialized again (bench:reports: that round trip cost
// two thirds of the export's time). The caller pulls the next page only when it has written the last one, so
// memory stays at one page whatever the number of tickets, on PGlite as on PostgreSQL (no cursor and no
// transaction held open: PGlite runs one at a time, and a slow reader must not stall the server). Each page is
// its own snapshot: a ticket changed during a long export shows its state when its page was read.

export const exportQuery = z.strictObject({
  ...kpiFilter,
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  kind: z.enum(EXPORT_KINDS, { error: `must be one of ${EXPORT_KINDS.join(', ')}` }).default('tickets'),
  batch: z.coerce.number().int().min(1).max(5000).default(500),
}).refine((q) => q.format === 'csv' || q.kind === 'tickets', { path: ['kind'], message: 'JSON Lines nests events and messages in each ticket; kind is for csv' })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be after from' });
export type ExportQuery = z.infer<typeof exportQuery>;

export type TicketExport = { format: ExportFormat; kind: ExportKind; contentType: string; fileName: string; chunks: AsyncIterable<string> };

/** An instant as JavaScript's toISOString writes it (milliseconds, truncated as node-postgres reads them, and Z). */
const iso = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A text cell as core/reports/csv.ts writes it: empty for null, a leading apostrophe before a formula's first
 * character, quoted (quotes doubled) when it holds a quote, comma or line break. test/export.test.ts holds the
 * two equal.
 */
const csvText = (v: string) => {
  const safe = `CASE WHEN left(${v}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${v} ELSE ${v} END`;
  return `CASE WHEN ${v} IS NULL THEN ''
    WHEN strpos(${v}, '"') > 0 OR strpos(${v}, ',') > 0 OR strpos(${v}, chr(13)) > 0 OR strpos(${v}, chr(10)) > 0 THEN '"' || replace(${safe}, '"', '""') || '"'
    ELSE ${safe} END`;
};
/** Numbers and instants need neither apostrophe nor quotes. */
const csvPlain = (v: string) => `COALESCE((${v})::text, '')`;
const csvRow = (cells: string[]) => `${cells.join(` || ',' || `)} || chr(13) || chr(10)`;

// $1 from, $2 to, $3…$10 the report filter, $11/$12 the last page's (created_at, id), $13 the page size, $14 the
// ticket prefix. The key goes back as text: a JavaScript Date would drop the microseconds and skip or repeat
// tickets at a page's edge.
const PAGE = `page AS MATERIALIZED (
  SELECT f.* FROM (${FILTERED}) f
   WHERE f.created_at >= $1 AND f.created_at < $2 AND (f.created_at, f.id) > ($${NEXT_PARAM}::timestamptz, $${NEXT_PARAM + 1}::uuid)
   ORDER BY f.created_at, f.id LIMIT $${NEXT_PARAM + 2})`;
const EDGE = `(SELECT created_at::text FROM page ORDER BY created_at DESC, id DESC LIMIT 1) AS key,
  (SELECT id FROM page ORDER BY created_at DESC, id DESC LIMIT 1) AS id, (SELECT count(*)::int FROM page) AS n`;
const PREFIX = `$${NEXT_PARAM + 3}::text`;
const EVENTS = `SELECT e.ticket_id, e.seq, e.kind, e.actor_kind, COALESCE(u.email, c.email) AS actor, e.before, e.after, e.created_at
    FROM page p JOIN ticket_events e ON e.ticket_id = p.id
    LEFT JOIN users u ON e.actor_kind IN ('user', 'api') AND u.id = e.actor_id LEFT JOIN contacts c ON e.actor_kind = 'contact' AND c.id = e.actor_id`;
const MESSAGES = `SELECT m.ticket_id, m.id, m.kind, m.author_kind, COALESCE(u.email, c.email) AS author, m.body_text, m.created_at
    FROM page p JOIN messages m ON m.ticket_id = p.id
    LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id LEFT JOIN contacts c ON m.author_kind = 'contact' AND c.id = m.author_id`;
const TICKET_JOINS = `LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users u ON u.id = p.assignee_id
    LEFT JOIN contacts c ON c.id = p.requester_id LEFT JOIN organizations o ON o.id = p.organization_id`;

/** JSON Lines: each ticket with its events (by seq) and messages (by time), the opening customer message as `description`. */
const JSONL_SQL = `WITH ${PAGE},
ev AS (SELECT x.ticket_id, json_agg(json_build_object('seq', x.seq, 'kind', x.kind, 'actor_kind', x.actor_kind, 'actor', x.actor,
          'before', x.before, 'after', x.after, 'created_at', ${iso('x.created_at')}) ORDER BY x.seq) AS events
        FROM (${EVENTS}) x GROUP BY x.ticket_id),
ms AS (SELECT x.ticket_id, json_agg(json_build_object('kind', x.kind, 'author_kind', x.author_kind, 'author', x.author, 'body_text', x.body_text,
          'created_at', ${iso('x.created_at')}) ORDER BY x.created_at, x.id) AS messages,
          (array_agg(CASE WHEN x.kind = 'public' AND x.author_kind = 'contact' THEN x.body_text END ORDER BY x.created_at, x.id))[1] AS opening
        FROM (${MESSAGES}) x GROUP BY x.ticket_id)
SELECT (SELECT string_agg(json_build_object(
    'number', p.number, 'ref', ${PREFIX} || p.number, 'subject', p.subject, 'status', p.status, 'priority', p.priority, 'urgency', p.urgency,
    'type', p.type, 'channel', p.channel, 'group', g.name, 'assignee', u.email, 'requester', c.email, 'requester_name', c.name, 'organization', o.name,
    'tags', p.tags, 'language', p.language, 'created_at', ${iso('p.created_at')}, 'updated_at', ${iso('p.updated_at')},
    'first_responded_at', ${iso('p.first_responded_at')}, 'solved_at', ${iso('p.solved_at')}, 'closed_at', ${iso('p.closed_at')},
    'imported', CASE WHEN p.import_source <> '' AND p.external_id <> '' THEN json_build_object('source', p.import_source, 'external_id', p.external_id) END,
    'description', ms.opening, 'events', COALESCE(ev.events, '[]'::json), 'messages', COALESCE(ms.messages, '[]'::json))::text || chr(10), '' ORDER BY p.created_at, p.id)
    FROM page p ${TICKET_JOINS} LEFT JOIN ev ON ev.ticket_id = p.id LEFT JOIN ms ON ms.ticket_id = p.id) AS text,
  ${EDGE}`;

/** A jsonb value as a CSV cell: its JSON text, empty for SQL or JSON null. */
const jsonCell = (v: string) => csvText(`CASE WHEN ${v} IS NULL OR jsonb_typeof(${v}) = 'null' THEN NULL ELSE ${v}::text END`);

const CSV_SQL: Record<ExportKind, string> = {
  tickets: `WITH ${PAGE}
SELECT (SELECT string_agg(${csvRow([csvText(`${PREFIX} || p.number`), csvPlain('p.number'), csvText('p.subject'), csvText('p.status'), csvText('p.priority'),
    csvText('p.urgency'), csvText('p.type'), csvText('p.channel'), csvText('g.name'), csvText('u.email'), csvText('c.email'), csvText('c.name'), csvText('o.name'),
    csvText(`array_to_string(p.tags, ' ')`), csvText('p.language'), csvPlain(iso('p.created_at')), csvPlain(iso('p.updated_at')), csvPlain(iso('p.first_responded_at')),
    csvPlain(iso('p.solved_at')), csvPlain(iso('p.closed_at')), csvText(`CASE WHEN p.import_source <> '' AND p.external_id <> '' THEN p.import_source END`),
    csvText(`CASE WHEN p.import_source <> '' AND p.external_id <> '' THEN p.external_id END`)])}, '' ORDER BY p.created_at, p.id)
    FROM page p ${TICKET_JOINS}) AS text,
  ${EDGE}`,
  events: `WITH ${PAGE}
SELECT (SELECT string_agg(${csvRow([csvText(`${PREFIX} || p.number`), csvPlain('x.seq'), csvText('x.kind'), csvText('x.actor_kind'), csvText('x.actor'),
    jsonCell('x.before'), jsonCell('x.after'), csvPlain(iso('x.created_at'))])}, '' ORDER BY p.created_at, p.id, x.seq)
    FROM (${EVENTS}) x JOIN page p ON p.id = x.ticket_id) AS text,
  ${EDGE}`,
  messages: `WITH ${PAGE}
SELECT (SELECT string_agg(${csvRow([csvText(`${PREFIX} || p.number`), csvText('x.kind'), csvText('x.author_kind'), csvText('x.author'),
    csvPlain(iso('x.created_at')), csvText('x.body_text')])}, '' ORDER BY p.created_at, p.id, x.created_at, x.id)
    FROM (${MESSAGES}) x JOIN page p ON p.id = x.ticket_id) AS text,
  ${EDGE}`,
};

type PageRow = { text: string | null; key: string | null; id: string | null; n: number };

async function* pages(ctx: AppContext, q: ExportQuery): AsyncGenerator<string> {
  const sql = q.format === 'jsonl' ? JSONL_SQL : CSV_SQL[q.kind];
  let after: { key: string; id: string } | null = { key: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
  if (q.format === 'csv') yield csvLine(EXPORT_COLUMNS[q.kind]);
  while (after) {
    const rows: PageRow[] = await ctx.db.query<PageRow>(sql,
      [q.from ?? '-infinity', q.to ?? 'infinity', ...filterParams(q), after.key, after.id, q.batch, ctx.settings.ticketPrefix]);
    const page = rows[0];
    if (page?.text) yield page.text;
    after = page && page.n === q.batch && page.key && page.id ? { key: page.key, id: page.id } : null;
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
  return { format: q.format, kind: q.kind, contentType: EXPORT_CONTENT_TYPE[q.format], fileName: `${q.kind}.${ext}`, chunks: pages(ctx, q) };
}
