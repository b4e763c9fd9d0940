import type { ExportFormat, ExportKind } from '../../core/reports/export-format.ts';
import { FILTERED } from './kpi-filter.ts';

// The export built by PostgreSQL (docs/export.md, "On PostgreSQL"): one statement whose single text column is, per
// ticket, its whole JSON Lines line or its CSV rows of the kind asked, streamed by COPY (store/copy-text.ts). The
// texts are byte for byte what the paged path writes with core/reports/export-format.ts and csv.ts — the same keys
// in the same order, `to_json` escaping strings as JSON.stringify does, instants as Date#toISOString (milliseconds,
// truncated), and CSV cells under the same rules (a formula defused with a leading ', quoted when they hold a quote,
// comma or line break, CRLF line ends). test/pg/export-copy.test.ts holds the two paths equal.
//
// Parameters: $1 from, $2 to, $3…$10 the report filter (kpi-filter.ts), $11 the ticket prefix.
export const PREFIX_PARAM = 11;

const ISO_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** An instant as toISOString() writes it. */
const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', ${ISO_FORMAT})`;
const isoJson = (col: string) => `COALESCE('"' || ${iso(col)} || '"', 'null')`;
/** A string (or null) as JSON. */
const str = (expr: string) => `COALESCE(to_json(${expr})::text, 'null')`;

/** csv.ts's cell for a text value: null is empty; =, +, -, @, tab or CR first gets a '; quoted if it holds ", comma, CR or LF. */
const defused = (x: string) => `(CASE WHEN ${x} ~ '^[=+@\\t\\r-]' THEN '''' || ${x} ELSE ${x} END)`;
const cell = (x: string) =>
  `(CASE WHEN ${x} IS NULL THEN '' WHEN ${x} ~ '[",\\r\\n]' THEN '"' || replace(${defused(x)}, '"', '""') || '"' ELSE ${defused(x)} END)`;
/** An instant's cell: ISO text never needs quoting. */
const isoCell = (col: string) => `COALESCE(${iso(col)}, '')`;
const row = (cells: string[]) => `${cells.join(` || ',' || `)} || E'\\r\\n'`;

const REF = `($${PREFIX_PARAM} || f.number)`;
const ACTOR = 'COALESCE(u.email, c.email)';

const EVENTS_FROM = `FROM ticket_events e
      LEFT JOIN users u ON e.actor_kind IN ('user', 'api') AND u.id = e.actor_id
      LEFT JOIN contacts c ON e.actor_kind = 'contact' AND c.id = e.actor_id
     WHERE e.ticket_id = f.id`;
const MESSAGES_FROM = `FROM messages m
      LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id
      LEFT JOIN contacts c ON m.author_kind = 'contact' AND c.id = m.author_id
     WHERE m.ticket_id = f.id`;

const EVENT_JSON = `'{"seq":' || e.seq || ',"kind":' || ${str('e.kind')} || ',"actor_kind":' || ${str('e.actor_kind')} || ',"actor":' || ${str(ACTOR)}
  || ',"before":' || COALESCE(e.before::text, 'null') || ',"after":' || COALESCE(e.after::text, 'null') || ',"created_at":' || ${isoJson('e.created_at')} || '}'`;
const MESSAGE_JSON = `'{"kind":' || ${str('m.kind')} || ',"author_kind":' || ${str('m.author_kind')} || ',"author":' || ${str(ACTOR)}
  || ',"body_text":' || ${str('m.body_text')} || ',"created_at":' || ${isoJson('m.created_at')} || '}'`;

/** Both parts of `imported` present and non-empty, as the paged path's truthiness test. */
const IMPORTED = `(f.import_source <> '' AND f.external_id <> '')`;

