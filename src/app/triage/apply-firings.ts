import { randomUUID } from 'node:crypto';
import type { FieldChanges, RuleFiring } from '../../core/triage/evaluate-triggers.ts';
import type { TriggerSend } from '../../core/triage/trigger-messages.ts';
import { queueTriggerSends } from './queue-trigger-sends.ts';
import { nextStage } from '../../core/triage/stage.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvents, insertMessage, updateTicketRow, type NewEvent, type TicketPatch, type TicketRow } from '../../store/repos/tickets-repo.ts';

export type Origin = { rule: { id: string; name: string } } | { classifier: { model_id: string; confidence: number } };

export type AutomaticItem = { changes: FieldChanges; note: string | null; origin: Origin; sends?: readonly TriggerSend[] };

/** An internal note a rule adds, with the id its `message_added` event names. */
export type PlannedNote = { id: string; text: string; html: string };

/** What automatic changes do to a ticket, before anything is written: the row after, its events and notes, and each rule's sends with the row as that rule left it. */
export type PlannedAutomatic<T> = { ticket: T; patch: TicketPatch; events: NewEvent[]; notes: PlannedNote[]; sends: { ticket: T; rule: { id: string; name: string }; sends: readonly TriggerSend[] }[] };

/** A change's target still exists (a group or user not deleted, a type or priority still listed). */
export type TargetCheck = (key: keyof FieldChanges, value: unknown) => boolean;

/**
 * Plans automatic field changes in memory: one `<field>_changed` event per field naming the rule (or the
 * classifier) that made it, internal notes as system messages, and the stage the change implies. Changes
 * whose target no longer exists are skipped, not half-applied. Intake writes the result with the new row;
 * `applyAutomaticChanges` writes it to an existing one.
 */
export function planAutomaticChanges<T extends TicketRow>(ticket: T, items: readonly AutomaticItem[], exists: TargetCheck, now: Date, newId: () => string): PlannedAutomatic<T> {
  let current = ticket;
  const total: TicketPatch = {};
  const events: NewEvent[] = [];
  const notes: PlannedNote[] = [];
  const sends: PlannedAutomatic<T>['sends'] = [];
  const system = { kind: 'system', id: null } as const;
  for (const item of items) {
    const patch: TicketPatch = {};
    for (const [key, value] of Object.entries(item.changes) as [keyof FieldChanges, FieldChanges[keyof FieldChanges]][]) {
      if (value === undefined || !exists(key, value)) continue;
      Object.assign(patch, { [key]: value });
      events.push({ ticketId: ticket.id, actor: system, kind: `${key.replace(/_id$/, '')}_changed`, before: { [key]: current[key] }, after: { [key]: value, ...item.origin }, at: now });
    }
    let stage = current.stage;
    if (Object.keys(patch).length > 0 || item.note) stage = nextStage(stage, { kind: 'triaged' });
    if (patch.assignee_id) stage = nextStage(stage, { kind: 'assigned' });
    if (stage !== current.stage) {
      patch.stage = stage;
      events.push({ ticketId: ticket.id, actor: system, kind: 'stage_changed', before: { stage: current.stage }, after: { stage, ...item.origin }, at: now });
    }
    if (item.note) {
      const note = { id: newId(), text: item.note, html: escapeHtml(item.note) };
      notes.push(note);
      events.push({ ticketId: ticket.id, actor: system, kind: 'message_added', before: null, after: { message_id: note.id, kind: 'internal', author_kind: 'system', ...item.origin }, at: now });
    }
    if (Object.keys(patch).length > 0) {
      Object.assign(total, patch, { updated_at: now });
      current = { ...current, ...patch, updated_at: now };
    }
    // After the rule's own changes, so "assign to Bea and e-mail the assignee" mails Bea.
    if (item.sends?.length && 'rule' in item.origin) sends.push({ ticket: current, rule: item.origin.rule, sends: item.sends });
  }
  return { ticket: current, patch: total, events, notes, sends };
}

/** Writes automatic field changes to an existing ticket (see planAutomaticChanges). */
export async function applyAutomaticChanges(tx: Queryable, ticket: TicketRow, items: AutomaticItem[], now: Date): Promise<TicketRow> {
  const known = new Map<string, boolean>();
  for (const item of items) {
    for (const [key, value] of Object.entries(item.changes) as [keyof FieldChanges, unknown][]) {
      if (value !== undefined && !known.has(`${key}:${String(value)}`)) known.set(`${key}:${String(value)}`, await targetExists(tx, key, value));
    }
  }
  const plan = planAutomaticChanges(ticket, items, (key, value) => known.get(`${key}:${String(value)}`) ?? false, now, randomUUID);
  for (const note of plan.notes) {
    await insertMessage(tx, { id: note.id, ticketId: ticket.id, kind: 'internal', authorKind: 'system', authorId: null, text: note.text, html: note.html, at: now });
  }
  await updateTicketRow(tx, ticket.id, plan.patch);
  for (const s of plan.sends) await queueTriggerSends(tx, s.ticket, s.rule, s.sends, now);
  await appendEvents(tx, plan.events);
  return plan.ticket;
}

export function firingItems(firings: readonly RuleFiring[]): AutomaticItem[] {
  return firings.map((f) => ({ changes: f.changes, note: f.note, origin: { rule: { id: f.ruleId, name: f.ruleName } }, sends: f.sends }));
}

async function targetExists(tx: Queryable, key: keyof FieldChanges, value: unknown): Promise<boolean> {
  if (key === 'group_id') return (await tx.query('SELECT 1 FROM groups WHERE id = $1', [value])).length > 0;
  if (key === 'assignee_id') return (await tx.query('SELECT 1 FROM users WHERE id = $1 AND active', [value])).length > 0;
  if (key === 'type') return (await tx.query("SELECT 1 FROM list_entries WHERE list = 'ticket_type' AND key = $1", [value])).length > 0;
  if (key === 'priority') return (await tx.query("SELECT 1 FROM list_entries WHERE list = 'priority' AND key = $1", [value])).length > 0;
  return true;
}

function escapeHtml(s: string): string {
  return `<p>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</p>`;
}
