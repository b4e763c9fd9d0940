import { channelInboundRoutes, channelRoutes } from './routes/channel-routes.ts';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZodError } from 'zod';
import type { AppContext } from '../app/context.ts';
import { describeIssue } from '../app/shared/parse-input.ts';
import { DomainError } from '../core/errors.ts';
import { databaseErrorStatus, HTTP_STATUS, errorBody } from './error-map.ts';
import { authRoutes, type RouteOptions } from './routes/auth-routes.ts';
import { peopleRoutes } from './routes/people-routes.ts';
import { emailRoutes } from './routes/email-routes.ts';
import { notificationRoutes } from './routes/notification-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';
import { cockpitRoutes } from './routes/cockpit-routes.ts';
import { planningRoutes } from './routes/planning-routes.ts';
import { slaRoutes } from './routes/sla-routes.ts';
import { promiseRoutes } from './routes/promise-routes.ts';
import { ticketRoutes } from './routes/ticket-routes.ts';
import { agentDayRoutes } from './routes/agentday-routes.ts';
import { triageRoutes } from './routes/triage-routes.ts';
import { routingRoutes } from './routes/routing-routes.ts';
import { liveRoutes } from './routes/live-routes.ts';
import { workspaceRoutes } from './routes/workspace-routes.ts';
import { importRoutes } from './routes/import-routes.ts';
import { surgeRoutes } from './routes/surge-routes.ts';
import { refuseWritesWhileReadOnly } from './read-only.ts';
import { addTokenRateHeaders } from './define-route.ts';
import { LiveFeed } from '../app/live/live-feed.ts';
import { widgetRoutes } from './routes/widget-routes.ts';
import { ViewCounter } from '../app/tickets/count-views.ts';
import { CLIENT_TIMEOUT_DEFAULTS, dropStalledBodies, nodeServerOptions, type ClientTimeouts } from './slow-clients.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { privacyRoutes } from './routes/privacy-routes.ts';
import { sideConversationRoutes } from './routes/sideconv-routes.ts';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export type ServerOptions = RouteOptions & {
  bodyLimitBytes: number;
  logLevel: string;
  /** The process's logger (the CLI's, readable on a terminal); without it Fastify makes a JSON one at logLevel. */
  logger?: FastifyBaseLogger;
  trustProxy?: boolean | string;
  /** Extra route registrations (e.g. SLA policy admin), so new capabilities plug in without editing this file. */
  plugins?: ((app: FastifyInstance, ctx: AppContext) => void)[];
  /** How long a client may take to send its request (http/slow-clients.ts; docs/security.md). */
  clientTimeouts?: Partial<ClientTimeouts>;
  /** Live-update streams one session may hold open at once (per process). */
  streamsPerSession?: number;
};

