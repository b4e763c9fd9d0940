// CSV out (RFC 4180): every report table and drill-down exports with it. Values a spreadsheet would run as a
// formula (=, +, -, @, tab, carriage return first) get a leading apostrophe — a customer's subject
// "=HYPERLINK(…)" must not become a link in a supervisor's Excel (OWASP "CSV injection"). Numbers are written
// as numbers, so a negative duration stays a number.

export type CsvValue = string | number | boolean | null | undefined | Date;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(cell).join(',')}\r\n`;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
