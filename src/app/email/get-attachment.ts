import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';

export type AttachmentMeta = { id: string; message_id: string | null; filename: string; content_type: string; size_bytes: number; stored: boolean };

/** The attachments of a ticket the principal can see (customers: those on public messages only). */
export async function listAttachments(ctx: AppContext, actor: Principal, ref: string): Promise<AttachmentMeta[]> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  return ctx.db.query<AttachmentMeta>(
    `SELECT a.id, a.message_row_id AS message_id, a.filename, a.content_type, a.size_bytes, a.content IS NOT NULL AS stored
     FROM mail_attachments a LEFT JOIN messages m ON m.id = a.message_row_id
     WHERE a.ticket_id = $1 ${actor.kind === 'contact' ? "AND m.kind = 'public'" : ''} ORDER BY a.created_at, a.id`, [ticket.id]);
}

export async function getAttachment(ctx: AppContext, actor: Principal, ref: string, id: string): Promise<{ filename: string; content_type: string; content: Buffer }> {
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const [a] = await ctx.db.query<{ filename: string; content_type: string; content: Uint8Array | null; kind: string | null }>(
    'SELECT a.filename, a.content_type, a.content, m.kind FROM mail_attachments a LEFT JOIN messages m ON m.id = a.message_row_id WHERE a.id = $1 AND a.ticket_id = $2', [id, ticket.id]);
  if (!a || (actor.kind === 'contact' && a.kind !== 'public')) throw notFound('attachment');
  if (!a.content) throw new DomainError('payload_too_large', 'the attachment was over the size limit; the raw mail keeps it', 'id');
  return { filename: a.filename, content_type: a.content_type, content: Buffer.from(a.content) };
}
