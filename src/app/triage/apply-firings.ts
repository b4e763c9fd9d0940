import type { FieldChanges, RuleFiring } from '../../core/triage/evaluate-triggers.ts';
import type { TriggerSend } from '../../core/triage/trigger-messages.ts';
import { queueTriggerSends } from './queue-trigger-sends.ts';
import { nextStage } from '../../core/triage/stage.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvents, insertMessage, updateTicketRow, type NewEvent, type TicketPatch, type TicketRow } from '../../store/repos/tickets-repo.ts';

export type Origin = { rule: { id: string; name: string } } | { classifier: { model_id: string; confidence: number } };

/**
 * Writes automatic field changes: the row, one `<field>_changed` event per field naming the rule (or
 * the classifier) that made it, internal notes as system messages, and the stage the change implies.
 * Changes whose target no longer exists (a deleted group or user) are skipped, not half-applied.
 */
export type AutomaticItem = { changes: FieldChanges; note: string | null; origin: Origin; sends?: readonly TriggerSend[] };

export async function applyAutomaticChanges(tx: Queryable, ticket: TicketRow, items: AutomaticItem[], now: Date): Promise<TicketRow> {
  let current = ticket;
  const events: NewEvent[] = [];
  const system = { kind: 'system', id: null } as const;
  for (const item of items) {
    const patch: TicketPatch = {};
    for (const [key, value] of Object.entries(item.changes) as [keyof FieldChanges, FieldChanges[keyof FieldChanges]][]) {
      if (value === undefined) continue;
      if (!(await targetExists(tx, key, value))) continue;
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
      const messageId = await insertMessage(tx, { ticketId: ticket.id, kind: 'internal', authorKind: 'system', authorId: null, text: item.note, html: escapeHtml(item.note), at: now });
      events.push({ ticketId: ticket.id, actor: system, kind: 'message_added', before: null, after: { message_id: messageId, kind: 'internal', author_kind: 'system', ...item.origin }, at: now });
    }
    if (Object.keys(patch).length > 0) {
      await updateTicketRow(tx, ticket.id, { ...patch, updated_at: now });
      current = { ...current, ...patch };
    }
    // After the rule's own changes, so "assign to Bea and e-mail the assignee" mails Bea.
    if (item.sends?.length && 'rule' in item.origin) await queueTriggerSends(tx, current, item.origin.rule, item.sends, now);
  }
  await appendEvents(tx, events);
  return current;
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
