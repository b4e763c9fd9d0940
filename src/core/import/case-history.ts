import { TICKET_STATUSES, type Channel, type TicketStatus } from '../tickets/ticket-model.ts';
import { CHANNELS } from '../tickets/ticket-model.ts';
import { URGENCIES, type Urgency } from '../promise/index.ts';
import type { ImportKind, ImportMapping } from './mapping.ts';
import type { SourceRow } from './source-rows.ts';
import { parseTimestamp, type ParsedInstant } from './timestamps.ts';

// A case's rows → the ticket's history: its creation, each change (status, priority, urgency, type,
// group, assignee) at the time of the row that made it, and its final state. Pure: names of groups,
// agents, requesters and types stay names here; the use case turns them into ids.

export type RowError = { ref: string; field: string; message: string };
export const rowErrorText = (e: RowError): string => `${e.ref}: ${e.field}: ${e.message}`;

export type CaseState = {
  status: TicketStatus; priority: string | null; urgency: Urgency | null; channel: Channel | null; type: string | null;
  group: string | null; assignee: string | null; requester: string | null; subject: string | null; description: string | null;
};
export const CHANGE_FIELDS = ['status', 'priority', 'urgency', 'type', 'group', 'assignee'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];
export type HistoryChange = { field: ChangeField; before: string | null; after: string | null; at: number; ref: string };
export type CaseHistory = {
  externalId: string; ref: string; createdAt: number; initial: CaseState; changes: HistoryChange[]; final: CaseState;
  solvedAt: number | null; closedAt: number | null; updatedAt: number; rows: number;
};

/** One row read through the mapping: the values it states (`undefined`: not mapped; `null`: missing in the row). */
type MappedRow = {
  ref: string; index: number; caseId: string | null; at: ParsedInstant | null; order: (string | null)[];
  createdAt: ParsedInstant | null; solvedAt: ParsedInstant | null; closedAt: ParsedInstant | null;
  status: TicketStatus | null | undefined; priority: string | null | undefined; urgency: Urgency | null | undefined; channel: Channel | null | undefined;
  type: string | null | undefined; group: string | null | undefined; assignee: string | null | undefined; requester: string | null | undefined;
  subject: string | null | undefined; description: string | null | undefined;
};

const quote = (v: string): string => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

