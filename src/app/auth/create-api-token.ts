import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { newToken } from './secrets.ts';

export const createApiTokenInput = z.object({ name: z.string().trim().min(1).max(100) });

/** A long-lived token for integrations, acting as the staff user who made it. Shown once; stored hashed. */
export async function createApiToken(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ id: string; name: string; token: string }> {
  if (actor.kind !== 'user') throw forbidden('only staff can create API tokens');
  const input = parseInput(createApiTokenInput, raw);
  const { token, hash } = newToken('rbt');
  const [row] = await ctx.db.query<{ id: string }>(
    'INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [actor.id, input.name, hash, ctx.now()]);
  return { id: row?.id ?? '', name: input.name, token };
}
