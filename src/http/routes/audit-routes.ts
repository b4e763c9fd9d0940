import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { auditLogQuery, listAuditLog } from '../../app/audit/list-audit-log.ts';
import { defineRoute } from '../define-route.ts';

/** The audit log of admin and configuration changes (docs/security.md). */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/audit-log', summary: 'Admin and configuration changes, newest first (admins; filters actor, target_type, from, to; cursor; format=csv)', tags: ['admin'],
    auth: 'staff', query: auditLogQuery,
    handler: async (req, principal, reply) => {
      const result = await listAuditLog(ctx, principal, req.query);
      if ('csv' in result) {
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-log.csv"');
        return { body: result.csv };
      }
      return { body: result };
    },
  });
}
