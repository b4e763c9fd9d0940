import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { forecastArrivalsFor, forecastQuery } from '../../app/planning/forecast-arrivals.ts';
import { runWhatIfFor, whatIfInput } from '../../app/planning/run-whatif.ts';
import { DomainError } from '../../core/errors.ts';
import { erlangInputSchema, parseErlangInput, planErlang } from '../../core/planning/index.ts';
import { defineRoute } from '../define-route.ts';

export function planningRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/planning/erlang', summary: 'Agents and staff an interval needs for a service-level target (Erlang C; docs/planning.md)', tags: ['planning'], auth: 'staff', body: erlangInputSchema,
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
    method: 'POST', url: '/api/v1/planning/whatif', summary: 'Replay a past period under proposed policies, calendars, head counts or queue order; predicted first-response compliance, promises kept, breaches and waits per group beside what happened (docs/planning.md)', tags: ['planning'], auth: 'staff', body: whatIfInput,
    handler: async (req, p) => ({ body: await runWhatIfFor(ctx, p, req.body) }),
  });
}
