import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Principal, StaffPrincipal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, invalidInput, notFound } from '../../core/errors.ts';
import { renderMacro, type MacroValues } from '../../core/triage/render-macro.ts';
import type { PromiseWords } from '../../core/email/promise-words.ts';
import { PROMISE_COLUMNS, promiseData, type PromiseColumns } from '../promise/promise-for-ticket.ts';
import { TICKET_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { isManagerRole, requireStaff } from './staff.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { applyTicketChanges } from '../tickets/update-ticket.ts';
import { recordAudit } from '../shared/audit.ts';

export const macroActions = z.object({
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.string().trim().min(1).max(40).optional(),
  type: z.string().trim().min(1).max(40).optional(),
  group_id: z.string().uuid().nullable().optional(),
  assignee_id: z.string().uuid().nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
}).strict();

export const macroInput = z.object({
  title: z.string().trim().min(1).max(200),
  language: z.string().trim().min(2).max(10),
  body: z.string().trim().min(1).max(20_000),
  /** Shared macros are for every agent (managers create them); personal ones only for their owner. */
  shared: z.boolean().default(false),
  actions: macroActions.default({}),
}).strict();
export const macroPatchInput = patchSchema(macroInput);
export const listMacrosInput = z.object({ q: z.string().trim().max(200).optional(), language: z.string().trim().max(10).optional() }).strict();

export type MacroView = { id: string; title: string; language: string; body: string; shared: boolean; owner_id: string | null; actions: z.infer<typeof macroActions>; updated_at: Date };
const MACRO_SELECT = 'SELECT id, title, language, body, owner_id IS NULL AS shared, owner_id, actions, updated_at FROM macros';

/** Shared macros plus the agent's own, filtered by language and a search in title and body. */
export async function listMacros(ctx: AppContext, actor: Principal, raw: unknown): Promise<MacroView[]> {
  const me = requireStaff(actor);
  const input = parseInput(listMacrosInput, raw ?? {});
  const like = input.q ? `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return ctx.db.query<MacroView>(
    `${MACRO_SELECT} WHERE (owner_id IS NULL OR owner_id = $1) AND ($2::text IS NULL OR language = $2)
       AND ($3::text IS NULL OR title ILIKE $3 OR body ILIKE $3) ORDER BY title, id LIMIT 200`, [me.id, input.language ?? null, like]);
}

export async function createMacro(ctx: AppContext, actor: Principal, raw: unknown): Promise<MacroView> {
  const me = requireStaff(actor);
  const input = parseInput(macroInput, raw);
  if (input.shared && !isManagerRole(me)) throw forbidden('only supervisors and admins create shared macros');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      'INSERT INTO macros (title, language, body, owner_id, actions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id',
      [input.title, input.language, input.body, input.shared ? null : me.id, JSON.stringify(input.actions), ctx.now()]);
    const created = await findMacro(tx, me, row?.id ?? '');
    if (created.shared) await recordAudit(tx, actor, { action: 'create', target: 'macro', targetId: created.id, after: created }, ctx.now());
    return created;
  });
}

export async function updateMacro(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<MacroView> {
  const me = requireStaff(actor);
  const input = parseInput(macroPatchInput, raw);
  const current = await findMacro(ctx.db, me, id);
  assertMayEdit(me, current);
  if (input.shared !== undefined && input.shared !== current.shared && !isManagerRole(me)) throw forbidden('only supervisors and admins share macros');
  const shared = input.shared ?? current.shared;
  return ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE macros SET title = $2, language = $3, body = $4, owner_id = $5, actions = $6, updated_at = $7 WHERE id = $1', [
      id, input.title ?? current.title, input.language ?? current.language, input.body ?? current.body,
      shared ? null : (current.owner_id ?? me.id), JSON.stringify(input.actions ?? current.actions), ctx.now()]);
    const updated = await findMacro(tx, me, id);
    // Shared macros are team configuration; an agent's own macros are theirs.
    if (current.shared || updated.shared) await recordAudit(tx, actor, { action: 'update', target: 'macro', targetId: id, before: current, after: updated }, ctx.now());
    return updated;
  });
}

export async function deleteMacro(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  const me = requireStaff(actor);
  const current = await findMacro(ctx.db, me, id);
  assertMayEdit(me, current);
  await ctx.db.transaction(async (tx) => {
    await tx.query('DELETE FROM macros WHERE id = $1', [id]);
    if (current.shared) await recordAudit(tx, actor, { action: 'delete', target: 'macro', targetId: id, before: current }, ctx.now());
  });
}

/**
 * Applies a macro to a ticket at once: its field changes are made (one event each, as the agent), and the
 * rendered text is returned. Kept for API clients; the web reply box no longer uses it — it previews the
 * macro and sends `macro_id` with the reply, so the changes and the reply go together (addMessage).
 */
export async function applyMacro(ctx: AppContext, actor: Principal, ref: string, macroId: string): Promise<{ text: string; changed: string[] }> {
  const me = requireStaff(actor);
  const macro = await findMacro(ctx.db, me, macroId);
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, me, ref);
    const changes = Object.fromEntries(Object.entries(macro.actions).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length) await applyTicketChanges(ctx, tx, me, visible.id, changes);
    const text = renderMacro(macro.body, await placeholderValues(tx, ctx, me, visible.id));
    return { text, changed: Object.keys(changes) };
  });
}

/**
 * The field changes a macro stages for the reply it fills (review 2026-12-07, item 14): the reply box sends
 * `macro_id` with the message and addMessage applies them in the message's own transaction.
 */
export async function macroFieldChanges(q: Queryable, me: StaffPrincipal, macroId: string): Promise<z.infer<typeof macroActions>> {
  const macro = await findMacro(q, me, macroId).catch((e: unknown) => {
    if (e instanceof DomainError && e.code === 'not_found') throw invalidInput('macro_id', 'no such macro');
    throw e;
  });
  return Object.fromEntries(Object.entries(macro.actions).filter(([, v]) => v !== undefined));
}

/**
 * What applying a macro would do, without doing it: the reply text with this ticket's placeholders filled
 * and the field changes it would make (for the reply box's preview).
 */
export async function previewMacro(ctx: AppContext, actor: Principal, ref: string, macroId: string): Promise<{ text: string; actions: MacroView['actions'] }> {
  const me = requireStaff(actor);
  const macro = await findMacro(ctx.db, me, macroId);
  const visible = await loadVisibleTicket(ctx.db, me, ref);
  const actions = Object.fromEntries(Object.entries(macro.actions).filter(([, v]) => v !== undefined));
  return { text: renderMacro(macro.body, await placeholderValues(ctx.db, ctx, me, visible.id)), actions };
}

async function placeholderValues(tx: Queryable, ctx: AppContext, me: StaffPrincipal, ticketId: string): Promise<MacroValues> {
  const [t] = await tx.query<PromiseColumns & { number: number; subject: string; priority: string; type: string; sla_state: { result?: { metrics?: Record<string, { due_at: string | null }> } } | null;
    requester_name: string; requester_email: string; requester_tz: string; requester_language: string; organization_name: string | null }>(
    `SELECT t.number, t.subject, t.priority, t.type, c.name AS requester_name, c.email AS requester_email,
       c.time_zone AS requester_tz, c.language AS requester_language, o.name AS organization_name, ${PROMISE_COLUMNS}
     FROM tickets t JOIN contacts c ON c.id = t.requester_id LEFT JOIN organizations o ON o.id = t.organization_id WHERE t.id = $1`, [ticketId]);
  if (!t) throw notFound('ticket');
  // Due times are written for the customer who reads them: their zone and language.
  const local = (metric: string) => {
    const due = t.sla_state?.result?.metrics?.[metric]?.due_at;
    return due ? DateTime.fromISO(due, { zone: t.requester_tz }).setLocale(t.requester_language).toLocaleString(DateTime.DATETIME_MED) : null;
  };
  return {
    'ticket.number': `${ctx.settings.ticketPrefix}${t.number}`, 'ticket.subject': t.subject, 'ticket.status': t.status, 'ticket.priority': t.priority, 'ticket.type': t.type,
    'requester.name': t.requester_name, 'requester.email': t.requester_email, 'organization.name': t.organization_name,
    'agent.name': me.name, 'agent.email': me.email,
    'sla.first_response.due_local': local('first_response'), 'sla.next_reply.due_local': local('next_response'), 'sla.resolution.due_local': local('resolution'),
    ...promisePlaceholders(promiseData(t).words),
  };
}

function promisePlaceholders(words: PromiseWords): MacroValues {
  return {
    'promise.local': words['promise.local'], 'promise.date': words['promise.date'], 'promise.time': words['promise.time'],
    'promise.within': words['promise.within'], 'promise.reason': words['promise.reason'],
  };
}

async function findMacro(q: Queryable, me: StaffPrincipal, id: string): Promise<MacroView> {
  const [row] = await q.query<MacroView>(`${MACRO_SELECT} WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)`, [id, me.id]);
  if (!row) throw notFound('macro');
  return row;
}

function assertMayEdit(me: StaffPrincipal, m: MacroView): void {
  if (m.shared && !isManagerRole(me)) throw forbidden('only supervisors and admins change shared macros');
}
