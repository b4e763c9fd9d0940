import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { updateOwnProfile, updateOwnProfileInput } from '../../app/people/update-own-profile.ts';
import { bulkUpdateInput, bulkUpdateTickets } from '../../app/tickets/bulk-update-tickets.ts';
import { bulkMergeInput, bulkMergeTickets } from '../../app/routing/merge-tickets.ts';
import type { ViewCounter } from '../../app/tickets/count-views.ts';
import { createFollowUp, createFollowUpInput } from '../../app/tickets/create-follow-up.ts';
import { getWrittenTicket } from '../../app/tickets/get-ticket.ts';
import { createSavedView, deleteSavedView, listSavedViews, savedViewInput } from '../../app/tickets/manage-saved-views.ts';
import { defineRoute } from '../define-route.ts';
import { presentPrincipal, presentTicket } from '../presenters.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;
const idParam = (params: unknown): string => z.object({ id: z.string().uuid() }).parse(params).id;

/** The agent workspace's endpoints: own profile, view counts, saved views, bulk changes, follow-ups. */
export function workspaceRoutes(app: FastifyInstance, ctx: AppContext, counter: ViewCounter): void {
  defineRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/auth/me', summary: 'Change your own name, language and time zone', tags: ['auth'], auth: 'any', body: updateOwnProfileInput,
    handler: async (req, principal) => ({ body: { principal: presentPrincipal(await updateOwnProfile(ctx, principal, req.body)) } }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/views/counts', summary: 'Tickets per built-in view for the caller', tags: ['tickets'], auth: 'staff',
    handler: async (_req, principal) => ({ body: await counter.counts(principal) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/views/saved', summary: "The caller's saved views", tags: ['tickets'], auth: 'staff',
    handler: async (_req, principal) => ({ body: { data: await listSavedViews(ctx, principal) } }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/views/saved', idempotent: true, summary: 'Save a view (filters, sort, columns)', tags: ['tickets'], auth: 'staff', body: savedViewInput,
    handler: async (req, principal) => ({ status: 201, body: await createSavedView(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'DELETE', url: '/api/v1/views/saved/:id', summary: 'Delete a saved view', tags: ['tickets'], auth: 'staff',
    handler: async (req, principal) => {
      await deleteSavedView(ctx, principal, idParam(req.params));
    },
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/bulk', summary: 'Change status, priority, assignee, group or tags of many tickets at once', tags: ['tickets'],
    auth: 'staff', body: bulkUpdateInput,
    handler: async (req, principal) => ({ body: await bulkUpdateTickets(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/bulk-merge', summary: 'Merge several tickets into one survivor (all or none)', tags: ['tickets'],
    auth: 'staff', body: bulkMergeInput,
    handler: async (req, principal) => ({ body: await bulkMergeTickets(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/follow-up', idempotent: true, summary: 'Open a follow-up ticket linked to this one', tags: ['tickets'], auth: 'staff',
    body: createFollowUpInput,
    handler: async (req, principal) => {
      const { ticket, sla } = await createFollowUp(ctx, principal, refParam(req.params), req.body);
      const written = await getWrittenTicket(ctx, ticket.id, sla);
      return { status: 201, body: presentTicket(written.ticket, ctx.settings.ticketPrefix, principal, written.sla) };
    },
  });
}
