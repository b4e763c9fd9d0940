import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../core/auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { authenticate } from '../app/auth/authenticate.ts';
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

/** Bearer token (API clients) or session cookie (the web UI, which must echo the CSRF cookie in a header). */
export async function principalOf(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return authenticate(ctx, header.slice(7).trim());
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
        principal = await principalOf(ctx, req);
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
