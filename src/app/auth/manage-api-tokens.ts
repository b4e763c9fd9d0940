import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';

export type ApiTokenView = { id: string; name: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };

/** The caller's own API tokens (never the secret, which exists only in the creation response). */
export async function listApiTokens(ctx: AppContext, actor: Principal): Promise<ApiTokenView[]> {
  if (actor.kind !== 'user') throw forbidden('only staff have API tokens');
  return ctx.db.query<ApiTokenView>('SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at', [actor.id]);
}

/** Revokes one of the caller's tokens (admins: anyone's); it stops working at once. */
export async function revokeApiToken(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  if (actor.kind !== 'user') throw forbidden('only staff have API tokens');
  const rows = await ctx.db.query(
    'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND (user_id = $2 OR $4) RETURNING id', [id, actor.id, ctx.now(), actor.role === 'admin']);
  if (rows.length === 0) throw notFound('API token');
}
