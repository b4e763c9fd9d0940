import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, invalidInput } from '../../core/errors.ts';
import { assertStatusTransition, statusTimestamps } from '../../core/tickets/status-transition.ts';
import { TICKET_STAGES, TICKET_STATUSES } from '../../core/tickets/ticket-model.ts';
import { URGENCIES } from '../../core/promise/index.ts';
import { nextStage } from '../../core/triage/stage.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvent, lockTicket, updateTicketRow, type TicketPatch, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { assertListKey } from '../shared/lists.ts';
import { parseInput } from '../shared/parse-input.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { loadVisibleTicket } from './load-visible-ticket.ts';
import { runTriggers } from '../triage/run-triggers.ts';
import { rerouteAfterChange } from '../routing/assign.ts';
import { assertNotArchived } from '../promise/archive.ts';
import { queueStaffChangeNotices } from './progress-notices.ts';

export const updateTicketInput = z
  .object({
    subject: z.string().trim().min(1).max(250),
    status: z.enum(TICKET_STATUSES),
    priority: z.string().trim().min(1).max(40),
    type: z.string().trim().min(1).max(40),
    stage: z.enum(TICKET_STAGES),
    group_id: z.string().uuid().nullable(),
    assignee_id: z.string().uuid().nullable(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50),
    urgency: z.enum(URGENCIES),
  })
  .partial()
  .strict();
export type UpdateTicketInput = z.infer<typeof updateTicketInput>;

type ChangeableField = keyof UpdateTicketInput;

/** Staff change a ticket's fields; each changed field is one event, written in the same transaction. */
export async function updateTicket(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<string> {
  if (actor.kind !== 'user') throw forbidden('customers cannot change ticket fields');
  const input = parseInput(updateTicketInput, raw);
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, actor, ref);
    await applyTicketChanges(ctx, tx, actor, visible.id, input);
    await runTriggers(ctx, tx, visible.id, 'updated');
    return visible.id;
  });
}

export async function applyTicketChanges(ctx: AppContext, tx: Queryable, actor: Principal, ticketId: string, input: UpdateTicketInput): Promise<void> {
  const now = ctx.now();
  const current = await lockTicket(tx, ticketId);
  if (!current) throw invalidInput('ref', 'ticket vanished');
  assertNotArchived(current);
  await validateReferences(tx, input);
  const patch: TicketPatch = {};
  const changed: ChangeableField[] = [];
  for (const key of Object.keys(input) as ChangeableField[]) {
    const next = input[key];
    if (next === undefined || sameValue(current[key], next)) continue;
    changed.push(key);
  }
  if (changed.length === 0) return;
  if (input.status && changed.includes('status')) {
    assertStatusTransition(current.status, input.status);
    Object.assign(patch, statusTimestamps(input.status, now, current));
  }
  // Closed is final (Zendesk, Zammad): the record of what happened stays as it was.
  if (current.status === 'closed') throw new DomainError('unprocessable', 'the ticket is closed and can no longer be changed; open a follow-up request instead', 'ref');
  // The lifecycle stage follows the work (core/triage/stage.ts) unless the agent sets it in the same change.
  if (!changed.includes('stage')) {
    let stage = current.stage;
    if (changed.includes('assignee_id') && input.assignee_id) stage = nextStage(stage, { kind: 'assigned' });
    if (changed.includes('status') && input.status) stage = nextStage(stage, { kind: 'status', status: input.status });
    if (stage !== current.stage) {
      patch.stage = stage;
      changed.push('stage');
    }
  }
  for (const key of changed) {
    if (key === 'stage' && patch.stage) continue;
    Object.assign(patch, { [key]: key === 'tags' ? [...new Set(input.tags)] : input[key] });
  }
  patch.updated_at = now;
  await updateTicketRow(tx, ticketId, patch);
  await publishTicketChange(tx, { ticket_id: ticketId, number: current.number, kind: 'updated', actor_id: actor.id });
  for (const key of changed) {
    await appendEvent(tx, {
      ticketId, actor: { kind: actor.kind, id: actor.id }, kind: `${key.replace(/_id$/, '')}_changed`,
      before: { [key]: current[key] }, after: { [key]: patch[key as keyof TicketPatch] }, at: now,
    });
  }
  await refreshTicketSla(tx, ticketId, now);
  await rerouteAfterChange(tx, current, { ...current, ...patch }, now);
  await queueStaffChangeNotices(tx, actor, current, { ...current, ...patch }, now);
}

function sameValue(a: TicketRow[ChangeableField], b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

async function validateReferences(tx: Queryable, input: UpdateTicketInput): Promise<void> {
  if (input.priority) await assertListKey(tx, 'priority', input.priority, 'priority');
  if (input.type) await assertListKey(tx, 'ticket_type', input.type, 'type');
  if (input.group_id) {
    const rows = await tx.query('SELECT 1 FROM groups WHERE id = $1', [input.group_id]);
    if (rows.length === 0) throw invalidInput('group_id', 'no such group');
  }
  if (input.assignee_id) {
    const rows = await tx.query('SELECT 1 FROM users WHERE id = $1 AND active', [input.assignee_id]);
    if (rows.length === 0) throw invalidInput('assignee_id', 'no such active user');
  }
}
