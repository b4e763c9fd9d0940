import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { costRateInput, listCostRates, setCostRate } from '../../app/reports/cost-rates.ts';
import { costPerResolution, costQuery, costTickets, costTicketsQuery } from '../../app/reports/cost-per-resolution.ts';
import { csatReport, followUpInput, listLowScores, lowScoresQuery, recordFollowUp } from '../../app/reports/csat-follow-up.ts';
import { kpiQuery } from '../../app/reports/kpi-summary.ts';
import { resolutionTimeQuery, resolutionTimes } from '../../app/reports/resolution-time.ts';
import { weeklyReportOptIn, weeklyReportOptInInput, weeklyReportStatus } from '../../app/reports/weekly-report.ts';
import { csvOrJson } from '../csv-or-json.ts';
import { defineRoute } from '../define-route.ts';

// The cockpit's measures beside the KPIs (docs/kpis.md): cost per resolution and its rates, CSAT and the low-score
// follow-up, business-time resolution, the weekly report's opt-in.

const idParam = (params: unknown): string => z.object({ id: z.string().max(32) }).parse(params).id;

export function cockpitRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/cost', summary: 'Cost per resolution per group, agent or type (booked time × hourly rates, estimated where none was booked; the method stated); JSON or CSV', tags: ['reports'], auth: 'staff', query: costQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await costPerResolution(ctx, p, req.query), 'cost-per-resolution.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/cost/tickets', summary: 'The tickets behind a cost: method, minutes and cost of each; JSON or CSV', tags: ['reports'], auth: 'staff', query: costTicketsQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await costTickets(ctx, p, req.query), 'cost-tickets.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/cost-rates', summary: 'Hourly rates per agent and per group', tags: ['reports'], auth: 'staff',
    handler: async (_req, p) => ({ body: await listCostRates(ctx, p) }),
  });
  defineRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/reports/cost-rates', summary: "Set (or with null remove) an agent's or a group's hourly rate (admins; audited)", tags: ['reports'], auth: 'staff', body: costRateInput,
    handler: async (req, p) => ({ body: await setCostRate(ctx, p, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/csat', summary: 'CSAT of a period: responses, average, satisfied share, low scores and their follow-up rate', tags: ['reports'], auth: 'staff', query: kpiQuery,
    handler: async (req, p) => ({ body: await csatReport(ctx, p, req.query) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/csat/low-scores', summary: 'Low scores (1 or 2 of 5) with their follow-up state; JSON or CSV', tags: ['reports'], auth: 'staff', query: lowScoresQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await listLowScores(ctx, p, req.query), 'low-scores.csv'),
  });
  defineRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/reports/csat/low-scores/:id', summary: 'Record what was done about a low score and/or mark it done', tags: ['reports'], auth: 'staff', body: followUpInput,
    handler: async (req, p) => ({ body: await recordFollowUp(ctx, p, idParam(req.params), req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/resolution-time', summary: "Time to resolution in calendar and business time (the ticket's policy calendar); tickets=true lists them; JSON or CSV", tags: ['reports'], auth: 'staff', query: resolutionTimeQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await resolutionTimes(ctx, p, req.query), 'resolution-time.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/weekly-email', summary: 'Whether I receive the weekly report by e-mail', tags: ['reports'], auth: 'staff',
    handler: async (_req, p) => ({ body: await weeklyReportStatus(ctx, p) }),
  });
  defineRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/reports/weekly-email', summary: 'Opt in to (or out of) the weekly report by e-mail (supervisors and admins)', tags: ['reports'], auth: 'staff', body: weeklyReportOptInInput,
    handler: async (req, p) => ({ body: await weeklyReportOptIn(ctx, p, req.body) }),
  });
}
