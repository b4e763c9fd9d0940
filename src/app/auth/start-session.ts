import type { Principal } from '../../core/auth/principal.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { newToken } from './secrets.ts';

export const SESSION_DAYS = 14;

/** `q`: the caller's transaction, when the session must only exist if what it checked still holds at commit. */
export async function startSession(ctx: AppContext, principal: Principal, q: Queryable = ctx.db): Promise<string> {
  const { token, hash } = newToken('rbs');
  const now = ctx.now();
  const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await q.query('INSERT INTO sessions (token_hash, principal_kind, principal_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hash, principal.kind, principal.id, now, expires,
  ]);
  return token;
}
