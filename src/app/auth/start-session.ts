import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { newToken } from './secrets.ts';

export const SESSION_DAYS = 14;

export async function startSession(ctx: AppContext, principal: Principal): Promise<string> {
  const { token, hash } = newToken('rbs');
  const now = ctx.now();
  const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await ctx.db.query('INSERT INTO sessions (token_hash, principal_kind, principal_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hash, principal.kind, principal.id, now, expires,
  ]);
  return token;
}
