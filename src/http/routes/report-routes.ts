import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import type { AppContext } from '../../app/context.ts';
import { exportQuery, exportTickets } from '../../app/reports/export-tickets.ts';
import { heatmap, heatmapQuery } from '../../app/reports/heatmap.ts';
import { kpiQuery, kpiSummary } from '../../app/reports/kpi-summary.ts';
import { kpiTickets, kpiTicketsQuery } from '../../app/reports/kpi-tickets.ts';
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
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/kpis/tickets', summary: 'The tickets behind a KPI (same period, filter and definition), as JSON or CSV (format=csv)', tags: ['reports'], auth: 'staff', query: kpiTicketsQuery,
    handler: async (req, p, reply) => {
      const result = await kpiTickets(ctx, p, req.query);
      if ('csv' in result) {
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="kpi-tickets.csv"');
        return { body: result.csv };
      }
      return { body: result };
    },
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
