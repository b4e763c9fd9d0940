import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { getAttachment, listAttachments } from '../../app/email/get-attachment.ts';
import { attachmentLimits } from '../../app/attachments/upload-attachments.ts';
import { deleteSupportAddress, listSupportAddresses, putSupportAddress, supportAddressInput } from '../../app/email/manage-support-addresses.ts';
import { getTemplate, listTemplates, putTemplate, resetTemplate, templateInput } from '../../app/email/manage-templates.ts';
import { previewTemplate } from '../../app/email/preview-template.ts';
import { parseInput } from '../../app/shared/parse-input.ts';
import { defineRoute } from '../define-route.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string() }).parse(params).ref;

export function emailRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/email/templates', summary: 'Customer mail templates, every key × language (customized or default)', tags: ['email'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listTemplates(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/email/templates/:key/:language', summary: 'One customer mail template', tags: ['email'], auth: 'staff',
    handler: async (req, p) => ({ body: await getTemplate(ctx, p, req.params) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/email/templates/:key/:language/preview', summary: 'Render a template being edited for an example request (nothing is saved; unknown placeholders are named per field)', tags: ['email'], auth: 'staff', body: templateInput,
    handler: async (req, p) => ({ body: await previewTemplate(ctx, p, req.params, req.body) }) });
  defineRoute(app, ctx, { method: 'PUT', url: '/api/v1/email/templates/:key/:language', summary: 'Change a customer mail template (placeholders such as {{ticket.number}}, {{promise.local}})', tags: ['email'], auth: 'staff', body: templateInput,
    handler: async (req, p) => ({ body: await putTemplate(ctx, p, req.params, req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/email/templates/:key/:language', summary: 'Back to the default template', tags: ['email'], auth: 'staff',
    handler: async (req, p) => ({ body: await resetTemplate(ctx, p, req.params) }) });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/email/support-addresses', summary: 'Support addresses and the group / type they map to', tags: ['email'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listSupportAddresses(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/email/support-addresses', idempotent: true, summary: 'Add or change a support address', tags: ['email'], auth: 'staff', body: supportAddressInput,
    handler: async (req, p) => ({ status: 201, body: await putSupportAddress(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/email/support-addresses/:address', summary: 'Remove a support address', tags: ['email'], auth: 'staff',
    handler: async (req, p) => { await deleteSupportAddress(ctx, p, z.object({ address: z.string() }).parse(req.params).address); } });

  // Public: the web form and the portal say the limits before a file is sent, and check sizes before reading them.
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/public/attachment-limits', summary: 'The limits on uploaded files (bytes per file, per message, files per message)', tags: ['public'], auth: 'none',
    handler: async () => {
      const l = attachmentLimits(ctx);
      return { body: { max_file_bytes: l.maxFileBytes, max_total_bytes: l.maxTotalBytes, max_count: l.maxCount } };
    } });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/attachments', summary: 'Attachments received by e-mail on a ticket', tags: ['email'], auth: 'any',
    handler: async (req, p) => ({ body: { data: await listAttachments(ctx, p, refParam(req.params)) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/attachments/:id', summary: 'Download an attachment', tags: ['email'], auth: 'any',
    handler: async (req, p, reply) => {
      const params = parseInput(z.object({ ref: z.string(), id: z.string().uuid('must be a UUID') }), req.params);
      const a = await getAttachment(ctx, p, params.ref, params.id);
      await reply.header('content-type', a.content_type).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff').send(a.content);
    } });
}
