// Per-token rate limits: one fixed window per minute (docs/integrations.md), told to clients with the
// headers of draft-ietf-httpapi-ratelimit-headers-07 (RateLimit-Limit, -Remaining, -Reset, -Policy).

export const WINDOW_SECONDS = 60;

/** The start of the one-minute window that holds `now` (UTC, aligned to the minute). */
export function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / (WINDOW_SECONDS * 1000)) * WINDOW_SECONDS * 1000);
}

export type RateState = { limit: number; count: number; windowStart: Date };

export function rateHeaders(s: RateState, now: Date): Record<string, string> {
  const reset = Math.max(1, Math.ceil((s.windowStart.getTime() + WINDOW_SECONDS * 1000 - now.getTime()) / 1000));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(s.limit),
    'RateLimit-Remaining': String(Math.max(0, s.limit - s.count)),
    'RateLimit-Reset': String(reset),
    'RateLimit-Policy': `${s.limit};w=${WINDOW_SECONDS}`,
  };
  if (s.count > s.limit) headers['Retry-After'] = String(reset);
  return headers;
}
