// RFC 4180 CSV with the line each record starts on (for error messages): quoted fields may hold the
// delimiter, doubled quotes and line breaks; CRLF, LF and a leading byte-order mark are accepted. No
// CSV library is installed, and the format is small enough to read whole here.

export type CsvRecord = { line: number; cells: string[] };
export type CsvProblem = { line: number; message: string };
export type CsvTable = { header: string[]; records: CsvRecord[]; problems: CsvProblem[] };

/** Splits `text` into records. A quote left open is a problem of the record it opens (the rest of the file is that record's). */
export function parseCsvRecords(text: string, delimiter = ','): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const d = delimiter.charCodeAt(0);
  let line = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let open = false;
    for (;;) {
      // One field.
      let value = '';
      if (s.charCodeAt(i) === 34 /* " */) {
        i++;
        let closed = false;
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c === 34) {
            if (s.charCodeAt(i + 1) === 34) { value += '"'; i += 2; continue; }
            i++;
            closed = true;
            break;
          }
          const next = s.indexOf('"', i);
          const end = next === -1 ? n : next;
          const chunk = s.slice(i, end);
          for (let k = 0; k < chunk.length; k++) {
            const ck = chunk.charCodeAt(k);
            if (ck === 10 || (ck === 13 && chunk.charCodeAt(k + 1) !== 10)) line++;
          }
          value += chunk;
          i = end;
        }
        if (!closed) { open = true; }
        // Characters after the closing quote up to the delimiter are kept (lenient, as spreadsheets write them).
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c === d || c === 10 || c === 13) break;
          value += s[i];
          i++;
        }
      } else {
        let j = i;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === d || c === 10 || c === 13) break;
          j++;
        }
        value = s.slice(i, j);
        i = j;
      }
      cells.push(value);
      if (i < n && s.charCodeAt(i) === d) { i++; continue; }
      break;
    }
    if (open) {
      problems.push({ line: start, message: 'a quoted value is never closed (a missing ")' });
      break;
    }
    // End of record.
    if (i < n && s.charCodeAt(i) === 13) i++;
    if (i < n && s.charCodeAt(i) === 10) i++;
    line++;
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: start, cells });
  }
  return { records, problems };
}

/** The header (first record) and the data records; a record whose cell count differs from the header's is a problem of its line. */
export function parseCsv(text: string, delimiter = ','): CsvTable {
  const { records, problems } = parseCsvRecords(text, delimiter);
  const [head, ...rest] = records;
  if (!head) return { header: [], records: [], problems: [...problems, { line: 1, message: 'the file is empty (no header line)' }] };
  const header = head.cells.map((c) => c.trim());
  const kept: CsvRecord[] = [];
  for (const r of rest) {
    if (r.cells.length !== header.length) problems.push({ line: r.line, message: `has ${r.cells.length} values, the header has ${header.length}` });
    else kept.push(r);
  }
  return { header, records: kept, problems: problems.sort((a, b) => a.line - b.line) };
}
