import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { getImport, importsInProgress, startImport, startImportInput } from '../../app/import/start-import.ts';
import { defineRoute } from '../define-route.ts';
import { registerMultipart } from '../multipart.ts';

/** An upload may be a whole export: larger than the JSON bodies of other routes. */
const IMPORT_BODY_LIMIT = 200 * 1024 * 1024;

export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerMultipart(app);
  // A run continues after its 202; closing the server waits for it (its database is closed next).
  app.addHook('onClose', async () => { await importsInProgress(); });

  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/imports', tags: ['imports'], auth: 'staff', idempotent: true, body: startImportInput, bodyLimit: IMPORT_BODY_LIMIT,
    summary: 'Import an event log or a ticket file with a mapping (docs/import.md). multipart/form-data (parts `file`, `mapping`, `kind`, `dry_run`, `batch`) or JSON with the file as text. Admins only. 202 { id }; follow it with GET /api/v1/imports/{id}',
    handler: async (req, p) => {
      // A multipart upload's `file` part brings its filename as `file_name` (http/multipart.ts).
      return { status: 202, body: await startImport(ctx, p, req.body) };
    },
  });

  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/imports/:id', tags: ['imports'], auth: 'staff',
    summary: 'An import\'s progress (rows read, tickets written, already imported, rejected) and, when done, its report: errors with their file line and field, tickets per SLA policy, records created, exit code',
    handler: async (req, p) => ({ body: await getImport(ctx, p, z.object({ id: z.string().uuid('must be a UUID') }).parse(req.params).id) }),
  });
}
