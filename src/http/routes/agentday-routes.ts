import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { startWork } from '../../app/tickets/start-work.ts';
import { defineRoute } from '../define-route.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;

/** The agent's day (review 2026-12-07 items 12–14): start work on a ticket. */
export function agentDayRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/start-work', tags: ['tickets'], auth: 'staff',
    summary: 'Start work: take the ticket if unassigned, move it from New to Open, tell the customer once (before any reply)',
    handler: async (req, principal) => ({ body: await startWork(ctx, principal, refParam(req.params)) }),
  });
}
