import { createHash } from 'node:crypto';
import { DomainError } from '../../core/errors.ts';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';

/** How long a key is remembered (Stripe and the IETF draft's usual window). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A first request still running after this is taken as lost (its process died); the key may run again. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export type IdempotentAnswer = { status: number; body: unknown };

/** Keys are opaque to us: 1–255 visible ASCII characters (a UUID is the usual choice). */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new DomainError('invalid_input', 'must be 1 to 255 visible ASCII characters (e.g. a UUID)', IDEMPOTENCY_HEADER);
  }
  return key;
}

/** Signed-in callers by who they are; the unauthenticated web form by address, so nobody replays another's answer. */
export function idempotencyScope(principal: Principal | null, clientAddress: string): string {
  return principal ? `${principal.kind}:${principal.id}` : `public:${clientAddress}`;
}

/** Object keys sorted, so the same JSON body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return `${method} ${path} ${createHash('sha256').update(canonical(body ?? null)).digest('base64url')}`;
}

type KeyRow = { fingerprint: string; status: number | null; response: unknown; created_at: Date; completed_at: Date | null };

/**
 * Runs `run` once per (scope, key). The key is claimed before the request runs, so a second copy arriving
 * while the first runs is told to wait (409) instead of creating a second ticket; a successful answer is
 * stored and replayed to every retry for 24 hours. A failed request (an error, a 4xx) releases the key: the
 * client may fix the request and send it again with the same key.
 */
export async function runIdempotent(
  ctx: AppContext, scope: string, key: string, fingerprint: string, run: () => Promise<IdempotentAnswer>,
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const now = ctx.now();
  const claimed = await ctx.db.query<{ key: string }>(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at, status = NULL, response = NULL, completed_at = NULL
       WHERE idempotency_keys.created_at < $5
          OR (idempotency_keys.completed_at IS NULL AND idempotency_keys.created_at < $6 AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
     RETURNING key`,
    [scope, key, fingerprint, now, new Date(now.getTime() - IDEMPOTENCY_TTL_MS), new Date(now.getTime() - IDEMPOTENCY_LEASE_MS)]);
  if (claimed.length === 0) {
    const [row] = await ctx.db.query<KeyRow>('SELECT fingerprint, status, response, created_at, completed_at FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
    if (!row) throw new DomainError('conflict', 'the request with this key was just released; send it again', IDEMPOTENCY_HEADER);
    if (row.fingerprint !== fingerprint) {
      throw new DomainError('unprocessable', 'was already used for a different request (another path or body); use a new key', IDEMPOTENCY_HEADER);
    }
    if (row.completed_at === null || row.status === null) {
      throw new DomainError('conflict', 'a request with this key is still being processed; retry in a moment', IDEMPOTENCY_HEADER);
    }
    return { status: row.status, body: row.response, replayed: true };
  }
  let answer: IdempotentAnswer;
  try {
    answer = await run();
  } catch (error) {
    await ctx.db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND completed_at IS NULL', [scope, key]);
    throw error;
  }
  if (answer.status >= 200 && answer.status < 300) {
    await ctx.db.query('UPDATE idempotency_keys SET status = $3, response = $4, completed_at = $5 WHERE scope = $1 AND key = $2',
      [scope, key, answer.status, JSON.stringify(answer.body ?? null), ctx.now()]);
  } else {
    await ctx.db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND completed_at IS NULL', [scope, key]);
  }
  return { ...answer, replayed: false };
}

/** Forgets keys older than the window (the lifecycle sweep calls it; a stale key is also ignored on use). */
export async function forgetExpiredIdempotencyKeys(ctx: AppContext): Promise<number> {
  const rows = await ctx.db.query<{ key: string }>(
    `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT 5000) RETURNING key`,
    [new Date(ctx.now().getTime() - IDEMPOTENCY_TTL_MS)]);
  return rows.length;
}
