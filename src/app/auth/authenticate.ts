import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import { findActiveUser, findSessionPrincipal } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { hashToken } from './secrets.ts';

/** Resolves a session token (`rbs_…`) or a long-lived API token (`rbt_…`) to its principal. */
export async function authenticate(ctx: AppContext, token: string): Promise<Principal> {
  const hash = hashToken(token);
  const now = ctx.now();
  if (token.startsWith('rbt_')) {
    const [row] = await ctx.db.query<{ id: string; user_id: string; last_used_at: Date | null }>(
      'SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hash]);
    const user = row ? await findActiveUser(ctx.db, row.user_id) : null;
    if (row && user) {
      // "Last used" to the minute is enough, and spares an integration's every call a row update.
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
        await ctx.db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now]);
      }
      return user;
    }
  } else {
    const principal = await findSessionPrincipal(ctx.db, hash, now);
    if (principal) return principal;
  }
  throw new DomainError('unauthenticated', 'sign in first (session expired or token unknown)');
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}
