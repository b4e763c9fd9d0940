import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { readOnlyMode, readOnlyRefusal } from '../app/settings/read-only-mode.ts';

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * The routes that still take a write-shaped request in degraded mode: signing in and out (people must reach
 * the read-only screens), the switch itself (or nobody could turn it off), and POSTs that only compute
 * (previews, the simulator, Erlang C). Patterns as registered, so a path parameter cannot smuggle a write in.
 */
export const ALLOWED_WHILE_READ_ONLY = new Set([
  'POST /api/v1/auth/sign-in', 'POST /api/v1/portal/sign-in', 'POST /api/v1/auth/sign-out', 'POST /api/v1/portal/magic-link', 'POST /api/v1/auth/two-factor',
  'PUT /api/v1/admin/read-only',
  'POST /api/v1/sla/simulate', 'POST /api/v1/planning/erlang', 'POST /api/v1/email/templates/:key/:language/preview',
]);

/**
 * Degraded mode's one hook (docs/surge.md): every write through the API is refused with 503 `read_only`
 * before its body is parsed or its handler runs. Reads never ask (the mode is only read for a write, from the
 * process's configuration cache). Inbound mail does not come through here and is received as usual.
 */
export function refuseWritesWhileReadOnly(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (req) => {
    if (!UNSAFE.has(req.method) || !req.url.startsWith('/api/')) return;
    if (ALLOWED_WHILE_READ_ONLY.has(`${req.method} ${req.routeOptions.url ?? ''}`)) return;
    const mode = await readOnlyMode(ctx);
    if (mode.enabled) throw readOnlyRefusal(mode);
  });
}
