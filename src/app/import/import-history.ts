import { randomUUID } from 'node:crypto';
import type { Principal } from '../../core/auth/principal.ts';
import { buildCases, rowErrorText, type CaseHistory, type ChangeField, type RowError } from '../../core/import/case-history.ts';
import { checkColumns, parseMapping, type ImportKind, type ImportMapping, type MappingProblem } from '../../core/import/mapping.ts';
import { csvRows, jsonRows, type SourceTable } from '../../core/import/source-rows.ts';
import type { StoredTicketEvent } from '../../core/policies/ticket-sla-input.ts';
import { nextStage } from '../../core/triage/stage.ts';
import type { Queryable } from '../../store/db.ts';
import {
  existingExternalIds, insertImportedTickets, insertImportRow, updateImportRow,
  type ImportedClock, type ImportedMessage, type ImportedTicket,
} from '../../store/repos/import-repo.ts';
import type { NewEvent } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { planClocks, type ExistingClock } from '../monitor/sync-sla-clocks.ts';
import { messageBody } from '../shared/message-body.ts';
import { loadSlaConfig, type SlaConfig } from '../sla/sla-config.ts';
import { slaColumns, slaStateFor } from '../sla/refresh-ticket-sla.ts';
import { resolveNames, UNKNOWN_REQUESTER, type ResolvedNames, type WantedNames } from './resolve-names.ts';

// Importing a team's history (specs/import-events.md): an event log or a ticket file, read through a
// mapping, each case written whole or not at all, idempotent by (source, external id). Imported tickets
// get the same event log as live ones and their SLA clocks from the same engine; nothing is sent: no
// outbox row, no notification, no NOTIFY, and every clock action already due is marked as fired.

export type ImportRequest = { kind: ImportKind; fileName: string; text: string; mapping: unknown; dryRun: boolean; batchSize?: number | undefined };
export type ImportError = { line: string; field: string; message: string; case_id: string | null; text: string };
export type ImportProgress = {
  rows_read: number; rows_total: number; tickets_total: number; tickets_written: number; tickets_existing: number; tickets_rejected: number;
  rows_rejected: number; elapsed_ms: number; rows_per_second: number | null; eta_ms: number | null;
};
export type ImportReport = ImportProgress & {
  id: string | null; kind: ImportKind; source: string | null; file_name: string; dry_run: boolean;
  status: 'done' | 'mapping_error'; exit_code: 0 | 1 | 2;
  errors: ImportError[]; errors_total: number;
  /** Tickets per SLA policy that matched them ("(none)": no policy applies). */
  policies: Record<string, number>;
  /** Records created (or, in a dry run, that would be). */
  created: { groups: number; agents: number; requesters: number; types: number };
};
export type ImportOptions = {
  /** An `imports` row to report progress into (the API's); `record: true` makes one (the CLI, unless a dry run). */
  importId?: string; record?: boolean; createdBy?: string | null;
  onProgress?: (p: ImportProgress) => void;
};

export const DEFAULT_BATCH = 500;
const MAX_STORED_ERRORS = 1000;
const SYSTEM = { kind: 'system' as const, id: null };
const DEFAULT_TYPE = 'technical_question';
const DEFAULT_PRIORITY = 'normal';