/** Reads one row through the mapping, collecting every problem of it. */
export function mapRow(m: ImportMapping, row: SourceRow, index: number, kind: ImportKind): { row: MappedRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const missing = new Set(m.missing);
  const cell = (column: string): string | null => {
    const v = row.values[column];
    return v === undefined || v === null || missing.has(v) || missing.has(v.trim()) ? null : v;
  };
  const date = (column: string, format: string | undefined, zone: string | undefined): ParsedInstant | null => {
    const v = cell(column);
    if (v === null) return null;
    const f = format ?? m.timestamp?.format;
    const parsed = parseTimestamp(v, f, zone ?? m.timestamp?.zone ?? 'UTC');
    if (!parsed) errors.push({ ref: row.ref, field: column, message: `${quote(v)} is not a date in ${f === undefined ? 'ISO-8601 form' : quote(f)}` });
    return parsed;
  };
  const enumValue = <T extends string>(name: string, spec: { column: string; values?: Record<string, T> | undefined } | undefined, allowed: readonly T[]): T | null | undefined => {
    if (!spec) return undefined;
    const v = cell(spec.column);
    if (v === null) return null;
    const mapped = spec.values?.[v] ?? spec.values?.[v.trim()];
    if (mapped !== undefined) return mapped;
    if ((allowed as readonly string[]).includes(v.trim())) return v.trim() as T;
    errors.push({ ref: row.ref, field: spec.column, message: `${quote(v)} has no mapping to a ${name} (add it to fields.${name}.values; one of ${allowed.join(', ')})` });
    return null;
  };
  const listValue = (spec: { column: string; values?: Record<string, string> | undefined } | undefined): string | null | undefined => {
    if (!spec) return undefined;
    const v = cell(spec.column);
    if (v === null) return null;
    return spec.values?.[v] ?? spec.values?.[v.trim()] ?? (v.trim().slice(0, 200) || null);
  };
  const text = (spec: { column: string } | undefined): string | null | undefined => (spec ? cell(spec.column) : undefined);
  const f = m.fields;
  const caseId = cell(m.case_id)?.trim() || null;
  if (caseId === null) errors.push({ ref: row.ref, field: m.case_id, message: 'is missing (every row needs its case id)' });
  let at: ParsedInstant | null = null;
  if (m.timestamp) {
    at = date(m.timestamp.column, m.timestamp.format, m.timestamp.zone);
    if (kind === 'events' && cell(m.timestamp.column) === null) errors.push({ ref: row.ref, field: m.timestamp.column, message: 'is missing (every row of an event log needs the time of its change)' });
  }
  const mapped: MappedRow = {
    ref: row.ref, index, caseId, at, order: m.order_by.map((c) => cell(c)),
    createdAt: f.created_at ? date(f.created_at.column, f.created_at.format, f.created_at.zone) : null,
    solvedAt: f.solved_at ? date(f.solved_at.column, f.solved_at.format, f.solved_at.zone) : null,
    closedAt: f.closed_at ? date(f.closed_at.column, f.closed_at.format, f.closed_at.zone) : null,
    status: enumValue('status', f.status, TICKET_STATUSES),
    urgency: enumValue('urgency', f.urgency, URGENCIES),
    channel: enumValue('channel', f.channel, CHANNELS),
    priority: listValue(f.priority), type: listValue(f.type), group: listValue(f.group), assignee: listValue(f.assignee), requester: listValue(f.requester),
    subject: text(f.subject), description: text(f.description),
  };
  return { row: mapped, errors };
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
function compareOrder(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = NUMERIC.test(x) && NUMERIC.test(y) ? Number(x) - Number(y) : x < y ? -1 : 1;
    if (c !== 0) return c;
  }
  return 0;
}

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * The rows of one case in the order their changes happened: by `order_by` (the source's own sequence)
 * when the mapping names it, else by file order, each ambiguous wall time taken as its second occurrence
 * when the first would be before the row ahead of it; then by time (stable). With `order_by`, a row whose
 * time is before the one ahead of it goes back in time: the case is rejected.
 */
function orderRows(rows: readonly MappedRow[], byOrder: boolean): { rows: { row: MappedRow; at: number }[]; error: RowError | null } {
  const seq = [...rows].sort((a, b) => (byOrder ? compareOrder(a.order, b.order) : 0) || a.index - b.index);
  const timed: { row: MappedRow; at: number }[] = [];
  let prev = -Infinity;
  for (const row of seq) {
    if (!row.at) continue;
    const at = row.at.at < prev && row.at.later !== null && row.at.later >= prev ? row.at.later : row.at.at;
    if (byOrder && at < prev) {
      const ahead = timed[timed.length - 1];
      return { rows: [], error: { ref: row.ref, field: 'timestamp', message: `goes back in time: ${iso(at)} is before ${iso(prev)} of ${ahead?.row.ref ?? 'the row before'}, which comes earlier by ${'order_by'}` } };
    }
    timed.push({ row, at });
    prev = Math.max(prev, at);
  }
  if (!byOrder) timed.sort((a, b) => a.at - b.at || a.row.index - b.row.index);
  return { rows: timed, error: null };
}

const DEFAULT_STATE: CaseState = { status: 'new', priority: null, urgency: null, channel: null, type: null, group: null, assignee: null, requester: null, subject: null, description: null };

/** The state a row states, over the state before it: a missing value keeps the one before, except group and assignee (missing = none). */
function stateAfter(before: CaseState, r: MappedRow): CaseState {
  const keep = <T>(v: T | null | undefined, old: T): T => (v === undefined || v === null ? old : v);
  return {
    status: keep(r.status, before.status), priority: keep(r.priority, before.priority), urgency: keep(r.urgency, before.urgency),
    channel: keep(r.channel, before.channel), type: keep(r.type, before.type), requester: keep(r.requester, before.requester),
    group: r.group === undefined ? before.group : r.group, assignee: r.assignee === undefined ? before.assignee : r.assignee,
    subject: keep(r.subject, before.subject), description: keep(r.description, before.description),
  };
}

const instant = (p: ParsedInstant | null): number | null => (p ? p.at : null);

/** Time checks shared by both file kinds: solved and closed neither before creation nor closed before solved. */
function checkOrder(ref: string, m: ImportMapping, createdAt: number, solvedAt: number | null, closedAt: number | null): RowError | null {
  const col = (name: 'solved_at' | 'closed_at') => m.fields[name]?.column ?? name;
  if (solvedAt !== null && solvedAt < createdAt) return { ref, field: col('solved_at'), message: `goes back in time: ${iso(solvedAt)} is before the case was created (${iso(createdAt)})` };
  if (closedAt !== null && closedAt < createdAt) return { ref, field: col('closed_at'), message: `goes back in time: ${iso(closedAt)} is before the case was created (${iso(createdAt)})` };
  if (closedAt !== null && solvedAt !== null && closedAt < solvedAt) return { ref, field: col('closed_at'), message: `goes back in time: ${iso(closedAt)} is before it was solved (${iso(solvedAt)})` };
  return null;
}

/** An event log's case: the first row (in order) is its creation, each later row's differences are its changes. */
export function eventCase(m: ImportMapping, caseId: string, rows: readonly MappedRow[]): { history: CaseHistory } | { errors: RowError[] } {
  const ordered = orderRows(rows, m.order_by.length > 0);
  if (ordered.error) return { errors: [ordered.error] };
  const [first, ...rest] = ordered.rows;
  if (!first) return { errors: [{ ref: rows[0]?.ref ?? 'file', field: m.case_id, message: 'has no row with a time' }] };
  const statedCreated = instant(first.row.createdAt);
  if (statedCreated !== null && statedCreated > first.at) {
    return { errors: [{ ref: first.row.ref, field: m.timestamp?.column ?? 'timestamp', message: `goes back in time: ${iso(first.at)} is before the case was created (${iso(statedCreated)}, ${m.fields.created_at?.column ?? 'created_at'})` }] };
  }
  const createdAt = statedCreated ?? first.at;
  const initial = stateAfter(DEFAULT_STATE, first.row);
  let state = initial;
  const changes: HistoryChange[] = [];
  let lastSolved: number | null = initial.status === 'solved' || initial.status === 'closed' ? createdAt : null;
  let lastClosed: number | null = initial.status === 'closed' ? createdAt : null;
  for (const { row, at } of rest) {
    const next = stateAfter(state, row);
    for (const field of CHANGE_FIELDS) {
      if (next[field] !== state[field]) changes.push({ field, before: state[field], after: next[field], at, ref: row.ref });
    }
    if (next.status !== state.status) {
      if (next.status === 'solved') lastSolved = at;
      if (next.status === 'closed') { lastClosed = at; lastSolved = state.status === 'solved' ? lastSolved : at; }
    }
    state = next;
  }
  const last = ordered.rows[ordered.rows.length - 1] ?? first;
  const done = state.status === 'solved' || state.status === 'closed';
  const solvedAt = done ? instant(last.row.solvedAt) ?? lastSolved : null;
  const closedAt = state.status === 'closed' ? instant(last.row.closedAt) ?? lastClosed : null;
  const problem = checkOrder(last.row.ref, m, createdAt, solvedAt, closedAt);
  if (problem) return { errors: [problem] };
  return { history: { externalId: caseId, ref: first.row.ref, createdAt, initial, changes, final: state, solvedAt, closedAt, updatedAt: last.at, rows: rows.length } };
}

/**
 * A ticket file's row: created (as new, with the row's attributes) at created_at, solved at solved_at,
 * closed at closed_at, and then the row's status if that is not where those left it — at the row's
 * timestamp, or the latest of those instants.
 */
export function ticketCase(m: ImportMapping, caseId: string, row: MappedRow): { history: CaseHistory } | { errors: RowError[] } {
  const createdAt = instant(row.createdAt) ?? instant(row.at);
  if (createdAt === null) {
    return { errors: [{ ref: row.ref, field: m.fields.created_at?.column ?? 'created_at', message: m.fields.created_at ? 'is missing (a ticket needs the time it was created)' : 'is not mapped: map fields.created_at (or timestamp) to the column with the creation time' }] };
  }
  const solved = instant(row.solvedAt);
  const closed = instant(row.closedAt);
  const problem = checkOrder(row.ref, m, createdAt, solved, closed);
  if (problem) return { errors: [problem] };
  const stamped = instant(row.at);
  if (stamped !== null && stamped < createdAt) return { errors: [{ ref: row.ref, field: m.timestamp?.column ?? 'timestamp', message: `goes back in time: ${iso(stamped)} is before the case was created (${iso(createdAt)})` }] };
  const attrs = stateAfter(DEFAULT_STATE, { ...row, status: undefined });
  const initial: CaseState = { ...attrs, status: 'new' };
  const finalStatus: TicketStatus = row.status ?? (closed !== null ? 'closed' : solved !== null ? 'solved' : 'new');
  const lastAt = stamped ?? Math.max(createdAt, solved ?? createdAt, closed ?? createdAt);
  const changes: HistoryChange[] = [];
  let status: TicketStatus = 'new';
  const move = (to: TicketStatus, at: number) => {
    if (to === status) return;
    changes.push({ field: 'status', before: status, after: to, at, ref: row.ref });
    status = to;
  };
  // The instants the file states; a final status of solved/closed without its instant happens at lastAt.
  const wantsSolved = finalStatus === 'solved' || finalStatus === 'closed';
  if (solved !== null) move('solved', solved);
  else if (wantsSolved && finalStatus === 'solved') move('solved', lastAt);
  if (closed !== null) move('closed', closed);
  else if (finalStatus === 'closed') move('closed', lastAt);
  move(finalStatus, Math.max(lastAt, changes[changes.length - 1]?.at ?? createdAt));
  const solvedAt = finalStatus === 'solved' || finalStatus === 'closed' ? solved ?? changes.find((c) => c.after === 'solved' || c.after === 'closed')?.at ?? null : null;
  const closedAt = finalStatus === 'closed' ? closed ?? changes.find((c) => c.after === 'closed')?.at ?? null : null;
  const updatedAt = Math.max(lastAt, ...changes.map((c) => c.at));
  return { history: { externalId: caseId, ref: row.ref, createdAt, initial, changes, final: { ...attrs, status: finalStatus }, solvedAt, closedAt, updatedAt, rows: 1 } };
}

export type CaseOutcome = { caseId: string; ref: string; rows: number } & ({ history: CaseHistory } | { errors: RowError[] });

/**
 * Every case of a file: rows grouped by case id (in order of first appearance), each case either a
 * history or the errors that reject it (all or nothing per ticket). Rows without a case id are
 * returned apart (they belong to no ticket).
 */
export function buildCases(m: ImportMapping, rows: readonly SourceRow[], kind: ImportKind): { cases: CaseOutcome[]; orphanErrors: RowError[] } {
  const groups = new Map<string, { rows: MappedRow[]; errors: RowError[] }>();
  const orphanErrors: RowError[] = [];
  rows.forEach((source, index) => {
    const { row, errors } = mapRow(m, source, index, kind);
    if (row.caseId === null) {
      orphanErrors.push(...errors);
      return;
    }
    let g = groups.get(row.caseId);
    if (!g) groups.set(row.caseId, (g = { rows: [], errors: [] }));
    g.rows.push(row);
    g.errors.push(...errors);
  });
  const cases: CaseOutcome[] = [];
  for (const [caseId, g] of groups) {
    const base = { caseId, ref: g.rows[0]?.ref ?? 'file', rows: g.rows.length };
    if (g.errors.length) { cases.push({ ...base, errors: g.errors }); continue; }
    if (kind === 'tickets' && g.rows.length > 1) {
      cases.push({ ...base, errors: [{ ref: g.rows[1]?.ref ?? base.ref, field: m.case_id, message: `${quote(caseId)} is also on ${base.ref} (a ticket file has one row per ticket)` }] });
      continue;
    }
    const first = g.rows[0];
    const out = kind === 'events' ? eventCase(m, caseId, g.rows) : first ? ticketCase(m, caseId, first) : { errors: [] };
    cases.push({ ...base, ...out });
  }
  return { cases, orphanErrors };
}
