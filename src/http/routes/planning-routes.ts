import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { buildPlan, planQuery } from '../../app/planning/build-plan.ts';
import { forecastArrivalsFor, forecastQuery } from '../../app/planning/forecast-arrivals.ts';
import { runWhatIfFor, whatIfInput } from '../../app/planning/run-whatif.ts';
import { importRosters, rosterImportInput } from '../../app/planning/import-rosters.ts';
import { getRoster, listRosters, putRoster, removeRoster } from '../../app/planning/manage-rosters.ts';
import { DomainError } from '../../core/errors.ts';
import { erlangInputSchema, parseErlangInput, planErlang, rosterSchema } from '../../core/planning/index.ts';
import { defineRoute } from '../define-route.ts';

export function planningRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/planning/erlang', summary: 'Agents and staff an interval needs for a service-level target (Erlang C; docs/planning.md)', tags: ['planning'], auth: 'staff', body: erlangInputSchema, scope: 'read',
    handler: async (req) => {
      const parsed = parseErlangInput(req.body);
      if (!parsed.ok) {
        const detail = parsed.message.startsWith(`${parsed.path}: `) ? parsed.message.slice(parsed.path.length + 2) : parsed.message;
        throw new DomainError('invalid_input', detail, parsed.path || 'body');
      }
      return { body: planErlang(parsed.value) };
    },
  });

  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/planning/forecast', summary: 'Arrivals per interval for the week ahead, the model chosen by backtest and its error (docs/planning.md)', tags: ['planning'], auth: 'staff', query: forecastQuery,
    handler: async (req, p) => ({ body: await forecastArrivalsFor(ctx, p, req.query) }),
  });

  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/planning/whatif', summary: 'Replay a past period under proposed policies, calendars, head counts or queue order; predicted first-response compliance, promises kept, breaches and waits per group beside what happened (docs/planning.md)', tags: ['planning'], auth: 'staff', body: whatIfInput, scope: 'read',
    handler: async (req, p) => ({ body: await runWhatIfFor(ctx, p, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/planning/rosters', summary: "Every staff member's roster (null: none; docs/planning.md)", tags: ['planning'], auth: 'staff',
    handler: async (_req, p) => ({ body: await listRosters(ctx, p) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/planning/rosters/:user_id', summary: "One agent's roster", tags: ['planning'], auth: 'staff',
    handler: async (req, p) => ({ body: await getRoster(ctx, p, req.params) }),
  });
  defineRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/planning/rosters/:user_id', summary: "Set an agent's whole roster: weekly shifts, exceptions, on call (supervisors, admins)", tags: ['planning'], auth: 'staff', body: rosterSchema,
    handler: async (req, p) => ({ body: await putRoster(ctx, p, req.params, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'DELETE', url: '/api/v1/planning/rosters/:user_id', summary: "Remove an agent's roster (back to their calendars)", tags: ['planning'], auth: 'staff',
    handler: async (req, p) => removeRoster(ctx, p, req.params),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/planning/rosters/import', summary: 'Import rosters from CSV or one agent\'s iCalendar, all or nothing, problems by line', tags: ['planning'], auth: 'staff', body: rosterImportInput, bodyLimit: 3_000_000,
    handler: async (req, p) => ({ body: await importRosters(ctx, p, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/planning/plan', summary: "A group's week: forecast, required staff (Erlang C or workload), rostered staff, gap, promises kept; JSON or CSV (docs/planning.md)", tags: ['planning'], auth: 'staff', query: planQuery,
    handler: async (req, p, reply) => {
      const result = await buildPlan(ctx, p, req.query);
      if ('csv' in result) {
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="plan.csv"');
        return { body: result.csv };
      }
      return { body: result };
    },
  });
}
