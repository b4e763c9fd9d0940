import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import type { LiveFeed } from '../../app/live/live-feed.ts';
import { WidgetHub } from '../../app/channels/widget-hub.ts';
import {
  loadWidget, requestWidgetTranscript, sendWidgetMessage, startWidgetChat, visitOf, widgetMessages, widgetStatus, widgetTyping, type WidgetChannel,
} from '../../app/channels/widget-chat.ts';
import { originAllowed, widgetMessageInput, widgetStartInput, widgetTranscriptInput, widgetTypingInput } from '../../core/channels/widget.ts';
import { DomainError } from '../../core/errors.ts';
import { defineRoute } from '../define-route.ts';

const HEARTBEAT_MS = 20_000;
const channelParam = (params: unknown): string => z.object({ channelId: z.string().uuid('must be a UUID') }).parse(params).channelId;
const afterQuery = z.object({ after: z.coerce.number().int().min(0).max(2_000_000_000).default(0), token: z.string().max(200).optional() });
const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The chat widget's public API (docs/channels.md, "Chat widget"): every call names its widget channel, and is
 * answered only for a page whose Origin the admin allowed (CORS), within the per-IP and per-visitor limits.
 * The visitor's token travels in `X-Widget-Token` (in `?token=` for the stream: EventSource sets no headers).
 */
