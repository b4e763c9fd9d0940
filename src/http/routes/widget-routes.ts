import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import type { LiveFeed } from '../../app/live/live-feed.ts';
import { WidgetHub } from '../../app/channels/widget-hub.ts';
import {
  loadWidget, requestWidgetTranscript, sendWidgetMessage, startWidgetChat, visitOf, widgetMessages, widgetStatus, widgetTyping, type WidgetChannel,
} from '../../app/channels/widget-chat.ts';
import { originAllowed, takeRate, widgetMessageInput, widgetStartInput, widgetTranscriptInput, widgetTypingInput } from '../../core/channels/widget.ts';
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
  const perIp = new Map<string, { start: number; n: number }>();
  const perVisitor = new Map<string, { start: number; n: number }>();

  /** The widget, after the Origin check (CORS headers set for an allowed page) and the per-IP limit. */
  const guard = async (req: FastifyRequest, reply: FastifyReply, limited = true): Promise<WidgetChannel> => {
    const w = await loadWidget(ctx, channelParam(req.params));
    const origin = header(req.headers.origin);
    if (!originAllowed(origin, w.settings.allowed_origins)) {
      throw new DomainError('forbidden', `this page's origin (${origin ?? 'none sent'}) is not allowed to use this chat widget`);
    }
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Vary', 'Origin');
    if (limited && !takeRate(perIp, `${w.id}|${req.ip}`, w.settings.per_ip_per_minute, ctx.now().getTime())) {
      reply.header('Retry-After', '60');
      throw new DomainError('rate_limited', `at most ${w.settings.per_ip_per_minute} chat requests a minute from one address`);
    }
    return w;
  };
  const visitorLimit = (w: WidgetChannel, reply: FastifyReply, token: string | undefined) => {
    if (!takeRate(perVisitor, `${w.id}|${token ?? ''}`, w.settings.per_visitor_per_minute, ctx.now().getTime())) {
      reply.header('Retry-After', '60');
      throw new DomainError('rate_limited', `at most ${w.settings.per_visitor_per_minute} messages a minute in one chat`);
    }
  };
  const token = (req: FastifyRequest) => header(req.headers['x-widget-token']);

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
      visitorLimit(w, reply, token(req));
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
      visitorLimit(w, reply, token(req));
      await widgetTyping(ctx, feed, w, token(req), req.body);
    } });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/widget/:channelId/transcript', summary: 'Chat widget: the conversation by e-mail', tags: ['widget'], auth: 'none', body: widgetTranscriptInput,
    handler: async (req, _p, reply) => {
      const w = await guard(req, reply);
      visitorLimit(w, reply, token(req));
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
