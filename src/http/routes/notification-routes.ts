import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { listNotifications, listNotificationsInput, unreadCount } from '../../app/notifications/list-notifications.ts';
import { createWebhook, deleteWebhook, deliveriesQuery, listDeadLetters, listDeliveries, listWebhooks, resendDelivery, retryDeadLetter, updateWebhook, webhookInput, webhookPatch } from '../../app/notifications/manage-webhooks.ts';
import { markNotificationsRead, markReadInput } from '../../app/notifications/mark-notifications-read.ts';
import { markNotificationRead } from '../../app/notifications/mark-notification-read.ts';
import { setWorkingHours, workingHoursInput } from '../../app/notifications/set-working-hours.ts';
import { defineRoute } from '../define-route.ts';

const idParam = (params: unknown): string => z.object({ id: z.string().uuid('must be a UUID') }).parse(params).id;
const numericIdParam = (params: unknown): string => z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a positive integer') }).parse(params).id;

export function notificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/notifications', summary: 'My notifications, newest first, a page at a time (cursor → next_cursor), with the unread count', tags: ['notifications'], auth: 'staff', query: listNotificationsInput,
    handler: async (req, p) => ({ body: await listNotifications(ctx, p, req.query) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/notifications/unread-count', summary: 'How many of my notifications are unread', tags: ['notifications'], auth: 'staff',
    handler: async (_req, p) => ({ body: { unread_count: await unreadCount(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/notifications/read', summary: 'Mark my notifications read (the ids given, or all)', tags: ['notifications'], auth: 'staff', body: markReadInput,
    handler: async (req, p) => ({ body: await markNotificationsRead(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/notifications/:id/read', summary: 'Mark one of my notifications read (404 for anyone else\'s)', tags: ['notifications'], auth: 'staff',
    handler: async (req, p) => ({ body: await markNotificationRead(ctx, p, numericIdParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/notifications/read-all', summary: 'Mark all my notifications read', tags: ['notifications'], auth: 'staff',
    handler: async (_req, p) => ({ body: await markNotificationsRead(ctx, p, {}) }) });
  defineRoute(app, ctx, { method: 'PUT', url: '/api/v1/me/working-hours', summary: 'My working hours (a calendar): non-urgent e-mail waits for them', tags: ['notifications'], auth: 'staff', body: workingHoursInput,
    handler: async (req, p) => ({ body: await setWorkingHours(ctx, p, req.body) }) });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/webhooks', summary: 'Webhook receivers (admin)', tags: ['webhooks'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listWebhooks(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/webhooks', summary: 'Register a webhook receiver; the signing secret is returned once (admin)', tags: ['webhooks'], auth: 'staff', body: webhookInput,
    handler: async (req, p) => ({ status: 201, body: await createWebhook(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/webhooks/:id', summary: "Change a webhook receiver's address, event subscriptions or state (admin)", tags: ['webhooks'], auth: 'staff', body: webhookPatch,
    handler: async (req, p) => ({ body: await updateWebhook(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/webhooks/deliveries', summary: 'The delivery log, newest first: status, attempts, last error, response code (admin)', tags: ['webhooks'], auth: 'staff', query: deliveriesQuery,
    handler: async (req, p) => ({ body: { data: await listDeliveries(ctx, p, req.query) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/webhooks/deliveries/:id/resend', summary: 'Send a delivery again, same id and body, fresh attempts (admin)', tags: ['webhooks'], auth: 'staff',
    handler: async (req, p) => resendDelivery(ctx, p, idParam(req.params)) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/webhooks/:id', summary: 'Remove a webhook receiver (admin)', tags: ['webhooks'], auth: 'staff',
    handler: async (req, p) => deleteWebhook(ctx, p, idParam(req.params)) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/webhooks/dead-letters', summary: 'Deliveries that failed for good (admin)', tags: ['webhooks'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listDeadLetters(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/webhooks/dead-letters/:id/retry', summary: 'Deliver a dead letter again (admin)', tags: ['webhooks'], auth: 'staff',
    handler: async (req, p) => retryDeadLetter(ctx, p, numericIdParam(req.params)) });
}
