import { IANAZone } from 'luxon';
import { z } from 'zod';
import { CHANNELS, TICKET_STATUSES } from '../tickets/ticket-model.ts';
import { URGENCIES } from '../promise/index.ts';

// The mapping file of an import (docs/import.md, specs/import-events.md): which column holds what, how
// timestamps are written, and how the source's values translate into Replyby's. Everything wrong here
// is the mapping's fault (exit 2), named by its path in the mapping.

const column = z.string({ error: 'must be a column name' }).min(1, 'must be a column name').max(200);
const zone = z.string().min(1).max(64).refine((z) => IANAZone.isValidZone(z), { message: 'is not an IANA time zone (e.g. "Europe/Berlin")' });
const format = z.string().min(1, 'must be a Luxon format such as "dd-MM-yyyy HH:mm"').max(100);

const dateField = z.strictObject({ column, format: format.optional(), zone: zone.optional() });
const valuesOf = <T extends string>(allowed: readonly T[]) =>
  z.record(z.string().max(500), z.enum(allowed as [T, ...T[]], { error: `must be one of ${allowed.join(', ')}` }));
const freeValues = z.record(z.string().max(500), z.string().trim().min(1, 'must not be empty').max(200));

export const mappingSchema = z.strictObject({
  source: z.string({ error: 'is required (a name for the system the file comes from)' }).trim().min(1, 'is required').max(100),
  case_id: column,
  /** When each row's change happened (event logs); for a ticket file, when the row was last updated (optional). */
  timestamp: z.strictObject({ column, format: format.optional(), zone: zone.optional() }).optional(),
  order_by: z.array(column).max(10).default([]),
  delimiter: z.enum([',', ';', '\t', '|'], { error: 'must be one of "," ";" "\\t" "|"' }).default(','),
  fields: z.strictObject({
    created_at: dateField.optional(),
    solved_at: dateField.optional(),
    closed_at: dateField.optional(),
    status: z.strictObject({ column, values: valuesOf(TICKET_STATUSES).optional() }).optional(),
    priority: z.strictObject({ column, values: freeValues.optional() }).optional(),
    urgency: z.strictObject({ column, values: valuesOf(URGENCIES).optional() }).optional(),
    channel: z.strictObject({ column, values: valuesOf(CHANNELS).optional() }).optional(),
    type: z.strictObject({ column, values: freeValues.optional() }).optional(),
    group: z.strictObject({ column, values: freeValues.optional() }).optional(),
    assignee: z.strictObject({ column, values: freeValues.optional() }).optional(),
    requester: z.strictObject({ column, values: freeValues.optional() }).optional(),
    subject: z.strictObject({ column }).optional(),
    description: z.strictObject({ column }).optional(),
  }, { error: 'must be an object of field mappings' }),
  /** Cell values meaning "no value" (the source's "?", "NULL", …). */
  missing: z.array(z.string().max(100)).max(50).default(['']),
});
export type ImportMapping = z.infer<typeof mappingSchema>;
export type ImportKind = 'events' | 'tickets';
export type MappingProblem = { path: string; message: string };

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');

/** The mapping, or every problem in it (each naming its path). An event log needs `timestamp` and `fields.status`. */
export function parseMapping(raw: unknown, kind: ImportKind): { ok: true; mapping: ImportMapping } | { ok: false; problems: MappingProblem[] } {
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        path: pathText(i.path) || 'mapping',
        message: i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message,
      })),
    };
  }
  const problems: MappingProblem[] = [];
  if (kind === 'events' && !parsed.data.timestamp) problems.push({ path: 'timestamp', message: 'is required for an event log (the column telling when each row\'s change happened)' });
  if (kind === 'events' && !parsed.data.fields.status) problems.push({ path: 'fields.status', message: 'is required for an event log' });
  return problems.length ? { ok: false, problems } : { ok: true, mapping: parsed.data };
}

/** Every column the mapping reads, with the mapping path that names it (to check against the file's header). */
export function mappedColumns(m: ImportMapping): { path: string; column: string }[] {
  const out: { path: string; column: string }[] = [{ path: 'case_id', column: m.case_id }];
  if (m.timestamp) out.push({ path: 'timestamp.column', column: m.timestamp.column });
  m.order_by.forEach((c, i) => out.push({ path: `order_by[${i}]`, column: c }));
  for (const [name, f] of Object.entries(m.fields)) if (f) out.push({ path: `fields.${name}.column`, column: f.column });
  return out;
}

/** Problems of a mapping against the columns the file has (a column named that the file lacks). */
export function checkColumns(m: ImportMapping, columns: readonly string[]): MappingProblem[] {
  const have = new Set(columns);
  const shown = columns.slice(0, 30).map((c) => `"${c}"`).join(', ');
  return mappedColumns(m).filter((c) => !have.has(c.column))
    .map((c) => ({ path: c.path, message: `no column "${c.column}" in the file (it has ${shown}${columns.length > 30 ? ', …' : ''})` }));
}
