import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { agentRoutingPatch, availabilityInput, getAgentRouting, listAgentRouting, setOwnAvailability, updateAgentRouting } from '../../app/routing/manage-agent-routing.ts';
import { getGroupRouting, groupRoutingPatch, updateGroupRouting } from '../../app/routing/manage-group-routing.ts';
import { linkTicketInput, linkTickets, listLinkedTickets, unlinkTickets } from '../../app/routing/link-tickets.ts';
import { mergeTickets, mergeTicketsInput } from '../../app/routing/merge-tickets.ts';
import { snoozeInput, snoozeTicket, unsnoozeTicket } from '../../app/routing/snooze-ticket.ts';
import { addTimeEntry, listTimeEntries, timeEntryInput, timeReport, timeReportInput } from '../../app/routing/track-time.ts';
import { getWrittenTicket } from '../../app/tickets/get-ticket.ts';
import type { Principal } from '../../core/auth/principal.ts';
import { defineRoute } from '../define-route.ts';
import { presentTicket } from '../presenters.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;
const idParam = (params: unknown): string => z.object({ id: z.string().uuid('must be a UUID') }).parse(params).id;

export function routingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const show = async (principal: Principal, id: string) => {
    const { ticket, sla } = await getWrittenTicket(ctx, id);
    return presentTicket(ticket, ctx.settings.ticketPrefix, principal, sla);
  };
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/routing/agents', summary: "Agents' skills, capacity, availability and open load", tags: ['routing'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listAgentRouting(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/routing/agents/:id', summary: "One agent's routing settings", tags: ['routing'], auth: 'staff',
    handler: async (req, p) => ({ body: await getAgentRouting(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/routing/agents/:id', summary: "Change an agent's skills, capacity, calendar or availability (agents: own availability only)", tags: ['routing'], auth: 'staff', body: agentRoutingPatch,
    handler: async (req, p) => ({ body: await updateAgentRouting(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'PUT', url: '/api/v1/routing/me/availability', summary: 'Go online, away or offline', tags: ['routing'], auth: 'staff', body: availabilityInput,
    handler: async (req, p) => ({ body: await setOwnAvailability(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/groups/:id/routing', summary: "A group's assignment mode, skills and queue length", tags: ['routing'], auth: 'staff',
    handler: async (req, p) => ({ body: await getGroupRouting(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/groups/:id/routing', summary: "Change a group's assignment mode or routed skills", tags: ['routing'], auth: 'staff', body: groupRoutingPatch,
    handler: async (req, p) => ({ body: await updateGroupRouting(ctx, p, idParam(req.params), req.body) }) });

  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/tickets/:ref/snooze', summary: 'Hide a ticket from queues until a time and/or the customer\'s reply', tags: ['tickets'], auth: 'staff', body: snoozeInput,
    handler: async (req, p) => ({ body: await show(p, await snoozeTicket(ctx, p, refParam(req.params), req.body)) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/tickets/:ref/snooze', summary: 'Wake a snoozed ticket now', tags: ['tickets'], auth: 'staff',
    handler: async (req, p) => ({ body: await show(p, await unsnoozeTicket(ctx, p, refParam(req.params))) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/tickets/:ref/merge', summary: 'Merge this ticket into another (the survivor); this one is closed', tags: ['tickets'], auth: 'staff', body: mergeTicketsInput,
    handler: async (req, p) => {
      const { survivorId } = await mergeTickets(ctx, p, refParam(req.params), req.body);
      return { body: await show(p, survivorId) };
    } });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/links', summary: 'Related tickets', tags: ['tickets'], auth: 'staff',
    handler: async (req, p) => ({ body: { data: await listLinkedTickets(ctx, p, refParam(req.params)) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/tickets/:ref/links', idempotent: true, summary: 'Link a related ticket (both directions)', tags: ['tickets'], auth: 'staff', body: linkTicketInput,
    handler: async (req, p) => {
      await linkTickets(ctx, p, refParam(req.params), req.body);
      return { status: 201, body: { data: await listLinkedTickets(ctx, p, refParam(req.params)) } };
    } });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/tickets/:ref/links/:other', summary: 'Remove a link', tags: ['tickets'], auth: 'staff',
    handler: async (req, p) => {
      const { ref, other } = z.object({ ref: z.string().max(64), other: z.string().max(64) }).parse(req.params);
      await unlinkTickets(ctx, p, ref, other);
    } });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/time', summary: 'Time entries with their total', tags: ['tickets'], auth: 'staff',
    handler: async (req, p) => ({ body: await listTimeEntries(ctx, p, refParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/tickets/:ref/time', idempotent: true, summary: 'Book time spent on a ticket', tags: ['tickets'], auth: 'staff', body: timeEntryInput,
    handler: async (req, p) => ({ status: 201, body: await addTimeEntry(ctx, p, refParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/reports/time', summary: 'Minutes booked per agent in [from, to) (managers)', tags: ['reports'], auth: 'staff', query: timeReportInput,
    handler: async (req, p) => ({ body: await timeReport(ctx, p, req.query) }) });
}
