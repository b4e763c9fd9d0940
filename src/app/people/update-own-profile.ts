import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { languageSchema, timeZoneSchema } from './locale-schemas.ts';

export const updateOwnProfileInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    language: languageSchema,
    time_zone: timeZoneSchema,
  })
  .partial()
  .strict();

/** Anyone signed in sets their own name, language and time zone (what the UI and their e-mails use). */
export async function updateOwnProfile(ctx: AppContext, actor: Principal, raw: unknown): Promise<Principal> {
  const input = parseInput(updateOwnProfileInput, raw);
  const table = actor.kind === 'user' ? 'users' : 'contacts';
  const [row] = await ctx.db.query<{ name: string; language: string; time_zone: string }>(
    `UPDATE ${table} SET name = COALESCE($2, name), language = COALESCE($3, language), time_zone = COALESCE($4, time_zone), updated_at = $5
      WHERE id = $1 RETURNING name, language, time_zone`,
    [actor.id, input.name ?? null, input.language ?? null, input.time_zone ?? null, ctx.now()],
  );
  return row ? { ...actor, name: row.name, language: row.language, time_zone: row.time_zone } : actor;
}
