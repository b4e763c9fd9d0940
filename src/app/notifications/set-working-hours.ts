import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { invalidInput } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';

export const workingHoursInput = z.object({
  /** A business calendar (its hours, zone and holidays); null = notify at any time. */
  calendar_id: z.string().uuid().nullable(),
}).strict();

/** The caller's own working hours: non-urgent e-mail notifications wait for them. */
export async function setWorkingHours(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ calendar_id: string | null }> {
  const user = requireStaff(actor);
  const input = parseInput(workingHoursInput, raw);
  if (input.calendar_id && !(await ctx.db.query('SELECT 1 FROM calendars WHERE id = $1', [input.calendar_id])).length) {
    throw invalidInput('calendar_id', 'no such calendar');
  }
  await ctx.db.query('UPDATE users SET working_calendar_id = $2 WHERE id = $1', [user.id, input.calendar_id]);
  return { calendar_id: input.calendar_id };
}
