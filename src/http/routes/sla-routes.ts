import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { runSimulation } from '../../core/sla/index.ts';
import { DomainError } from '../../core/errors.ts';
import { defineRoute } from '../define-route.ts';

export function slaRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/sla/simulate', summary: 'Simulate SLA clocks for a calendar, targets and events (shared/specs/sla-simulator.md)', tags: ['sla'], auth: 'staff',
    handler: async (req) => {
      const outcome = runSimulation(req.body);
      if (!outcome.ok) {
        // The simulator's messages already start with the path; DomainError adds it again.
        const detail = outcome.message.startsWith(`${outcome.path}: `) ? outcome.message.slice(outcome.path.length + 2) : outcome.message;
        throw new DomainError('invalid_input', detail, outcome.path || undefined);
      }
      return { body: outcome.result };
    },
  });
}
