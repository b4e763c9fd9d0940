import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { newToken } from './secrets.ts';
import { recordAudit } from '../shared/audit.ts';

export const createApiTokenInput = z.object({ name: z.string().trim().min(1).max(100) });

/** A long-lived token for integrations, acting as the staff user who made it. Shown once; stored hashed. */
export async function createApiToken(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ id: string; name: string; token: string }> {
  if (actor.kind !== 'user') throw forbidden('only staff can create API tokens');
  const input = parseInput(createApiTokenInput, raw);
  const { token, hash } = newToken('rbt');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; user_id: string; name: string; created_at: Date }>(
      'INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id, user_id, name, created_at', [actor.id, input.name, hash, ctx.now()]);
    if (!row) throw new Error('api token insert returned nothing');
    await recordAudit(tx, actor, { action: 'create', target: 'api_token', targetId: row.id, after: row }, ctx.now());
    return { id: row.id, name: input.name, token };
  });
}
