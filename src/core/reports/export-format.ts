import { csvLine } from './csv.ts';

// The export's formats (docs/export.md), as pure functions of one batch of tickets: JSON Lines (one ticket per line,
// its events and messages nested) and CSV, one file per kind (tickets, events, messages — a CSV cell cannot nest).
// A streamed export calls `exportChunk` once per batch; the header goes with the first.

/**
 * A JSON value as PostgreSQL wrote it (`jsonb::text`), passed into a JSON Lines export as it is: the export no longer
 * parses each event's JSON only to stringify it again (bench:reports).
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export type ExportEvent = { seq: number; kind: string; actor_kind: string; actor: string | null; before: unknown; after: unknown; created_at: string };
export type ExportMessage = { kind: string; author_kind: string; author: string | null; body_text: string; created_at: string };
export type ExportTicket = {
  number: number; ref: string; subject: string; status: string; priority: string; urgency: string; type: string; channel: string;
  group: string | null; assignee: string | null; requester: string | null; requester_name: string | null; organization: string | null;
  tags: string[]; language: string | null;
  created_at: string; updated_at: string; first_responded_at: string | null; solved_at: string | null; closed_at: string | null;
  imported: { source: string; external_id: string } | null;
  /** The opening customer message, so a re-import (`import tickets`, docs/import.md) can map it as `description`. */
  description: string | null;
  events: ExportEvent[]; messages: ExportMessage[];
};

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_KINDS = ['tickets', 'events', 'messages'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const TICKET_COLUMNS = ['ticket', 'number', 'subject', 'status', 'priority', 'urgency', 'type', 'channel', 'group', 'assignee', 'requester',
  'requester_name', 'organization', 'tags', 'language', 'created_at', 'updated_at', 'first_responded_at', 'solved_at', 'closed_at',
  'import_source', 'external_id'] as const;
const EVENT_COLUMNS = ['ticket', 'seq', 'kind', 'actor_kind', 'actor', 'before', 'after', 'created_at'] as const;
const MESSAGE_COLUMNS = ['ticket', 'kind', 'author_kind', 'author', 'created_at', 'body_text'] as const;

export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = { tickets: TICKET_COLUMNS, events: EVENT_COLUMNS, messages: MESSAGE_COLUMNS };

const json = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof RawJson ? v.text : JSON.stringify(v));
const jsonValue = (v: unknown): string => json(v) ?? 'null';

/** One event as JSON, its before/after spliced in as PostgreSQL wrote them. */
const eventJson = (e: ExportEvent): string =>
  `{"seq":${e.seq},"kind":${JSON.stringify(e.kind)},"actor_kind":${JSON.stringify(e.actor_kind)},"actor":${jsonValue(e.actor)},` +
  `"before":${jsonValue(e.before)},"after":${jsonValue(e.after)},"created_at":${JSON.stringify(e.created_at)}}`;

/** One ticket's JSON Lines line: the same keys in the same order as JSON.stringify of the ticket. */
function ticketLine(t: ExportTicket): string {
  const { events, messages, ...head } = t;
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)},"events":[${events.map(eventJson).join(',')}],"messages":${JSON.stringify(messages)}}\n`;
}

function csvRows(kind: ExportKind, t: ExportTicket): string {
  if (kind === 'tickets') {
    return csvLine([t.ref, t.number, t.subject, t.status, t.priority, t.urgency, t.type, t.channel, t.group, t.assignee, t.requester,
      t.requester_name, t.organization, t.tags.join(' '), t.language, t.created_at, t.updated_at, t.first_responded_at, t.solved_at, t.closed_at,
      t.imported?.source, t.imported?.external_id]);
  }
  if (kind === 'events') return t.events.map((e) => csvLine([t.ref, e.seq, e.kind, e.actor_kind, e.actor, json(e.before), json(e.after), e.created_at])).join('');
  return t.messages.map((m) => csvLine([t.ref, m.kind, m.author_kind, m.author, m.created_at, m.body_text])).join('');
}

/** One batch as text: JSON Lines, or the CSV rows of `kind` (with the header when `first`). */
export function exportChunk(format: ExportFormat, kind: ExportKind, batch: readonly ExportTicket[], first: boolean): string {
  if (format === 'jsonl') return batch.map(ticketLine).join('');
  return (first ? csvLine(EXPORT_COLUMNS[kind]) : '') + batch.map((t) => csvRows(kind, t)).join('');
}

/**
 * The mapping that re-imports a JSON Lines export with `replyby import tickets FILE.jsonl --mapping …` (docs/import.md):
 * the ticket's fields, dates and opening message come back; its history is rebuilt by the importer (creation, solve,
 * close), not copied event by event (docs/export.md says what differs).
 */
export function reimportMapping(source: string): Record<string, unknown> {
  return {
    source, case_id: 'number', timestamp: { column: 'updated_at' },
    fields: {
      created_at: { column: 'created_at' }, solved_at: { column: 'solved_at' }, closed_at: { column: 'closed_at' },
      status: { column: 'status' }, priority: { column: 'priority' }, urgency: { column: 'urgency' }, type: { column: 'type' },
      channel: { column: 'channel' }, group: { column: 'group' }, assignee: { column: 'assignee' }, requester: { column: 'requester' },
      subject: { column: 'subject' }, description: { column: 'description' },
    },
    missing: [''],
  };
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = { jsonl: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' };
