import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import type { AppContext } from '../../app/context.ts';
import { exportQuery, exportTickets } from '../../app/reports/export-tickets.ts';
import { heatmap, heatmapQuery } from '../../app/reports/heatmap.ts';
import { kpiQuery, kpiSummary } from '../../app/reports/kpi-summary.ts';
import { kpiTickets, kpiTicketsQuery } from '../../app/reports/kpi-tickets.ts';
import { breakdown, breakdownQuery } from '../../app/reports/breakdown.ts';
import { trend, trendQuery } from '../../app/reports/trend.ts';
import { csvOrJson } from '../csv-or-json.ts';
import { defineRoute } from '../define-route.ts';

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/kpis', summary: 'KPIs of a period for a filter: volume, first and average response, resolution, SLA compliance, reopens, repeats, reassignments, CSAT (docs/kpis.md)', tags: ['reports'], auth: 'staff', query: kpiQuery,
    handler: async (req, p) => ({ body: await kpiSummary(ctx, p, req.query) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/heatmap', summary: 'Arrivals and SLA breaches by weekday × hour in a zone, for a period and filter; JSON or CSV (docs/kpis.md)', tags: ['reports'], auth: 'staff', query: heatmapQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await heatmap(ctx, p, req.query), 'heatmap.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/kpis/tickets', summary: 'The tickets behind a KPI (same period, filter and definition), as JSON or CSV (format=csv)', tags: ['reports'], auth: 'staff', query: kpiTicketsQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await kpiTickets(ctx, p, req.query), 'kpi-tickets.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/breakdown', summary: 'KPIs split by group, agent, type, priority, channel, SLA policy, root cause or SLA metric, each row with its drill-down filter; JSON or CSV (docs/kpis.md)', tags: ['reports'], auth: 'staff', query: breakdownQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await breakdown(ctx, p, req.query), 'breakdown.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/trend', summary: "Arrivals, solved and backlog per day or week in the viewer's zone; JSON or CSV (docs/kpis.md)", tags: ['reports'], auth: 'staff', query: trendQuery,
    handler: async (req, p, reply) => csvOrJson(reply, await trend(ctx, p, req.query), 'trend.csv'),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/exports/tickets', summary: 'Tickets with their events and messages, streamed: JSON Lines (one ticket per line, nested) or CSV (kind=tickets|events|messages), filtered like the reports (docs/export.md)', tags: ['reports'], auth: 'staff', query: exportQuery,
    handler: async (req, p, reply) => {
      const out = exportTickets(ctx, p, req.query);
      // Bytes, not objects, with a small buffer: the next page is read only when the socket has taken the last one.
      reply.header('content-type', out.contentType).header('content-disposition', `attachment; filename="${out.fileName}"`);
      return { body: Readable.from(out.chunks, { objectMode: false, highWaterMark: 64 * 1024 }) };
    },
  });
}
