import { parseCsv } from './csv.ts';

// A file's rows as the importer reads them: values by column name, and where each came from
// ("line 12" in a CSV file — the physical line the record starts on —, "record 3" in a JSON array).

export type SourceRow = { ref: string; values: Readonly<Record<string, string | null>> };
export type SourceProblem = { ref: string; message: string };
export type SourceTable = { columns: string[]; rows: SourceRow[]; problems: SourceProblem[] };

export function csvRows(text: string, delimiter: string): SourceTable {
  const table = parseCsv(text, delimiter);
  const rows = table.records.map((r) => {
    const values: Record<string, string | null> = {};
    table.header.forEach((h, i) => { values[h] = r.cells[i] ?? null; });
    return { ref: `line ${r.line}`, values };
  });
  return { columns: table.header, rows, problems: table.problems.map((p) => ({ ref: `line ${p.line}`, message: p.message })) };
}

/**
 * A JSON ticket file: an array of objects (or `{ "tickets": [...] }`), or JSON Lines — one object per line, as
 * `replyby export tickets --format jsonl` writes (docs/export.md); scalar values are read as text.
 */
export function jsonRows(text: string): SourceTable | { error: string } {
  const body = text.replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const lines = jsonLines(body);
    if (lines) return objectRows(lines);
    return { error: `file: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const list = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null && Array.isArray((doc as Record<string, unknown>).tickets) ? (doc as { tickets: unknown[] }).tickets : null;
  // One line of JSON Lines is a whole JSON document: one ticket.
  if (!list && typeof doc === 'object' && doc !== null && !('tickets' in doc)) return objectRows([{ ref: 'line 1', item: doc }]);
  if (!list) return { error: 'file: a JSON ticket file is an array of objects (or { "tickets": [...] })' };
  return objectRows(list.map((item, i) => ({ ref: `record ${i + 1}`, item })));
}

/** JSON Lines when the first line alone is an object; a line that is not JSON is that line's problem. */
function jsonLines(body: string): { ref: string; item: unknown }[] | null {
  const lines = body.split('\n');
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  };
  const first = parse(lines[0] ?? '');
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return null;
  const out: { ref: string; item: unknown }[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    out.push({ ref: `line ${i + 1}`, item: i === 0 ? first : parse(line) });
  });
  return out;
}

function objectRows(list: { ref: string; item: unknown }[]): SourceTable {
  const columns = new Set<string>();
  const rows: SourceRow[] = [];
  const problems: SourceProblem[] = [];
  list.forEach(({ ref, item }) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ ref, message: 'is not an object' });
      return;
    }
    const values: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(item)) {
      columns.add(k);
      values[k] = v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    rows.push({ ref, values });
  });
  return { columns: [...columns], rows, problems };
}
