import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import { windowStart } from '../../core/integrations/rate-window.ts';
import { findActiveUser, findSessionPrincipal } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { hashToken } from './secrets.ts';

/** What a request signed with an API token may do and how much of its minute it has used. */
export type TokenUse = { id: string; scopes: string[]; limit: number; count: number; windowStart: Date };

/** Resolves a session token (`rbs_…`) or a long-lived API token (`rbt_…`) to its principal. */
export async function authenticate(ctx: AppContext, token: string): Promise<Principal> {
  return (await authenticateCredential(ctx, token)).principal;
}

/**
 * As `authenticate`, and for an API token also its scopes and its rate window: the lookup and the
 * window's count (one fixed one-minute row per token, shared by every process) are one statement.
 * That statement is its own transaction and commits without waiting for the WAL flush (`synchronous_commit`
 * off for it alone, set inside the statement, so no extra round trip): a crash may forget the last fraction
 * of a second of counts, which for a one-minute rate window is harmless; it made the count cost what a read
 * costs (BENCHMARKS.md, "Per-token rate limits"). The caller decides what to refuse (http/define-route.ts).
 */
export async function authenticateCredential(ctx: AppContext, token: string): Promise<{ principal: Principal; token: TokenUse | null }> {
  const hash = hashToken(token);
  const now = ctx.now();
  if (token.startsWith('rbt_')) {
    const [row] = await ctx.db.query<{ id: string; user_id: string; last_used_at: Date | null; scopes: string[]; rate_limit_per_minute: number | null; count: number; window_start: Date }>(
      `WITH t AS (SELECT id, user_id, last_used_at, scopes, rate_limit_per_minute FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
       u AS (
         INSERT INTO api_token_usage AS w (token_id, window_start, count) SELECT id, $2, 1 FROM t
         ON CONFLICT (token_id) DO UPDATE SET
           count = CASE WHEN EXCLUDED.window_start > w.window_start THEN 1 ELSE w.count + 1 END,
           window_start = GREATEST(w.window_start, EXCLUDED.window_start)
         RETURNING count, window_start)
       SELECT t.*, u.count, u.window_start, set_config('synchronous_commit', 'off', true) AS async_commit FROM t, u`, [hash, windowStart(now)]);
    const user = row ? await findActiveUser(ctx.db, row.user_id) : null;
    if (row && user) {
      // "Last used" to the minute is enough, and spares an integration's every call a row update.
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
        await ctx.db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now]);
      }
      return {
        principal: user,
        token: { id: row.id, scopes: row.scopes, limit: row.rate_limit_per_minute ?? ctx.settings.tokenRateLimitPerMinute ?? DEFAULT_TOKEN_RATE_LIMIT, count: row.count, windowStart: row.window_start },
      };
    }
  } else {
    const principal = await findSessionPrincipal(ctx.db, hash, now);
    if (principal) return { principal, token: null };
  }
  throw new DomainError('unauthenticated', 'sign in first (session expired or token unknown)');
}

export const DEFAULT_TOKEN_RATE_LIMIT = 600;

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}