/** Reads a file as the mapping says (CSV, or JSON / JSON Lines for a `.json`/`.jsonl` file or one that starts with `[`/`{`). */
function readTable(req: ImportRequest, m: ImportMapping): SourceTable | { error: string } {
  const json = /\.(json|jsonl|ndjson)$/i.test(req.fileName) || /^\uFEFF?\s*[[{]/.test(req.text);
  return json ? jsonRows(req.text) : csvRows(req.text, m.delimiter);
}

const ERROR_FIELD = /^([^:]+): (.*)$/s;
function toError(e: RowError, caseId: string | null): ImportError {
  return { line: e.ref, field: e.field, message: e.message, case_id: caseId, text: rowErrorText(e) };
}

export async function importHistory(ctx: AppContext, actor: Principal | null, req: ImportRequest, opts: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const base = { kind: req.kind, file_name: req.fileName, dry_run: req.dryRun };
  let importId = opts.importId ?? null;
  if (!importId && opts.record && !req.dryRun) {
    importId = await insertImportRow(ctx.db, { kind: req.kind, file_name: req.fileName, dry_run: false, created_by: opts.createdBy ?? (actor?.kind === 'user' ? actor.id : null), now: ctx.now() });
  }
  const progress: ImportProgress = { rows_read: 0, rows_total: 0, tickets_total: 0, tickets_written: 0, tickets_existing: 0, tickets_rejected: 0, rows_rejected: 0, elapsed_ms: 0, rows_per_second: null, eta_ms: null };
  const finish = async (report: ImportReport): Promise<ImportReport> => {
    if (importId) {
      await updateImportRow(ctx.db, importId, {
        source: report.source, status: report.status, rows_read: report.rows_read, rows_total: report.rows_total, tickets_total: report.tickets_total,
        tickets_written: report.tickets_written, tickets_existing: report.tickets_existing, tickets_rejected: report.tickets_rejected, rows_rejected: report.rows_rejected,
        errors: report.errors.slice(0, MAX_STORED_ERRORS), errors_total: report.errors_total, policies: report.policies, created: report.created,
        exit_code: report.exit_code, finished_at: ctx.now(),
      }, ctx.now());
    }
    return report;
  };
  const mappingFailure = (problems: readonly MappingProblem[], source: string | null) => finish({
    ...base, ...progress, id: importId, source, status: 'mapping_error', exit_code: 2, elapsed_ms: Date.now() - started,
    errors: problems.map((p) => ({ line: 'mapping', field: p.path, message: p.message, case_id: null, text: `mapping: ${p.path}: ${p.message}` })),
    errors_total: problems.length, policies: {}, created: { groups: 0, agents: 0, requesters: 0, types: 0 },
  });

  const parsed = parseMapping(typeof req.mapping === 'string' ? parseJsonText(req.mapping) : req.mapping, req.kind);
  if (!parsed.ok) return mappingFailure(parsed.problems, null);
  const m = parsed.mapping;
  const table = readTable(req, m);
  if ('error' in table) {
    const match = ERROR_FIELD.exec(table.error);
    return mappingFailure([{ path: match?.[1] ?? 'file', message: match?.[2] ?? table.error }], m.source);
  }
  const columnProblems = table.rows.length ? checkColumns(m, table.columns) : [];
  if (columnProblems.length) return mappingFailure(columnProblems, m.source);

  const { cases, orphanErrors } = buildCases(m, table.rows, req.kind);
  const errors: ImportError[] = [
    ...table.problems.map((p) => ({ line: p.ref, field: 'file', message: p.message, case_id: null, text: `${p.ref}: ${p.message}` })),
    ...orphanErrors.map((e) => toError(e, null)),
  ];
  progress.rows_total = table.rows.length + table.problems.length;
  progress.rows_read = progress.rows_total;
  progress.rows_rejected = table.problems.length + new Set(orphanErrors.map((e) => e.ref)).size;
  progress.tickets_total = cases.length;
  const reject = (caseId: string, rows: number, errs: readonly RowError[]) => {
    progress.tickets_rejected++;
    progress.rows_rejected += rows;
    errors.push(...errs.map((e) => toError(e, caseId)));
  };
  const histories: CaseHistory[] = [];
  for (const c of cases) {
    if ('errors' in c) reject(c.caseId, c.rows, c.errors);
    else histories.push(c.history);
  }

  // What exists already (idempotence), and the names the remaining cases use.
  const existing = await existingExternalIds(ctx.db, m.source, histories.map((h) => h.externalId));
  const fresh = histories.filter((h) => !existing.has(h.externalId));
  progress.tickets_existing = histories.length - fresh.length;
  const priorities = await listPriorities(ctx.db);
  const accepted: CaseHistory[] = [];
  for (const h of fresh) {
    const bad = [h.initial.priority, h.final.priority, ...h.changes.filter((c) => c.field === 'priority').map((c) => c.after)]
      .find((p) => p !== null && resolvePriority(priorities, p) === null);
    if (bad) reject(h.externalId, h.rows, [{ ref: h.ref, field: m.fields.priority?.column ?? 'priority', message: `"${bad}" is not a priority (${[...priorities.keys()].join(', ')}); map it in fields.priority.values` }]);
    else accepted.push(h);
  }
  const wanted: WantedNames = { groups: new Set(), agents: new Set(), requesters: new Set(), types: new Set() };
  for (const h of accepted) {
    for (const s of [h.initial, h.final]) {
      if (s.group) wanted.groups.add(s.group);
      if (s.assignee) wanted.agents.add(s.assignee);
      wanted.types.add(s.type ?? DEFAULT_TYPE);
    }
    wanted.requesters.add(h.final.requester ?? h.initial.requester ?? UNKNOWN_REQUESTER);
    for (const c of h.changes) {
      if (c.field === 'group' && c.after) wanted.groups.add(c.after);
      if (c.field === 'assignee' && c.after) wanted.agents.add(c.after);
      if (c.field === 'type' && c.after) wanted.types.add(c.after);
    }
  }
  const now = ctx.now();
  const names = req.dryRun
    ? await resolveNames(ctx.db, m.source, wanted, false, now)
    : await ctx.db.transaction((tx) => resolveNames(tx, m.source, wanted, true, now));
  const config = await loadSlaConfig(ctx.db);
  const policies: Record<string, number> = {};

  // Rows of the cases settled so far (written, already there or rejected), for the rate and the time left.
  let rowsDone = progress.rows_rejected + histories.filter((h) => existing.has(h.externalId)).reduce((n, h) => n + h.rows, 0);
  const report = (): ImportProgress => {
    const elapsed = Date.now() - started;
    const rate = elapsed > 0 ? rowsDone / (elapsed / 1000) : null;
    const left = progress.rows_total - rowsDone;
    return { ...progress, elapsed_ms: elapsed, rows_per_second: rate === null ? null : Math.round(rate), eta_ms: rate && left > 0 ? Math.round((left / rate) * 1000) : 0 };
  };
  const batchSize = Math.max(1, Math.min(10_000, req.batchSize ?? DEFAULT_BATCH));
  for (let i = 0; i < accepted.length; i += batchSize) {
    const batch = accepted.slice(i, i + batchSize);
    const planned = batch.map((h) => planTicket(m.source, h, names, priorities, config, now));
    rowsDone += batch.reduce((n, h) => n + h.rows, 0);
    for (const p of planned) policies[p.policy] = (policies[p.policy] ?? 0) + 1;
    if (req.dryRun) {
      progress.tickets_written += planned.length;
    } else {
      try {
        await ctx.db.transaction((tx) => writeTickets(tx, m.source, planned));
        progress.tickets_written += planned.length;
      } catch {
        // One ticket spoils its batch: each is tried alone, so every other one is still written (and the bad one not at all).
        for (const p of planned) {
          try {
            await ctx.db.transaction((tx) => writeTickets(tx, m.source, [p]));
            progress.tickets_written++;
          } catch (err) {
            policies[p.policy] = (policies[p.policy] ?? 1) - 1;
            reject(p.history.externalId, p.history.rows, [{ ref: p.history.ref, field: m.case_id, message: `could not be written: ${err instanceof Error ? err.message : String(err)}` }]);
          }
        }
      }
    }
    const snapshot = report();
    opts.onProgress?.(snapshot);
    if (importId) await updateImportRow(ctx.db, importId, { rows_read: snapshot.rows_read, rows_total: snapshot.rows_total, tickets_total: snapshot.tickets_total, tickets_written: snapshot.tickets_written, tickets_existing: snapshot.tickets_existing, tickets_rejected: snapshot.tickets_rejected, rows_rejected: snapshot.rows_rejected }, ctx.now());
  }
  const final = report();
  opts.onProgress?.(final);
  for (const [k, v] of Object.entries(policies)) if (v <= 0) delete policies[k];
  errors.sort((a, b) => refOrder(a.line) - refOrder(b.line));
  return finish({
    ...base, ...final, id: importId, source: m.source, status: 'done', exit_code: progress.tickets_rejected > 0 || progress.rows_rejected > 0 ? 1 : 0,
    errors, errors_total: errors.length, policies, created: names.created,
  });
}

const refOrder = (ref: string): number => Number(/\d+/.exec(ref)?.[0] ?? 0);

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return text;
  }
}