const TICKET_JSON = `'{"number":' || f.number || ',"ref":' || ${str(REF)} || ',"subject":' || ${str('f.subject')}
  || ',"status":' || ${str('f.status')} || ',"priority":' || ${str('f.priority')} || ',"urgency":' || ${str('f.urgency')}
  || ',"type":' || ${str('f.type')} || ',"channel":' || ${str('f.channel')} || ',"group":' || ${str('g.name')}
  || ',"assignee":' || ${str('u.email')} || ',"requester":' || ${str('c.email')} || ',"requester_name":' || ${str('c.name')}
  || ',"organization":' || ${str('o.name')} || ',"tags":' || to_json(f.tags)::text || ',"language":' || ${str('f.language')}
  || ',"created_at":' || ${isoJson('f.created_at')} || ',"updated_at":' || ${isoJson('f.updated_at')}
  || ',"first_responded_at":' || ${isoJson('f.first_responded_at')} || ',"solved_at":' || ${isoJson('f.solved_at')}
  || ',"closed_at":' || ${isoJson('f.closed_at')}
  || ',"imported":' || CASE WHEN ${IMPORTED} THEN '{"source":' || ${str('f.import_source')} || ',"external_id":' || ${str('f.external_id')} || '}' ELSE 'null' END
  || ',"description":' || ${str('ms.opening')}
  || ',"events":[' || COALESCE((SELECT string_agg(${EVENT_JSON}, ',' ORDER BY e.seq) ${EVENTS_FROM}), '')
  || '],"messages":[' || COALESCE(ms.list, '') || ']}' || E'\\n'`;

// The messages of a JSON Lines line, and the opening one when a customer wrote it (the paged path's `description`).
const MESSAGES_LATERAL = `LEFT JOIN LATERAL (
    SELECT string_agg(${MESSAGE_JSON}, ',' ORDER BY m.created_at, m.id) AS list,
           (array_agg(CASE WHEN m.kind = 'public' AND m.author_kind = 'contact' THEN m.body_text END ORDER BY m.created_at, m.id))[1] AS opening
      ${MESSAGES_FROM}) ms ON true`;

const TICKET_CSV = row([
  cell(REF), 'f.number::text', cell('f.subject'), cell('f.status'), cell('f.priority'), cell('f.urgency'), cell('f.type'), cell('f.channel'),
  cell('g.name'), cell('u.email'), cell('c.email'), cell('c.name'), cell('o.name'), cell(`array_to_string(f.tags, ' ')`), cell('f.language'),
  isoCell('f.created_at'), isoCell('f.updated_at'), isoCell('f.first_responded_at'), isoCell('f.solved_at'), isoCell('f.closed_at'),
  `CASE WHEN ${IMPORTED} THEN ${cell('f.import_source')} ELSE '' END`, `CASE WHEN ${IMPORTED} THEN ${cell('f.external_id')} ELSE '' END`,
]);
const EVENTS_CSV = `COALESCE((SELECT string_agg(${row([cell(REF), 'e.seq::text', cell('e.kind'), cell('e.actor_kind'), cell(ACTOR), cell('e.before::text'),
  cell('e.after::text'), isoCell('e.created_at')])}, '' ORDER BY e.seq) ${EVENTS_FROM}), '')`;
const MESSAGES_CSV = `COALESCE((SELECT string_agg(${row([cell(REF), cell('m.kind'), cell('m.author_kind'), cell(ACTOR), isoCell('m.created_at'),
  cell('m.body_text')])}, '' ORDER BY m.created_at, m.id) ${MESSAGES_FROM}), '')`;

/** The statement for a format and kind: one text per ticket (tickets without events or messages give an empty one). */
export function exportCopySql(format: ExportFormat, kind: ExportKind): string {
  const jsonl = format === 'jsonl';
  const line = jsonl ? TICKET_JSON : kind === 'tickets' ? TICKET_CSV : kind === 'events' ? EVENTS_CSV : MESSAGES_CSV;
  // Only what the line uses is joined: a CSV of events needs no group, assignee or organization names.
  const names = jsonl || kind === 'tickets'
    ? `LEFT JOIN groups g ON g.id = f.group_id LEFT JOIN users u ON u.id = f.assignee_id
    LEFT JOIN contacts c ON c.id = f.requester_id LEFT JOIN organizations o ON o.id = f.organization_id`
    : '';
  return `WITH f AS (${FILTERED})
  SELECT ${line}
    FROM f ${names} ${jsonl ? MESSAGES_LATERAL : ''}
   WHERE f.created_at >= $1 AND f.created_at < $2
   ORDER BY f.created_at, f.id`;
}
