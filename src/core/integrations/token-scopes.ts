// API token scopes (docs/integrations.md). A scope narrows what a token may do; it never widens its owner's role.

export const TOKEN_SCOPES = ['read', 'tickets', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Each scope includes the ones below it: admin ⊇ tickets ⊇ read. */
const INCLUDES: Record<TokenScope, readonly TokenScope[]> = { read: ['read'], tickets: ['tickets', 'read'], admin: ['admin', 'tickets', 'read'] };

/**
 * The scope a request needs: reading (GET, HEAD) needs `read`; writing a ticket, its replies and notes
 * (every route under /api/v1/tickets) needs `tickets`; every other write needs `admin`.
 */
export function requiredScope(method: string, routeUrl: string): TokenScope {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return 'read';
  if (routeUrl === '/api/v1/tickets' || routeUrl.startsWith('/api/v1/tickets/')) return 'tickets';
  return 'admin';
}

export function grants(scopes: readonly string[], needed: TokenScope): boolean {
  return scopes.some((s) => (TOKEN_SCOPES as readonly string[]).includes(s) && INCLUDES[s as TokenScope].includes(needed));
}
