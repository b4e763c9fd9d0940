import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';

export const timeEntryInput = z.strictObject({
  minutes: z.number().int('must be a whole number of minutes').min(1).max(1440),
  note: z.string().trim().max(1000).default(''),
});

export type TimeEntry = { id: string; user_id: string; user_name: string; minutes: number; note: string; created_at: Date };

/** An agent books time spent on a ticket (for cost reports); always as themselves. */
export async function addTimeEntry(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<TimeEntry> {
  if (actor.kind !== 'user') throw forbidden('customers cannot track time');
  const input = parseInput(timeEntryInput, raw);
  return ctx.db.transaction(async (tx) => {
    const ticket = await loadVisibleTicket(tx, actor, ref);
    const [row] = await tx.query<TimeEntry>(
      `WITH e AS (INSERT INTO time_entries (ticket_id, user_id, minutes, note, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *)
       SELECT e.id, e.user_id, u.name AS user_name, e.minutes, e.note, e.created_at FROM e JOIN users u ON u.id = e.user_id`,
      [ticket.id, actor.id, input.minutes, input.note, ctx.now()]);
    if (!row) throw new Error('insert into time_entries returned no row');
    return row;
  });
}

export async function listTimeEntries(ctx: AppContext, actor: Principal, ref: string): Promise<{ data: TimeEntry[]; total_minutes: number }> {
  if (actor.kind !== 'user') throw forbidden('customers cannot see time entries');
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const data = await ctx.db.query<TimeEntry>(
    `SELECT e.id, e.user_id, u.name AS user_name, e.minutes, e.note, e.created_at FROM time_entries e JOIN users u ON u.id = e.user_id
     WHERE e.ticket_id = $1 ORDER BY e.created_at, e.id`, [ticket.id]);
  return { data, total_minutes: data.reduce((sum, e) => sum + e.minutes, 0) };
}

export const timeReportInput = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: 'must be after from', path: ['to'] });

/** Minutes booked per agent in [from, to): the input of a cost report. Managers only. */
export async function timeReport(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: { user_id: string; user_name: string; minutes: number; tickets: number }[]; total_minutes: number }> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(timeReportInput, raw);
  const data = await ctx.db.query<{ user_id: string; user_name: string; minutes: number; tickets: number }>(
    `SELECT e.user_id, u.name AS user_name, sum(e.minutes)::int AS minutes, count(DISTINCT e.ticket_id)::int AS tickets
     FROM time_entries e JOIN users u ON u.id = e.user_id WHERE e.created_at >= $1 AND e.created_at < $2
     GROUP BY e.user_id, u.name ORDER BY u.name`, [input.from, input.to]);
  return { data, total_minutes: data.reduce((s, r) => s + r.minutes, 0) };
}
