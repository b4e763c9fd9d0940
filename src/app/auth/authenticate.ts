import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import { findActiveUser, findContact } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { hashToken } from './secrets.ts';

/** Resolves a session token (`rbs_…`) or a long-lived API token (`rbt_…`) to its principal. */
export async function authenticate(ctx: AppContext, token: string): Promise<Principal> {
  const hash = hashToken(token);
  const now = ctx.now();
  if (token.startsWith('rbt_')) {
    const [row] = await ctx.db.query<{ user_id: string }>(
      'UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id', [hash, now]);
    const user = row ? await findActiveUser(ctx.db, row.user_id) : null;
    if (user) return user;
  } else {
    const [row] = await ctx.db.query<{ principal_kind: 'user' | 'contact'; principal_id: string }>(
      'SELECT principal_kind, principal_id FROM sessions WHERE token_hash = $1 AND expires_at > $2', [hash, now]);
    if (row) {
      const principal = row.principal_kind === 'user' ? await findActiveUser(ctx.db, row.principal_id) : await findContact(ctx.db, row.principal_id);
      if (principal) return principal;
    }
  }
  throw new DomainError('unauthenticated', 'sign in first (session expired or token unknown)');
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}
