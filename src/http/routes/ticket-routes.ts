import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { submitWebRequest, webRequestInput } from '../../app/intake/submit-web-request.ts';
import { addMessageWithAttachments, addMessageWithAttachmentsInput } from '../../app/attachments/add-message-with-attachments.ts';
import { uploadBodyLimit } from '../../app/attachments/upload-attachments.ts';
import { createTicket, createTicketInput } from '../../app/tickets/create-ticket.ts';
import { getTicket, getWrittenTicket } from '../../app/tickets/get-ticket.ts';
import { getEvents, getMessages, getTimeline } from '../../app/tickets/get-timeline.ts';
import { getQueue, listTickets, listTicketsInput } from '../../app/tickets/list-tickets.ts';
import { updateTicket, updateTicketInput } from '../../app/tickets/update-ticket.ts';
import { findMessage } from '../../store/repos/tickets-repo.ts';
import type { Principal } from '../../core/auth/principal.ts';
import type { TicketSlaState } from '../../app/sla/refresh-ticket-sla.ts';
import { defineRoute } from '../define-route.ts';
import { presentEvent, presentMessage, presentTicket, presentTimeline } from '../presenters.ts';
import type { RouteOptions } from './auth-routes.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;

export function ticketRoutes(app: FastifyInstance, ctx: AppContext, opts: RouteOptions): void {
  const prefix = ctx.settings.ticketPrefix;
  const showTicket = async (principal: Principal, ref: string) => {
    const { ticket, sla } = await getTicket(ctx, principal, ref);
    return presentTicket(ticket, prefix, principal, sla);
  };
  const showWritten = async (principal: Principal, id: string, computed?: TicketSlaState | null) => {
    const { ticket, sla } = await getWrittenTicket(ctx, id, computed);
    return presentTicket(ticket, prefix, principal, sla);
  };

  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/public/requests', summary: 'Submit the public web form', tags: ['public'], auth: 'none', idempotent: true, body: webRequestInput, bodyLimit: uploadBodyLimit(ctx),
    rateLimit: { max: opts.publicPerMinute, timeWindow: '1 minute' },
    handler: async (req) => {
      const { number, follow_url, promise } = await submitWebRequest(ctx, req.body);
      return { status: 201, body: { number, display_number: `${prefix}${number}`, follow_url, promise } };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets', summary: 'List tickets visible to the caller', tags: ['tickets'], auth: 'any', query: listTicketsInput,
    handler: async (req, principal) => {
      const page = await listTickets(ctx, principal, req.query);
      return { body: { data: page.data.map((t) => presentTicket(t, prefix, principal)), next_cursor: page.next_cursor } };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/queue', summary: "The caller's work queue, next due first", tags: ['tickets'], auth: 'staff', query: listTicketsInput.pick({ limit: true, cursor: true }),
    handler: async (req, principal) => {
      const page = await getQueue(ctx, principal, req.query);
      return { body: { data: page.data.map((t) => presentTicket(t, prefix, principal)), next_cursor: page.next_cursor } };
    },
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets', summary: 'Create a ticket', tags: ['tickets'], auth: 'any', idempotent: true, body: createTicketInput,
    handler: async (req, principal) => {
      // The write returns the ticket as shown, with the clocks it computed: nothing has happened to it since.
      const { ticket, sla } = await createTicket(ctx, principal, req.body, 'api');
      return { status: 201, body: presentTicket(ticket, prefix, principal, sla) };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets/:ref', summary: 'Get a ticket with its SLA clocks', tags: ['tickets'], auth: 'any',
    handler: async (req, principal) => ({ body: await showTicket(principal, refParam(req.params)) }),
  });
  defineRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/tickets/:ref', summary: 'Change a ticket', tags: ['tickets'], auth: 'staff', body: updateTicketInput,
    handler: async (req, principal) => {
      const id = await updateTicket(ctx, principal, refParam(req.params), req.body);
      return { body: await showWritten(principal, id) };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets/:ref/messages', summary: 'Messages (customers: public only)', tags: ['tickets'], auth: 'any',
    handler: async (req, principal) => ({ body: { data: (await getMessages(ctx, principal, refParam(req.params))).map(presentMessage) } }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/messages', summary: 'Reply publicly or add an internal note, with files (base64; executables refused)', tags: ['tickets'], auth: 'any', idempotent: true,
    body: addMessageWithAttachmentsInput, bodyLimit: uploadBodyLimit(ctx),
    handler: async (req, principal) => {
      const { messageId } = await addMessageWithAttachments(ctx, principal, refParam(req.params), req.body);
      const message = await findMessage(ctx.db, messageId);
      return { status: 201, body: message ? presentMessage(message) : null };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets/:ref/events', summary: 'The append-only event log', tags: ['tickets'], auth: 'staff',
    handler: async (req, principal) => ({ body: { data: (await getEvents(ctx, principal, refParam(req.params))).map(presentEvent) } }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets/:ref/timeline', summary: 'Messages and events, oldest first', tags: ['tickets'], auth: 'any',
    handler: async (req, principal) => ({ body: { data: presentTimeline(await getTimeline(ctx, principal, refParam(req.params))) } }),
  });
}
