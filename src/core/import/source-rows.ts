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

/** A JSON ticket file: an array of objects (or `{ "tickets": [...] }`); scalar values are read as text. */
export function jsonRows(text: string): SourceTable | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { error: `file: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const list = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null && Array.isArray((doc as Record<string, unknown>).tickets) ? (doc as { tickets: unknown[] }).tickets : null;
  if (!list) return { error: 'file: a JSON ticket file is an array of objects (or { "tickets": [...] })' };
  const columns = new Set<string>();
  const rows: SourceRow[] = [];
  const problems: SourceProblem[] = [];
  list.forEach((item, i) => {
    const ref = `record ${i + 1}`;
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
