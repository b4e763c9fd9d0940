import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { getBoard } from '../../app/live/get-board.ts';
import type { ViewCounter } from '../../app/tickets/count-views.ts';
import type { LiveEvent, LiveFeed } from '../../app/live/live-feed.ts';
import { setPresence, setPresenceInput } from '../../app/live/set-presence.ts';
import { hashToken } from '../../app/auth/secrets.ts';
import { DomainError } from '../../core/errors.ts';
import { credentialOf, defineRoute } from '../define-route.ts';

const HEARTBEAT_MS = 20_000;
const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;

/** Server-sent events (ticket changes the caller may see, presence), the presence ping and the supervisor board. */
export function liveRoutes(app: FastifyInstance, ctx: AppContext, feed: LiveFeed, counter: ViewCounter, streamsPerSession = 10): void {
  const streams = new Set<ServerResponse>();
  // Open streams per session (the credential's hash), in this process. Over the cap a new stream is refused
  // with 429, not the oldest closed: a closed stream's browser reconnects within a second and would close
  // another in turn, so eleven tabs would churn for ever; refused, the extra tab shows "offline" and retries.
  const perSession = new Map<string, number>();
  // Open streams would hold app.close() forever: end them first.
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
    streams.clear();
  });

  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/events', summary: 'Live ticket changes and presence (text/event-stream)', tags: ['live'], auth: 'any',
    handler: async (req, principal, reply) => {
      const session = hashToken(credentialOf(req) ?? '');
      const open = perSession.get(session) ?? 0;
      if (open >= streamsPerSession) {
        reply.header('Retry-After', '30');
        throw new DomainError('rate_limited', `at most ${streamsPerSession} live-update streams per session; close another tab or window`);
      }
      perSession.set(session, open + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
      });
      // `retry`: the browser reconnects after 1 s when the stream drops.
      res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ at: ctx.now().toISOString() })}\n\n`);
      const send = (e: LiveEvent) => {
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      const unsubscribe = feed.subscribe(principal, send);
      streams.add(res);
      // No socket time-out on a stream: it is quiet on purpose between heartbeats.
      req.raw.socket.setTimeout(0);
      const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      beat.unref();
      req.raw.on('close', () => {
        clearInterval(beat);
        unsubscribe();
        streams.delete(res);
        const left = (perSession.get(session) ?? 1) - 1;
        if (left > 0) perSession.set(session, left);
        else perSession.delete(session);
      });
    },
  });

  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/presence', summary: 'Say you are viewing or typing on a ticket; answers who else is', tags: ['live'],
    auth: 'staff', body: setPresenceInput,
    handler: async (req, principal) => ({ body: { others: await setPresence(ctx, feed, principal, refParam(req.params), req.body) } }),
  });

  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/board', summary: 'Supervisor live board', tags: ['live'], auth: 'staff',
    handler: async (_req, principal) => ({ body: await getBoard(ctx, feed, counter, principal) }),
  });
}
