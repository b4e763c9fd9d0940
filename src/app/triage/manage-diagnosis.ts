import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, DomainError, invalidInput } from '../../core/errors.ts';
import { appendEvent, lockTicket } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';

/** A retired field (active false) is no longer offered on tickets; values already stored stay readable. */
export type DiagnosisField = { key: string; label: string; options: string[]; position: number; active: boolean };
const FIELD_COLUMNS = 'key, label, options, position, active';

const optionsSchema = z.array(z.string().trim().min(1).max(100)).max(100)
  .refine((o) => new Set(o).size === o.length, 'must not repeat an option');

export const diagnosisFieldInput = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower_snake_case, at most 40 characters'),
  label: z.string().trim().min(1).max(100),
  options: optionsSchema.default([]),
}).strict();
export const diagnosisFieldPatchInput = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  options: optionsSchema.optional(),
  active: z.boolean().optional(),
}).strict();
export const diagnosisInput = z.record(z.string(), z.string().trim().max(500).nullable());

export async function listDiagnosisFields(ctx: AppContext, actor: Principal): Promise<DiagnosisField[]> {
  requireStaff(actor);
  return ctx.db.query<DiagnosisField>(`SELECT ${FIELD_COLUMNS} FROM diagnosis_fields ORDER BY position, key`);
}

export async function addDiagnosisField(ctx: AppContext, actor: Principal, raw: unknown): Promise<DiagnosisField> {
  requireStaff(actor, ['admin']);
  const input = parseInput(diagnosisFieldInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<DiagnosisField>(
      `INSERT INTO diagnosis_fields (key, label, options, position) VALUES ($1, $2, $3, (SELECT COALESCE(max(position), 0) + 1 FROM diagnosis_fields))
       ON CONFLICT (key) DO NOTHING RETURNING ${FIELD_COLUMNS}`, [input.key, input.label, input.options]);
    if (!row) throw conflict('a diagnosis field with this key exists', 'key');
    await recordAudit(tx, actor, { action: 'create', target: 'diagnosis_field', targetId: row.key, before: null, after: row }, ctx.now());
    return row;
  });
}

/**
 * Renames a field, changes its options, retires it (active false) or brings it back. The key never changes:
 * tickets store values under it. Values already on tickets are kept whatever changes here — a retired field
 * or a removed option stays readable on the tickets that have it (as Zendesk keeps a removed drop-down value).
 */
export async function updateDiagnosisField(ctx: AppContext, actor: Principal, key: string, raw: unknown): Promise<DiagnosisField> {
  requireStaff(actor, ['admin']);
  const input = parseInput(diagnosisFieldPatchInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<DiagnosisField>(`SELECT ${FIELD_COLUMNS} FROM diagnosis_fields WHERE key = $1 FOR UPDATE`, [key]);
    if (!before) throw new DomainError('not_found', 'diagnosis field not found');
    const [row] = await tx.query<DiagnosisField>(
      `UPDATE diagnosis_fields SET label = COALESCE($2, label), options = COALESCE($3::text[], options), active = COALESCE($4, active)
       WHERE key = $1 RETURNING ${FIELD_COLUMNS}`, [key, input.label ?? null, input.options ?? null, input.active ?? null]);
    if (!row) throw new DomainError('not_found', 'diagnosis field not found');
    await recordAudit(tx, actor, { action: 'update', target: 'diagnosis_field', targetId: key, before, after: row }, ctx.now());
    return row;
  });
}

/** Sets diagnosis fields on a ticket (null clears one); unknown keys and values outside a field's options are refused. */
export async function setDiagnosis(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<Record<string, string>> {
  requireStaff(actor);
  const input = parseInput(diagnosisInput, raw);
  return ctx.db.transaction(async (tx) => {
    const visible = await loadVisibleTicket(tx, actor, ref);
    const ticket = await lockTicket(tx, visible.id);
    if (!ticket) throw new DomainError('not_found', 'ticket not found');
    if (ticket.status === 'closed') throw new DomainError('unprocessable', 'the ticket is closed and can no longer be changed', 'ref');
    const fields = new Map((await tx.query<DiagnosisField>(`SELECT ${FIELD_COLUMNS} FROM diagnosis_fields`)).map((f) => [f.key, f]));
    for (const [key, value] of Object.entries(input)) {
      const field = fields.get(key);
      if (!field) throw invalidInput(key, 'is not a diagnosis field');
      // A retired field's stored value can still be cleared, but no new value is taken.
      if (!field.active && value !== null && value !== '') throw invalidInput(key, 'is retired');
      if (value !== null && field.options.length > 0 && !field.options.includes(value)) throw invalidInput(key, `must be one of ${field.options.join(', ')}`);
    }
    const [row] = await tx.query<{ diagnosis: Record<string, string> }>('SELECT diagnosis FROM tickets WHERE id = $1', [ticket.id]);
    const before = row?.diagnosis ?? {};
    const after: Record<string, string> = { ...before };
    for (const [key, value] of Object.entries(input)) {
      if (value === null || value === '') delete after[key];
      else after[key] = value;
    }
    await tx.query('UPDATE tickets SET diagnosis = $2, updated_at = $3 WHERE id = $1', [ticket.id, JSON.stringify(after), ctx.now()]);
    await appendEvent(tx, { ticketId: ticket.id, actor: { kind: 'user', id: actor.id }, kind: 'diagnosis_changed', before: { diagnosis: before }, after: { diagnosis: after }, at: ctx.now() });
    // Other agents on the ticket page see the new values (their triage panel is keyed under the ticket).
    await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: actor.id });
    return after;
  });
}

export type TicketTriageView = {
  language: string | null; stage: string; diagnosis: Record<string, string>;
  suggestion: Record<string, { label: string; confidence: number }> | null;
  repeat_of: { id: string; number: number; subject: string } | null;
};

/** What triage knows about a ticket, for the agent's side panel. */
export async function getTicketTriage(ctx: AppContext, actor: Principal, ref: string): Promise<TicketTriageView> {
  requireStaff(actor);
  const visible = await loadVisibleTicket(ctx.db, actor, ref);
  const [row] = await ctx.db.query<{ language: string | null; stage: string; diagnosis: Record<string, string>; triage_suggestion: TicketTriageView['suggestion']; r_id: string | null; r_number: number | null; r_subject: string | null }>(
    `SELECT t.language, t.stage, t.diagnosis, t.triage_suggestion, r.id AS r_id, r.number AS r_number, r.subject AS r_subject
     FROM tickets t LEFT JOIN tickets r ON r.id = t.repeat_of_id WHERE t.id = $1`, [visible.id]);
  if (!row) throw new DomainError('not_found', 'ticket not found');
  return {
    language: row.language, stage: row.stage, diagnosis: row.diagnosis, suggestion: row.triage_suggestion,
    repeat_of: row.r_id && row.r_number !== null && row.r_subject !== null ? { id: row.r_id, number: row.r_number, subject: row.r_subject } : null,
  };
}
