import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../core/auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { authenticate, authenticateCredential, type TokenUse } from '../app/auth/authenticate.ts';
import { grants, requiredScope, type TokenScope } from '../core/integrations/token-scopes.ts';
import { rateHeaders } from '../core/integrations/rate-window.ts';
import type { AppContext } from '../app/context.ts';
import { findUnstorableInput, formatPath } from '../app/shared/parse-input.ts';
import { withRequestFacts } from '../app/shared/request-context.ts';
import { idempotencyScope, parseIdempotencyKey, requestFingerprint, runIdempotent } from '../app/shared/idempotency.ts';

export type Auth = 'none' | 'any' | 'staff';
export type RouteResult = { status?: number; body?: unknown } | void;

export type RouteDef<A extends Auth> = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  auth: A;
  /** Documentation only: the use case parses its own input with the same schema. */
  body?: z.ZodType;
  query?: z.ZodType;
  rateLimit?: { max: number; timeWindow: string };
  /**
   * A creating POST: with an `Idempotency-Key` header the same request is answered once and replayed after
   * (docs/api.md). The handler must answer with a result, not send the reply itself.
   */
  idempotent?: boolean;
  /** The API token scope the route needs when it is not the rule's (core/integrations/token-scopes.ts). */
  scope?: TokenScope;
  /** Bytes, when the route takes more than REPLYBY_BODY_LIMIT_BYTES (uploads in base64). */
  bodyLimit?: number;
  handler: (req: FastifyRequest, principal: A extends 'none' ? null : Principal, reply: FastifyReply) => Promise<RouteResult>;
};

export const SESSION_COOKIE = 'rb_session';
export const CSRF_COOKIE = 'rb_csrf';
const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** The token a request is signed in with (bearer or session cookie), or null. */
export function credentialOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return req.cookies[SESSION_COOKIE] ?? null;
}

// The token of each request signed with one, for the RateLimit-* headers of its answer (errors included).
const tokenOfRequest = new WeakMap<FastifyRequest, TokenUse>();

/**
 * Every answer to a request signed with an API token carries its rate window, in the fields of
 * draft-ietf-httpapi-ratelimit-headers-07 (RateLimit-Limit, -Remaining, -Reset, -Policy), and a 429 also
 * `Retry-After`. Registered once by the server.
 */
export function addTokenRateHeaders(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const use = tokenOfRequest.get(req);
    if (use) reply.headers(rateHeaders({ limit: use.limit, count: use.count, windowStart: use.windowStart }, ctx.now()));
    return payload;
  });
}

/**
 * An API token's two checks: its minute's requests (429 past the limit, counted in the database so every
 * process shares it) and its scopes (403 `insufficient_scope` naming the one needed). A scope only
 * narrows: the principal is still the token's owner, with the owner's role.
 */
function checkToken(req: FastifyRequest, use: TokenUse, scope: TokenScope | undefined): void {
  tokenOfRequest.set(req, use);
  if (use.count > use.limit) throw new DomainError('rate_limited', `this API token made more than ${use.limit} requests this minute; retry after the RateLimit-Reset seconds`);
  const needed = scope ?? requiredScope(req.method, req.routeOptions.url ?? req.url);
  if (!grants(use.scopes, needed)) {
    throw new DomainError('insufficient_scope', `this API token needs the scope "${needed}" for ${req.method} ${req.routeOptions.url ?? ''} (it has: ${use.scopes.join(', ')})`);
  }
}

/** Bearer token (API clients) or session cookie (the web UI, which must echo the CSRF cookie in a header). */
export async function principalOf(ctx: AppContext, req: FastifyRequest, scope?: TokenScope): Promise<Principal> {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const { principal, token } = await authenticateCredential(ctx, header.slice(7).trim());
    if (token) checkToken(req, token, scope);
    return principal;
  }
  const session = req.cookies[SESSION_COOKIE];
  if (!session) throw new DomainError('unauthenticated', 'sign in first (no session cookie or bearer token)');
  if (UNSAFE.has(req.method)) {
    const csrf = req.headers['x-csrf-token'];
    if (!csrf || csrf !== req.cookies[CSRF_COOKIE]) throw new DomainError('forbidden', 'missing or wrong X-CSRF-Token header');
  }
  return authenticate(ctx, session);
}

/** Thin routes: authenticate, call a use case, present. Schemas are attached for the OpenAPI document. */
export function defineRoute<A extends Auth>(app: FastifyInstance, ctx: AppContext, def: RouteDef<A>): void {
  // A GET is safe to repeat already; the flag on one (three once sat on the GET beside their POST) leaves the POST unguarded.
  if (def.idempotent && def.method !== 'POST') throw new Error(`${def.method} ${def.url}: Idempotency-Key is for creating POSTs only`);
  app.route({
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.body ? { body: toJsonSchema(def.body) } : {}),
      ...(def.query ? { querystring: toJsonSchema(def.query) } : {}),
      ...(def.idempotent ? { headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, description: 'Retry safely: the same key and body answer once (docs/api.md)' } } } } : {}),
      ...(def.auth === 'none' ? {} : { security: [{ bearer: [] }, { cookie: [] }] }),
    },
    ...(def.rateLimit ? { config: { rateLimit: def.rateLimit } } : {}),
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    // The client's address reaches the audit log through the request's async context (app/shared/audit.ts).
    handler: async (req, reply) => withRequestFacts({ address: req.ip ?? null }, async () => {
      let principal: Principal | null = null;
      if (def.auth !== 'none') {
        principal = await principalOf(ctx, req, def.scope);
        if (def.auth === 'staff' && principal.kind !== 'user') throw new DomainError('forbidden', 'this endpoint is for staff');
      }
      // NUL (which PostgreSQL text cannot hold) or absurd nesting, wherever it hides, before any handler.
      for (const part of [req.params, req.query, req.body]) {
        const unstorable = findUnstorableInput(part);
        if (unstorable) throw new DomainError('invalid_input', unstorable.message, formatPath(unstorable.path) || 'body');
      }
      const key = def.idempotent ? parseIdempotencyKey(req.headers['idempotency-key']) : null;
      if (key !== null) {
        const answer = await runIdempotent(ctx, idempotencyScope(principal, req.ip), key, requestFingerprint(def.method, req.url, req.body), async () => {
          const result = await def.handler(req, principal as A extends 'none' ? null : Principal, reply);
          return result ? { status: result.status ?? 200, body: result.body ?? null } : { status: 204, body: null };
        });
        if (answer.replayed) reply.header('Idempotent-Replayed', 'true');
        return answer.status === 204 ? reply.code(204).send() : reply.code(answer.status).send(answer.body);
      }
      const result = await def.handler(req, principal as A extends 'none' ? null : Principal, reply);
      if (reply.sent) return reply;
      if (!result) return reply.code(204).send();
      return reply.code(result.status ?? 200).send(result.body ?? null);
    }),
  });
}
