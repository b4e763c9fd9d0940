import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { declareSurge, declareSurgeInput } from '../../app/planning/declare-surge.ts';
import { endSurge, endSurgeInput } from '../../app/planning/end-surge.ts';
import { reportSurges } from '../../app/planning/report-surges.ts';
import { serviceStatus } from '../../app/planning/service-status.ts';
import type { SurgeRow } from '../../app/planning/surge-state.ts';
import { listSurgeThresholds, removeSurgeThresholds, setSurgeThresholds, surgeThresholdsInput } from '../../app/planning/surge-thresholds.ts';
import { readOnlyInput, readOnlyMode, setReadOnlyMode } from '../../app/settings/read-only-mode.ts';
import { requireStaff } from '../../app/people/require-role.ts';
import { exportQueueCsv } from '../../app/tickets/export-queue.ts';
import { defineRoute } from '../define-route.ts';

const presentSurge = (s: SurgeRow) => ({
  id: s.id, group_id: s.group_id, cause: s.cause, started_at: s.started_at.toISOString(), ended_at: s.ended_at?.toISOString() ?? null, end_reason: s.end_reason,
  message: s.message, declared_by: s.declared_by, ended_by: s.ended_by,
});

/** When things go wrong (docs/surge.md): the public status, surges, degraded mode and the printable queue's CSV. */
export function surgeRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/status', summary: 'Degraded mode and an active surge, with their messages (the banners of every screen)', tags: ['status'], auth: 'none',
    handler: async () => ({ body: await serviceStatus(ctx) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/planning/surges', summary: 'Surges, newest first: start, end, cause, arrivals during each and the promises made, kept and broken', tags: ['planning'], auth: 'staff',
    handler: async (_req, p) => ({ body: await reportSurges(ctx, p) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/planning/surges', idempotent: true, summary: "Declare a surge by hand, for the team or one group (group_id), with a message for customers (supervisors; alerts them once)", tags: ['planning'], auth: 'staff', body: declareSurgeInput,
    handler: async (req, p) => ({ status: 201, body: presentSurge(await declareSurge(ctx, p, req.body)) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/planning/surges/end', summary: "End the team's active surge, or one group's (group_id; supervisors)", tags: ['planning'], auth: 'staff', body: endSurgeInput,
    handler: async (req, p) => ({ body: presentSurge(await endSurge(ctx, p, req.body)) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/planning/surge-thresholds', summary: "Every group's surge thresholds (the defaults where none are set; supervisors, admins)", tags: ['planning'], auth: 'staff',
    handler: async (_req, p) => ({ body: await listSurgeThresholds(ctx, p) }),
  });
  defineRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/planning/surge-thresholds/:group_id', summary: "Set a group's surge thresholds and watch it on its own (admins; docs/surge.md)", tags: ['planning'], auth: 'staff', body: surgeThresholdsInput,
    handler: async (req, p) => ({ body: await setSurgeThresholds(ctx, p, req.params, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'DELETE', url: '/api/v1/planning/surge-thresholds/:group_id', summary: "Remove a group's surge thresholds: watched only as part of the team again (admins)", tags: ['planning'], auth: 'staff',
    handler: async (req, p) => { await removeSurgeThresholds(ctx, p, req.params); },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/admin/read-only', summary: 'Degraded (read-only) mode', tags: ['admin'], auth: 'staff',
    handler: async (_req, p) => {
      requireStaff(p);
      return { body: await readOnlyMode(ctx) };
    },
  });
  defineRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/admin/read-only', summary: 'Switch degraded (read-only) mode on or off (admins)', tags: ['admin'], auth: 'staff', body: readOnlyInput,
    handler: async (req, p) => ({ body: await setReadOnlyMode(ctx, p, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/queue.csv', summary: "The caller's whole queue as CSV, next due first (the manual fallback)", tags: ['tickets'], auth: 'staff',
    handler: async (_req, p, reply) => {
      const { csv, truncated } = await exportQueueCsv(ctx, p);
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="queue.csv"');
      if (truncated) reply.header('X-Truncated', 'true');
      return { body: csv };
    },
  });
}
