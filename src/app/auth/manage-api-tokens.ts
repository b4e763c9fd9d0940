import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../shared/audit.ts';

export type ApiTokenView = { id: string; name: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };

/** The caller's own API tokens (never the secret, which exists only in the creation response). */
export async function listApiTokens(ctx: AppContext, actor: Principal): Promise<ApiTokenView[]> {
  if (actor.kind !== 'user') throw forbidden('only staff have API tokens');
  return ctx.db.query<ApiTokenView>('SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at', [actor.id]);
}

/** Revokes one of the caller's tokens (admins: anyone's); it stops working at once. */
export async function revokeApiToken(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  if (actor.kind !== 'user') throw forbidden('only staff have API tokens');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; user_id: string; name: string; revoked_at: Date | null; was_revoked_at: Date | null }>(
      `UPDATE api_tokens t SET revoked_at = COALESCE(t.revoked_at, $3) FROM api_tokens old WHERE old.id = t.id AND t.id = $1 AND (t.user_id = $2 OR $4)
       RETURNING t.id, t.user_id, t.name, t.revoked_at, old.revoked_at AS was_revoked_at`, [id, actor.id, ctx.now(), actor.role === 'admin']);
    if (!row) throw notFound('API token');
    const { was_revoked_at: wasRevokedAt, ...after } = row;
    await recordAudit(tx, actor, { action: 'revoke', target: 'api_token', targetId: id, before: { ...after, revoked_at: wasRevokedAt }, after }, ctx.now());
  });
}
