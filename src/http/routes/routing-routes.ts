import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { agentRoutingPatch, availabilityInput, getAgentRouting, listAgentRouting, setOwnAvailability, updateAgentRouting } from '../../app/routing/manage-agent-routing.ts';
import { getGroupRouting, groupRoutingPatch, updateGroupRouting } from '../../app/routing/manage-group-routing.ts';
import { defineRoute } from '../define-route.ts';

const idParam = (params: unknown): string => z.object({ id: z.string().uuid('must be a UUID') }).parse(params).id;

export function routingRoutes(app: FastifyInstance, ctx: AppContext): void {
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
}
