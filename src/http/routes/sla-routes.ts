import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { calendarInput, createCalendar, deleteCalendar, getCalendar, listCalendars, updateCalendar } from '../../app/sla/manage-calendars.ts';
import { importIcsHolidays, importIcsInput } from '../../app/sla/import-ics-holidays.ts';
import { createPolicy, deletePolicy, getPolicy, listPolicies, policyInput, policyPatchInput, reorderInput, reorderPolicies, updatePolicy } from '../../app/sla/manage-policies.ts';
import { replayTicket } from '../../app/sla/replay-ticket.ts';
import { runSimulation } from '../../core/sla/index.ts';
import { DomainError } from '../../core/errors.ts';
import { defineRoute } from '../define-route.ts';

const idParam = (params: unknown): string => z.object({ id: z.string().uuid('must be a UUID') }).parse(params).id;

export function slaRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/sla/simulate', summary: 'Simulate SLA clocks for a calendar, targets and events (docs/sla-simulator.md)', tags: ['sla'], auth: 'staff', scope: 'read',
    handler: async (req) => {
      const outcome = runSimulation(req.body);
      if (!outcome.ok) {
        // The simulator's messages already start with the path; DomainError adds it again.
        const detail = outcome.message.startsWith(`${outcome.path}: `) ? outcome.message.slice(outcome.path.length + 2) : outcome.message;
        throw new DomainError('invalid_input', detail, outcome.path);
      }
      return { body: outcome.result };
    },
  });

  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/sla/replay/:ref', summary: "A ticket's SLA inputs for the simulator: its policy, priority and whole event log (merged tickets' messages included)", tags: ['sla'], auth: 'staff',
    handler: async (req, p) => ({ body: await replayTicket(ctx, p, z.object({ ref: z.string().max(64) }).parse(req.params).ref) }),
  });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/sla/policies', summary: 'SLA policies in order (the first match applies)', tags: ['sla'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listPolicies(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/sla/policies', idempotent: true, summary: 'Create an SLA policy (appended last)', tags: ['sla'], auth: 'staff', body: policyInput,
    handler: async (req, p) => ({ status: 201, body: await createPolicy(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/sla/policies/reorder', summary: 'Set the order of all policies', tags: ['sla'], auth: 'staff', body: reorderInput,
    handler: async (req, p) => ({ body: { data: await reorderPolicies(ctx, p, req.body) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/sla/policies/:id', summary: 'Get an SLA policy', tags: ['sla'], auth: 'staff',
    handler: async (req, p) => ({ body: await getPolicy(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/sla/policies/:id', summary: 'Change an SLA policy (open tickets are recomputed in the background)', tags: ['sla'], auth: 'staff', body: policyPatchInput,
    handler: async (req, p) => ({ body: await updatePolicy(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/sla/policies/:id', summary: 'Delete an SLA policy', tags: ['sla'], auth: 'staff',
    handler: async (req, p) => deletePolicy(ctx, p, idParam(req.params)) });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/sla/calendars', summary: 'Business calendars', tags: ['sla'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listCalendars(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/sla/calendars', idempotent: true, summary: 'Create a business calendar', tags: ['sla'], auth: 'staff', body: calendarInput,
    handler: async (req, p) => ({ status: 201, body: await createCalendar(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/sla/calendars/:id', summary: 'Get a business calendar', tags: ['sla'], auth: 'staff',
    handler: async (req, p) => ({ body: await getCalendar(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/sla/calendars/:id', summary: 'Change a calendar (open tickets are recomputed in the background)', tags: ['sla'], auth: 'staff', body: calendarInput.partial(),
    handler: async (req, p) => ({ body: await updateCalendar(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/sla/calendars/:id/ics', idempotent: true, summary: 'Import an iCalendar holiday feed from a URL or from a file\'s text', tags: ['sla'], auth: 'staff', body: importIcsInput,
    handler: async (req, p) => ({ body: await importIcsHolidays(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/sla/calendars/:id', summary: 'Delete an unused calendar', tags: ['sla'], auth: 'staff',
    handler: async (req, p) => deleteCalendar(ctx, p, idParam(req.params)) });
}
