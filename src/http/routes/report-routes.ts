import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { heatmap, heatmapQuery } from '../../app/reports/heatmap.ts';
import { kpiQuery, kpiSummary } from '../../app/reports/kpi-summary.ts';
import { defineRoute } from '../define-route.ts';

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/kpis', summary: 'KPIs of a period for a filter: volume, first and average response, resolution, SLA compliance, reopens, repeats, reassignments, CSAT (docs/kpis.md)', tags: ['reports'], auth: 'staff', query: kpiQuery,
    handler: async (req, p) => ({ body: await kpiSummary(ctx, p, req.query) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/heatmap', summary: 'Arrivals and SLA breaches by weekday × hour in a zone, for a period and filter (docs/kpis.md)', tags: ['reports'], auth: 'staff', query: heatmapQuery,
    handler: async (req, p) => ({ body: await heatmap(ctx, p, req.query) }),
  });
}
