import type { Principal } from '../../core/auth/principal.ts';
import { ticketScopeSql } from '../../core/auth/ticket-access.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';

export type AttachmentMeta = { id: string; message_id: string | null; filename: string; content_type: string; size_bytes: number; stored: boolean };

/** The attachments of a ticket the principal can see (customers: those on public messages only). */
export async function listAttachments(ctx: AppContext, actor: Principal, ref: string): Promise<AttachmentMeta[]> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const where = attachmentWhere(actor, 2);
  return ctx.db.query<AttachmentMeta>(
    `SELECT a.id, a.message_row_id AS message_id, a.filename, a.content_type, a.size_bytes, a.content IS NOT NULL AS stored
     FROM mail_attachments a LEFT JOIN messages m ON m.id = a.message_row_id ${where.join}
     WHERE (a.ticket_id = $1 OR m.ticket_id = $1 OR m.origin_ticket_id = $1) ${where.sql} ORDER BY a.created_at, a.id`, [ticket.id, ...where.params]);
}

/**
 * Attachments follow their message: on the ticket it is on and in the conversation it was written in (a
 * merge moves messages). Customers: public messages written on a ticket they may see (the alias `t`), so a
 * merge never hands one customer's files to another.
 */
function attachmentWhere(actor: Principal, firstParam: number): { join: string; sql: string; params: unknown[] } {
  if (actor.kind !== 'contact') return { join: '', sql: '', params: [] };
  const scope = ticketScopeSql(actor, firstParam);
  return { join: 'LEFT JOIN tickets t ON t.id = COALESCE(m.origin_ticket_id, m.ticket_id)', sql: `AND m.kind = 'public' AND ${scope.sql}`, params: scope.params };
}

export async function getAttachment(ctx: AppContext, actor: Principal, ref: string, id: string): Promise<{ filename: string; content_type: string; content: Buffer }> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const where = attachmentWhere(actor, 3);
  const [a] = await ctx.db.query<{ filename: string; content_type: string; content: Uint8Array | null }>(
    `SELECT a.filename, a.content_type, a.content FROM mail_attachments a LEFT JOIN messages m ON m.id = a.message_row_id ${where.join}
     WHERE a.id = $1 AND (a.ticket_id = $2 OR m.ticket_id = $2 OR m.origin_ticket_id = $2) ${where.sql}`, [id, ticket.id, ...where.params]);
  if (!a) throw notFound('attachment');
  if (!a.content) throw new DomainError('payload_too_large', 'the attachment was over the size limit; the raw mail keeps it', 'id');
  return { filename: a.filename, content_type: a.content_type, content: Buffer.from(a.content) };
}
