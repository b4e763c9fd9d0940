import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../shared/audit.ts';
import { z } from 'zod';
import { TOKEN_SCOPES } from '../../core/integrations/token-scopes.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';

export type ApiTokenView = { id: string; name: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null; scopes: string[]; rate_limit_per_minute: number | null };
const VIEW = 't.id, t.name, t.created_at, t.last_used_at, t.revoked_at, t.scopes, t.rate_limit_per_minute';

/** The caller's own API tokens (never the secret, which exists only in the creation response). */
export async function listApiTokens(ctx: AppContext, actor: Principal): Promise<ApiTokenView[]> {
  if (actor.kind !== 'user') throw forbidden('only staff have API tokens');
  return ctx.db.query<ApiTokenView>(`SELECT ${VIEW} FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.created_at`, [actor.id]);
}

/** Every staff member's tokens, with their owners (admins): where scopes and limits are managed. */
export async function listAllApiTokens(ctx: AppContext, actor: Principal): Promise<(ApiTokenView & { owner: { id: string; name: string; email: string } })[]> {
  requireStaff(actor, ['admin']);
  return ctx.db.query(
    `SELECT ${VIEW}, json_build_object('id', u.id, 'name', u.name, 'email', u.email) AS owner
     FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.revoked_at IS NOT NULL, t.created_at, t.id`);
}

export const updateApiTokenInput = z.object({
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'pick at least one scope').max(3).optional(),
  /** null = the server's default. */
  rate_limit_per_minute: z.number().int().min(1).max(100_000).nullable().optional(),
}).strict();

/** Admins change a token's scopes or its rate limit; the token keeps working under the new ones at once. */
export async function updateApiToken(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<ApiTokenView> {
  requireStaff(actor, ['admin']);
  const input = parseInput(updateApiTokenInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<ApiTokenView>(`SELECT ${VIEW} FROM api_tokens t WHERE t.id = $1 FOR UPDATE`, [id]);
    if (!before) throw notFound('API token');
    const [after] = await tx.query<ApiTokenView>(
      `UPDATE api_tokens t SET scopes = COALESCE($2::text[], t.scopes), rate_limit_per_minute = CASE WHEN $4 THEN $3::int ELSE t.rate_limit_per_minute END
       WHERE t.id = $1 RETURNING ${VIEW}`,
      [id, input.scopes ? [...new Set(input.scopes)] : null, input.rate_limit_per_minute ?? null, input.rate_limit_per_minute !== undefined]);
    if (!after) throw notFound('API token');
    await recordAudit(tx, actor, { action: 'update', target: 'api_token', targetId: id, before, after }, ctx.now());
    return after;
  });
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
