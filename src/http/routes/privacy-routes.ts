import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { eraseContact, eraseContactInput } from '../../app/privacy/erase-contact.ts';
import { exportContact } from '../../app/privacy/export-contact.ts';
import { getRetentionSettings, retentionDryRun, retentionSettingsInput, updateRetentionSettings } from '../../app/privacy/retention.ts';
import { parseInput } from '../../app/shared/parse-input.ts';
import { defineRoute } from '../define-route.ts';

const idParam = (params: unknown): string => parseInput(z.object({ id: z.string().uuid('must be a UUID') }), params).id;

/** Personal data (issue 21 item 4, docs/security.md): one person's export and erasure, the retention rule. Admins only. */
export function privacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/contacts/:id/export', summary: 'Everything held about one contact, as JSON (admins; audited)', tags: ['people'], auth: 'staff',
    handler: async (req, p, reply) => {
      const id = idParam(req.params);
      const body = await exportContact(ctx, p, id);
      reply.header('content-disposition', `attachment; filename="contact-${id}.json"`);
      return { body };
    } });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/contacts/:id/erase', summary: "Erase a contact's personal data everywhere; tickets stay for the reports (admins; body {\"confirm\": \"ERASE\"}; idempotent; audited)", tags: ['people'], auth: 'staff', body: eraseContactInput,
    handler: async (req, p) => ({ body: await eraseContact(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/admin/retention-settings', summary: 'The retention rule: closed tickets anonymised N months after closing, globally or per ticket type (admins)', tags: ['admin'], auth: 'staff',
    handler: async (_req, p) => ({ body: await getRetentionSettings(ctx, p) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/admin/retention-settings', summary: 'Change the retention rule (admins; audited)', tags: ['admin'], auth: 'staff', body: retentionSettingsInput,
    handler: async (req, p) => ({ body: await updateRetentionSettings(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/admin/retention/dry-run', summary: 'How many closed tickets the retention rule would anonymise now, per type (admins; writes nothing)', tags: ['admin'], auth: 'staff',
    handler: async (_req, p) => ({ body: await retentionDryRun(ctx, p) }) });
}