export async function buildServer(ctx: AppContext, opts: ServerOptions): Promise<FastifyInstance> {
  const timeouts = { ...CLIENT_TIMEOUT_DEFAULTS, ...opts.clientTimeouts };
  const nodeOptions = nodeServerOptions(timeouts);
  const app = Fastify({
    http: nodeOptions,
    // Fastify sets the server's requestTimeout itself after creating it: the same value, or its 0 would win.
    requestTimeout: nodeOptions.requestTimeout,
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: opts.logLevel === 'silent' ? false : { level: opts.logLevel } }),
    // Fastify's two JSON lines per request at info buried the start banner and the logged sign-in links;
    // one line per request is written at debug below instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimitBytes,
    trustProxy: opts.trustProxy ?? false,
    // Input is validated by the use cases' zod schemas (one definition for types, errors and docs);
    // the JSON schemas attached to routes exist for the OpenAPI document only.
    ajv: { customOptions: { strict: false } },
  });
  app.setValidatorCompiler(() => (data) => ({ value: data }));

  dropStalledBodies(app, timeouts.bodyIdleMs);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    // The plugin throws what this returns and the error handler below shapes it, reading `message`.
    errorResponseBuilder: (_req, context) => Object.assign(new Error(`too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`), { statusCode: 429 }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Replyby API', version: '1.0.0', description: 'Errors: `{ "error": { "code", "message", "path"? } }`.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'rb_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((err: FastifyError | DomainError | ZodError, req, reply) => {
    if (err instanceof DomainError) {
      return reply.code(HTTP_STATUS[err.code]).send(errorBody(err.code, err.message, err.path, err.errors));
    }
    if (err instanceof ZodError) {
      // A path parameter or query parsed in a route: same shape as parseInput's errors.
      const errors = err.issues.flatMap((issue) => describeIssue(issue));
      const first = errors[0];
      return reply.code(400).send(errorBody('invalid_input', first ? `${first.path}: ${first.message}` : 'invalid', first?.path, errors));
    }
    const fromDatabase = databaseErrorStatus(err);
    if (fromDatabase) {
      req.log.warn({ err }, 'database refused a request');
      return reply.code(fromDatabase.status).send(fromDatabase.body);
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send(errorBody('rate_limited', err.message));
    if (status === 413) return reply.code(413).send(errorBody('payload_too_large', `body is larger than ${req.routeOptions.bodyLimit ?? opts.bodyLimitBytes} bytes`, 'body'));
    if (status >= 400 && status < 500) {
      // Fastify's own parse errors: malformed JSON, unsupported content type, empty body.
      return reply.code(400).send(errorBody('invalid_input', `body: ${err.message}`, 'body'));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', 'internal error; it has been logged'));
  });

  // One line per request, at debug. The route's pattern, never the raw URL: sign-in links carry their token in the path.
  app.addHook('onResponse', async (req, reply) => {
    // `level` is pino's current level name; skip building the object when debug is off.
    if (req.log.level !== 'debug' && req.log.level !== 'trace') return;
    req.log.debug({ method: req.method, route: req.routeOptions.url ?? 'no route', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  // Baseline headers for every answer; a full CSP waits for the UI to drop inline styles.
  app.addHook('onSend', async (_req, reply, payload) => {
    // The server's own time for the answer (received → serialized), for benchmarks and browser devtools (bench:scale).
    reply.header('Server-Timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    return payload;
  });

  addTokenRateHeaders(app, ctx);
  refuseWritesWhileReadOnly(app, ctx);

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await ctx.db.query('SELECT 1');
      return { status: 'ready', engine: ctx.db.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  authRoutes(app, ctx, opts);
  ticketRoutes(app, ctx, opts);
  const feed = new LiveFeed(ctx);
  await feed.start();
  app.addHook('onClose', async () => feed.stop());
  const counter = new ViewCounter(ctx);
  feed.onTicketChange(() => counter.invalidate());
  liveRoutes(app, ctx, feed, counter, opts.streamsPerSession);
  workspaceRoutes(app, ctx, counter);
  peopleRoutes(app, ctx);
  slaRoutes(app, ctx);
  planningRoutes(app, ctx);
  reportRoutes(app, ctx);
  cockpitRoutes(app, ctx);
  emailRoutes(app, ctx);
  promiseRoutes(app, ctx);
  triageRoutes(app, ctx, opts);
  routingRoutes(app, ctx);
  notificationRoutes(app, ctx);
  agentDayRoutes(app, ctx);
  importRoutes(app, ctx);
  channelRoutes(app, ctx);
  await channelInboundRoutes(app, ctx);
  await widgetRoutes(app, ctx, feed);
  surgeRoutes(app, ctx);
  sideConversationRoutes(app, ctx);
  auditRoutes(app, ctx);
  privacyRoutes(app, ctx);
  for (const plugin of opts.plugins ?? []) plugin(app, ctx);

  const hasWeb = existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0] ?? '';
    // A missing file (an old cached bundle asking for /assets/x.js) must be a 404, not the HTML shell.
    const isFile = pathname.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(pathname);
    if (pathname.startsWith('/api/') || req.method !== 'GET' || !hasWeb || isFile) {
      return reply.code(404).send(errorBody('not_found', `no route ${req.method} ${pathname}`));
    }
    // The single-page app owns every other path (/, /support, /portal/…, /tickets/…).
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
