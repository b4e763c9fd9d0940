import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { createChannel, createChannelInput, listChannels, updateChannel, updateChannelInput } from '../../app/channels/manage-channels.ts';
import { receiveTelegramUpdate } from '../../app/channels/receive-telegram-update.ts';
import { receiveWebhookMessage } from '../../app/channels/receive-webhook-message.ts';
import { defineRoute } from '../define-route.ts';

const idParam = (params: unknown): string => z.object({ id: z.string().uuid('must be a UUID') }).parse(params).id;
const channelParam = (params: unknown): string => z.object({ channelId: z.string().uuid('must be a UUID') }).parse(params).channelId;
const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Channel admin (staff API). */
export function channelRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/channels', summary: 'Messenger channels: Telegram bots and generic webhooks, without their secrets (admin)', tags: ['channels'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listChannels(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/channels', summary: 'Connect a Telegram bot or a generic webhook messenger; the secret is returned once (admin)', tags: ['channels'], auth: 'staff', body: createChannelInput,
    handler: async (req, p) => ({ status: 201, body: await createChannel(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/channels/:id', summary: 'Rename, regroup or disable a channel (admin)', tags: ['channels'], auth: 'staff', body: updateChannelInput,
    handler: async (req, p) => ({ body: await updateChannel(ctx, p, idParam(req.params), req.body) }) });
}

/**
 * What messengers call. In their own scope: the body arrives as text, because the generic channel's
 * signature covers the exact bytes sent (a parsed and re-serialized body would not match).
 */
export async function channelInboundRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    defineRoute(scope, ctx, { method: 'POST', url: '/api/v1/channels/telegram/:channelId/webhook', summary: 'Telegram Bot API webhook (an Update; X-Telegram-Bot-Api-Secret-Token required)', tags: ['channels'], auth: 'none',
      handler: async (req) => ({ body: await receiveTelegramUpdate(ctx, channelParam(req.params), header(req.headers['x-telegram-bot-api-secret-token']), req.body) }) });
    defineRoute(scope, ctx, { method: 'POST', url: '/api/v1/channels/webhook/:channelId/messages', summary: 'A message from a generic webhook messenger (signed: X-Replyby-Signature; docs/channels.md)', tags: ['channels'], auth: 'none',
      handler: async (req) => ({ body: await receiveWebhookMessage(ctx, channelParam(req.params), header(req.headers['x-replyby-signature']), req.body) }) });
  });
}
