import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// One signature for everything Replyby signs or verifies over HTTP (outgoing staff webhooks, the generic
// messenger channel both ways): `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The timestamp is
// inside the MAC, so a captured request cannot be replayed later with a fresh one.

/** Requests signed more than this far from our clock are refused (replays, or a clock badly off). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signBody(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** Null when `header` signs `body` with `secret` within the tolerance of `nowMs`; else what is wrong. */
export function checkSignature(header: string | undefined, secret: string, body: string, nowMs: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): SignatureProblem | null {
  if (!header) return 'missing';
  const parts = new Map(header.split(',').map((p) => {
    const i = p.indexOf('=');
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
  }));
  const t = parts.get('t') ?? '';
  const v1 = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/i.test(v1)) return 'malformed';
  if (Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds) return 'stale';
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex')) ? null : 'mismatch';
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * A presented secret against the SHA-256 we stored: both sides hashed to 32 bytes first, so the
 * comparison is constant-time whatever length was sent.
 */
export function secretMatches(presented: string | undefined, storedSha256: Uint8Array): boolean {
  if (!presented || storedSha256.length !== 32) return false;
  return timingSafeEqual(sha256(presented), Buffer.from(storedSha256));
}
