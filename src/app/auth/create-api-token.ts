import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden } from '../../core/errors.ts';
import { TOKEN_SCOPES } from '../../core/integrations/token-scopes.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { newToken } from './secrets.ts';
import { recordAudit } from '../shared/audit.ts';

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  /** read (GET only), tickets (ticket and reply writes), admin (everything the owner may do); absent = all three. Never wider than the owner's role. */
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'pick at least one scope').max(3).default(['read', 'tickets', 'admin']),
  /** Requests per minute; absent = the server's default. Only admins may set it. */
  rate_limit_per_minute: z.number().int().min(1).max(100_000).nullable().default(null),
});

/** A long-lived token for integrations, acting as the staff user who made it. Shown once; stored hashed. */
export async function createApiToken(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ id: string; name: string; token: string; scopes: string[]; rate_limit_per_minute: number | null }> {
  if (actor.kind !== 'user') throw forbidden('only staff can create API tokens');
  const input = parseInput(createApiTokenInput, raw);
  if (input.rate_limit_per_minute !== null && actor.role !== 'admin') throw new DomainError('forbidden', 'only admins set a token\'s rate limit', 'rate_limit_per_minute');
  const scopes = [...new Set(input.scopes)];
  const { token, hash } = newToken('rbt');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; user_id: string; name: string; created_at: Date; scopes: string[]; rate_limit_per_minute: number | null }>(
      `INSERT INTO api_tokens (user_id, name, token_hash, created_at, scopes, rate_limit_per_minute) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, user_id, name, created_at, scopes, rate_limit_per_minute`, [actor.id, input.name, hash, ctx.now(), scopes, input.rate_limit_per_minute]);
    if (!row) throw new Error('api token insert returned nothing');
    await recordAudit(tx, actor, { action: 'create', target: 'api_token', targetId: row.id, after: row }, ctx.now());
    return { id: row.id, name: input.name, token, scopes: row.scopes, rate_limit_per_minute: row.rate_limit_per_minute };
  });
}