export async function widgetRoutes(app: FastifyInstance, ctx: AppContext, feed: LiveFeed): Promise<WidgetHub> {
  const hub = new WidgetHub(ctx, feed);
  await hub.start();
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
    streams.clear();
  });
  app.addHook('onClose', async () => hub.stop());
  const token = (req: FastifyRequest) => header(req.headers['x-widget-token']);
  // The per-IP and per-visitor limits are @fastify/rate-limit's counters (its in-process store, one window of a
  // minute from a key's first call), with `max` read from the widget's settings on each call. Not the route-level
  // `config.rateLimit`: the plugin runs one route limit per request and keeps a store per route, while the widget
  // has two limits and the per-IP one counts every call to one widget together; and the 429 must come after the
  // Origin check so it carries the CORS headers the page needs to read it. Each limit's store keeps its 5,000 most
  // recently seen keys (the plugin's LRU): a key pushed out starts a fresh window.
  const perIp = app.createRateLimit({ timeWindow: 60_000, keyGenerator: (req) => `widget-ip|${channelParam(req.params)}|${req.ip}`,
    max: async (req) => (await loadWidget(ctx, channelParam(req.params))).settings.per_ip_per_minute });
  const perVisitor = app.createRateLimit({ timeWindow: 60_000, keyGenerator: (req) => `widget-visitor|${channelParam(req.params)}|${token(req) ?? ''}`,
    max: async (req) => (await loadWidget(ctx, channelParam(req.params))).settings.per_visitor_per_minute });
  /** Counts the call against a limit; the draft RateLimit headers as the plugin writes them, and a 429 with Retry-After past the limit. */
  const limit = async (limiter: typeof perIp, req: FastifyRequest, reply: FastifyReply, refusal: (max: number) => string): Promise<void> => {
    const r = await limiter(req);
    if (r.isAllowed) return;
    reply.header('x-ratelimit-limit', r.max);
    reply.header('x-ratelimit-remaining', r.remaining);
    reply.header('x-ratelimit-reset', r.ttlInSeconds);
    if (!r.isExceeded) return;
    reply.header('retry-after', r.ttlInSeconds);
    throw new DomainError('rate_limited', `${refusal(r.max)}; retry in ${r.ttlInSeconds} s`);
  };

  /** The widget, after the Origin check (CORS headers set for an allowed page) and the per-IP limit. */
  const guard = async (req: FastifyRequest, reply: FastifyReply, limited = true): Promise<WidgetChannel> => {
    const w = await loadWidget(ctx, channelParam(req.params));
    const origin = header(req.headers.origin);
    if (!originAllowed(origin, w.settings.allowed_origins)) {
      throw new DomainError('forbidden', `this page's origin (${origin ?? 'none sent'}) is not allowed to use this chat widget`);
    }
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Vary', 'Origin');
    // The page's script reads when it may retry (not a CORS-safelisted header).
    reply.header('Access-Control-Expose-Headers', 'retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset');
    if (limited) await limit(perIp, req, reply, (max) => `at most ${max} chat requests a minute from one address`);
    return w;
  };
  const visitorLimit = (req: FastifyRequest, reply: FastifyReply) =>
    limit(perVisitor, req, reply, (max) => `at most ${max} messages a minute in one chat`);

  // CORS preflight: the same Origin check; allowed pages may send JSON and the visitor token.
  app.route({
    method: 'OPTIONS', url: '/api/v1/widget/:channelId/*', schema: { hide: true },
    handler: async (req, reply) => {
      await guard(req, reply, false);
      reply.header('Access-Control-Allow-Methods', 'GET, POST');
      reply.header('Access-Control-Allow-Headers', 'content-type, x-widget-token, last-event-id');
      reply.header('Access-Control-Max-Age', '600');
      return reply.code(204).send();
    },
  });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/widget/:channelId/status', summary: 'Chat widget: title, colour, whether someone is on duty and the expected wait', tags: ['widget'], auth: 'none',
    handler: async (req, _p, reply) => ({ body: await widgetStatus(ctx, await guard(req, reply)) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/widget/:channelId/sessions', summary: 'Chat widget: the pre-chat form (name, e-mail, first message); answers the visitor token', tags: ['widget'], auth: 'none', body: widgetStartInput,
    handler: async (req, _p, reply) => ({ status: 201, body: await startWidgetChat(ctx, await guard(req, reply), req.body) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/widget/:channelId/messages', summary: 'Chat widget: the visitor writes (a repeated client_id counts once)', tags: ['widget'], auth: 'none', body: widgetMessageInput,
    handler: async (req, _p, reply) => {
      const w = await guard(req, reply);
      await visitorLimit(req, reply);
      return { body: await sendWidgetMessage(ctx, w, token(req), req.body) };
    } });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/widget/:channelId/messages', summary: 'Chat widget: the conversation after a cursor (`after` = last seq seen)', tags: ['widget'], auth: 'none', query: afterQuery,
    handler: async (req, _p, reply) => {
      const w = await guard(req, reply);
      const q = afterQuery.parse(req.query);
      const { data } = await widgetMessages(ctx, w, token(req), q.after);
      return { body: { data } };
    } });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/widget/:channelId/typing', summary: 'Chat widget: the visitor is typing, or stopped', tags: ['widget'], auth: 'none', body: widgetTypingInput,
    handler: async (req, _p, reply) => {
      const w = await guard(req, reply);
      await visitorLimit(req, reply);
      await widgetTyping(ctx, feed, w, token(req), req.body);
    } });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/widget/:channelId/transcript', summary: 'Chat widget: the conversation by e-mail', tags: ['widget'], auth: 'none', body: widgetTranscriptInput,
    handler: async (req, _p, reply) => {
      const w = await guard(req, reply);
      await visitorLimit(req, reply);
      return { status: 202, body: await requestWidgetTranscript(ctx, w, token(req), req.body) };
    } });

  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/widget/:channelId/stream', summary: 'Chat widget: messages (event `message`, id = seq) and agent typing (event `typing`) as text/event-stream; resumes after `Last-Event-ID` or `after`', tags: ['widget'], auth: 'none', query: afterQuery,
    handler: async (req, _p, reply) => {
      const w = await guard(req, reply);
      const q = afterQuery.parse(req.query);
      const visit = await visitOf(ctx, w, q.token ?? token(req));
      const lastId = Number(header(req.headers['last-event-id']));
      const cursor = Math.max(q.after, Number.isInteger(lastId) && lastId > 0 ? lastId : 0);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive',
        'X-Accel-Buffering': 'no', 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': header(req.headers.origin) ?? '', Vary: 'Origin',
      });
      res.write('retry: 1000\n\n');
      streams.add(res);
      const close = hub.add({
        conversationId: visit.id, contactId: visit.contact_id, cursor,
        sendMessages: (messages) => {
          for (const m of messages) res.write(`id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(m)}\n\n`);
        },
        sendTyping: (typing) => res.write(`event: typing\ndata: ${JSON.stringify({ typing })}\n\n`),
      }, visit.ticket_id);
      req.raw.socket.setTimeout(0);
      const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      beat.unref();
      req.raw.on('close', () => {
        clearInterval(beat);
        close();
        streams.delete(res);
      });
    },
  });
  return hub;
}