type Priorities = Map<string, string>;
async function listPriorities(q: Queryable): Promise<Priorities> {
  const rows = await q.query<{ key: string; label: string }>("SELECT key, label FROM list_entries WHERE list = 'priority' ORDER BY position");
  return new Map(rows.map((r) => [r.key, r.label]));
}
/** A priority by key, or by label ignoring case ("High" → high). */
function resolvePriority(p: Priorities, value: string): string | null {
  if (p.has(value)) return value;
  for (const [key, label] of p) if (label.toLowerCase() === value.toLowerCase() || key === value.toLowerCase()) return key;
  return null;
}

type PlannedTicket = { history: CaseHistory; ticket: ImportedTicket; message: ImportedMessage | null; events: NewEvent[]; clocks: ImportedClock[]; policy: string };

const EVENT_KIND: Record<ChangeField, string> = {
  status: 'status_changed', priority: 'priority_changed', urgency: 'urgency_changed', type: 'type_changed', group: 'group_changed', assignee: 'assignee_changed',
};

/** Everything about one imported ticket, decided in memory: its row, events, SLA state and clock schedule. */
function planTicket(source: string, h: CaseHistory, names: ResolvedNames, priorities: Priorities, config: SlaConfig, now: Date): PlannedTicket {
  const id = randomUUID();
  const group = (n: string | null) => (n === null ? null : names.groups.get(n) ?? null);
  const agent = (n: string | null) => (n === null ? null : names.agents.get(n) ?? null);
  const type = (n: string | null) => names.types.get(n ?? DEFAULT_TYPE) ?? n ?? DEFAULT_TYPE;
  const priority = (n: string | null) => (n === null ? DEFAULT_PRIORITY : resolvePriority(priorities, n) ?? DEFAULT_PRIORITY);
  const requester = names.requesters.get(h.final.requester ?? h.initial.requester ?? UNKNOWN_REQUESTER);
  if (!requester) throw new Error(`requester of ${h.externalId} was not resolved`);
  const channel = h.final.channel ?? h.initial.channel ?? 'api';
  const subject = (h.final.subject ?? h.initial.subject ?? `${source} ${h.externalId}`).trim().slice(0, 250) || `${source} ${h.externalId}`;
  const i = h.initial;
  const createdAt = new Date(h.createdAt);
  const events: NewEvent[] = [{
    ticketId: id, actor: SYSTEM, kind: 'created', before: null, at: createdAt,
    after: { status: i.status, type: type(i.type), priority: priority(i.priority), urgency: i.urgency ?? 'normal', channel, group_id: group(i.group), assignee_id: agent(i.assignee), subject },
  }];
  const description = h.final.description ?? h.initial.description;
  const message: ImportedMessage | null = description ? { id: randomUUID(), ticket_id: id, author_id: requester.id, ...bodyOf(description), created_at: createdAt } : null;
  if (message) events.push({ ticketId: id, actor: SYSTEM, kind: 'message_added', before: null, after: { message_id: message.id, kind: 'public', author_kind: 'contact', initial: true }, at: createdAt });
  let stage = i.assignee ? 'assigned' : 'received';
  if (i.status !== 'new') stage = nextStage(stage, { kind: 'status', status: i.status });
  for (const c of h.changes) {
    const key = c.field === 'group' || c.field === 'assignee' ? `${c.field}_id` : c.field;
    const value = (v: string | null) => (c.field === 'group' ? group(v) : c.field === 'assignee' ? agent(v) : c.field === 'type' ? type(v) : c.field === 'priority' ? priority(v) : v);
    const before = value(c.before);
    const after = value(c.after);
    if (before === after) continue;
    events.push({ ticketId: id, actor: SYSTEM, kind: EVENT_KIND[c.field], before: { [key]: before }, after: { [key]: after }, at: new Date(c.at) });
    if (c.field === 'assignee' && after) stage = nextStage(stage, { kind: 'assigned' });
    if (c.field === 'status' && after) stage = nextStage(stage, { kind: 'status', status: after });
  }
  const f = h.final;
  const subjectOf = { type: type(f.type), priority: priority(f.priority), tier: requester.tier, organization_id: requester.organization_id, channel, group_id: group(f.group), tags: [], urgency: f.urgency ?? 'normal' };
  const sla = slaStateFor(config, subjectOf, events.map((e): StoredTicketEvent => ({ kind: e.kind, after: e.after, at: e.at })), now);
  const columns = slaColumns(sla);
  const pendingSince = f.status === 'pending' ? [...events].reverse().find((e) => e.kind === 'status_changed' && (e.after as { status?: string }).status === 'pending')?.at ?? createdAt : null;
  const clocks = quietClocks(sla, config, pendingSince, now).map((c) => ({ ...c, ticket_id: id, policy_id: sla?.policy_id ?? null }));
  return {
    history: h, message, events, clocks, policy: sla?.policy_name ?? '(none)',
    ticket: {
      id, subject, type: subjectOf.type, priority: subjectOf.priority, status: f.status, stage, channel, requester_id: requester.id, organization_id: requester.organization_id,
      group_id: subjectOf.group_id, assignee_id: agent(f.assignee), created_at: createdAt, updated_at: new Date(h.updatedAt),
      solved_at: h.solvedAt === null ? null : new Date(h.solvedAt), closed_at: h.closedAt === null ? null : new Date(h.closedAt), urgency: subjectOf.urgency,
      sla_policy_id: columns?.policy_id ?? null, sla_next_due_at: columns?.next_due_at ?? null, sla_breached: columns?.breached ?? false, sla_state: columns?.state ?? null,
      import_source: source, external_id: h.externalId,
    },
  };
}

