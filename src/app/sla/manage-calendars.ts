import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { calendarSpecSchema, type CalendarSpec } from '../../core/calendar/index.ts';
import { calendarProblems } from '../../core/calendar/calendar-problems.ts';
import { conflict, DomainError, notFound, type FieldError } from '../../core/errors.ts';
import { findCalendar, listCalendars as listCalendarRows, type CalendarRow } from '../../store/repos/sla-repo.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { recordAudit } from '../shared/audit.ts';

export const calendarInput = z.object({ name: z.string().trim().min(1).max(100), spec: calendarSpecSchema });

/**
 * Shape by schema, meaning (overlaps, zones, holidays) by compiling it: the same check the engine relies on.
 * Every problem is reported at once (each weekday and holiday on its own), with the name's if `name` has one.
 */
function validSpec(raw: unknown, name?: { schema: z.ZodType; value: unknown }): CalendarSpec {
  const problems: FieldError[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof DomainError && err.code === 'invalid_input') problems.push(...err.errors);
      else throw err;
    }
  };
  if (name) collect(() => parseInput(z.object({ name: name.schema }), { name: name.value }));
  let spec: CalendarSpec | undefined;
  collect(() => {
    spec = parseInput(calendarSpecSchema, raw, 'spec') as CalendarSpec;
  });
  if (spec) for (const p of calendarProblems(spec)) problems.push({ path: `spec.${p.path}`.replace(/\.$/, ''), message: p.message });
  const first = problems[0];
  if (first || !spec) throw new DomainError('invalid_input', first?.message ?? 'invalid', first?.path ?? 'spec', problems);
  return spec;
}

export async function listCalendars(ctx: AppContext, actor: Principal): Promise<CalendarRow[]> {
  requireStaff(actor);
  return listCalendarRows(ctx.db);
}

export async function getCalendar(ctx: AppContext, actor: Principal, id: string): Promise<CalendarRow> {
  requireStaff(actor);
  const row = await findCalendar(ctx.db, id);
  if (!row) throw notFound('calendar');
  return row;
}

export async function createCalendar(ctx: AppContext, actor: Principal, raw: unknown): Promise<CalendarRow> {
  requireStaff(actor, MANAGERS);
  const body = parseInput(z.object({ name: z.unknown(), spec: z.unknown() }), raw);
  const spec = validSpec(body.spec, { schema: calendarInput.shape.name, value: body.name });
  const input = { name: calendarInput.shape.name.parse(body.name) };
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<CalendarRow>(
      'INSERT INTO calendars (name, spec, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (name) DO NOTHING RETURNING *',
      [input.name, JSON.stringify(spec), now]);
    if (!row) throw conflict('a calendar with this name exists', 'name');
    await recordAudit(tx, actor, { action: 'create', target: 'calendar', targetId: row.id, after: row }, now);
    return row;
  });
}

/** Editing a calendar changes every clock counted in it: open tickets are recomputed in the background. */
export async function updateCalendar(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<CalendarRow> {
  requireStaff(actor, MANAGERS);
  const body = parseInput(z.object({ name: z.unknown().optional(), spec: z.unknown().optional() }).strict(), raw);
  const nameSchema = calendarInput.shape.name.optional();
  const spec = body.spec === undefined ? undefined : validSpec(body.spec, { schema: nameSchema, value: body.name });
  const input = parseInput(z.object({ name: nameSchema }), { name: body.name });
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const existing = await findCalendar(tx, id, true);
    if (!existing) throw notFound('calendar');
    if (input.name && input.name !== existing.name && (await tx.query('SELECT 1 FROM calendars WHERE name = $1', [input.name])).length) {
      throw conflict('a calendar with this name exists', 'name');
    }
    const [row] = await tx.query<CalendarRow>('UPDATE calendars SET name = $2, spec = $3, updated_at = $4 WHERE id = $1 RETURNING *', [
      id, input.name ?? existing.name, JSON.stringify(spec ?? existing.spec), now,
    ]);
    if (!row) throw notFound('calendar');
    await recordAudit(tx, actor, { action: 'update', target: 'calendar', targetId: id, before: existing, after: row }, now);
    if (spec) await enqueue(tx, 'sla.recompute_open', { reason: `calendar ${id} changed` }, now);
    return row;
  });
}

export async function deleteCalendar(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireStaff(actor, MANAGERS);
  await ctx.db.transaction(async (tx) => {
    const used = await tx.query<{ name: string }>('SELECT name FROM sla_policies WHERE calendar_id = $1', [id]);
    if (used.length) throw conflict(`the calendar is used by policy "${used[0]?.name}"`);
    const [gone] = await tx.query('DELETE FROM calendars WHERE id = $1 RETURNING *', [id]);
    if (!gone) throw notFound('calendar');
    await recordAudit(tx, actor, { action: 'delete', target: 'calendar', targetId: id, before: gone }, ctx.now());
  });
}