function bodyOf(text: string): { body_text: string; body_html: string } {
  const b = messageBody({ text });
  return { body_text: b.text, body_html: b.html };
}

/**
 * The monitor's schedule for an imported ticket with every action already due marked as fired: a breach,
 * warning or reminder that passed in the source's history is history, not news (no notification, no
 * escalation now). Actions still ahead stay scheduled — an open imported ticket is live work.
 */
function quietClocks(sla: ReturnType<typeof slaStateFor>, config: SlaConfig, pendingSince: Date | null, now: Date) {
  const existing = new Map<string, ExistingClock>();
  let rows = planClocks([], sla, config, pendingSince, now);
  for (let round = 0; round < 64; round++) {
    const due = rows.filter((r) => r.next_action_key !== null && r.next_action_at !== null && Date.parse(r.next_action_at) <= now.getTime());
    if (due.length === 0) break;
    for (const r of due) {
      const prev = existing.get(r.metric);
      existing.set(r.metric, { metric: r.metric, cycle_started_at: r.cycle_started_at === null ? null : new Date(r.cycle_started_at), fired: [...(prev?.fired ?? r.fired), r.next_action_key ?? ''], next_action_at: null });
    }
    rows = planClocks([...existing.values()], sla, config, pendingSince, now);
  }
  return rows;
}

async function writeTickets(tx: Queryable, source: string, planned: readonly PlannedTicket[]): Promise<void> {
  // Another run may have written some of them since the batch was planned: those are skipped, not doubled.
  const already = await existingExternalIds(tx, source, planned.map((p) => p.history.externalId));
  const todo = planned.filter((p) => !already.has(p.history.externalId));
  await insertImportedTickets(tx, {
    tickets: todo.map((p) => p.ticket),
    messages: todo.flatMap((p) => (p.message ? [p.message] : [])),
    events: todo.flatMap((p) => p.events),
    clocks: todo.flatMap((p) => p.clocks),
  });
}
