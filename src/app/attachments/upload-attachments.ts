import { z } from 'zod';
import { DEFAULT_ATTACHMENT_LIMITS, screenAttachments, type AttachmentLimits, type RefusalReason } from '../../core/attachments/screen-attachment.ts';
import { DomainError, type FieldError } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';

/**
 * Files sent with a reply, a note, the web form or a portal message: JSON with base64 content (no
 * multipart plugin is installed; one body shape keeps one validation path and one OpenAPI document).
 */
export const attachmentsInput = z.array(z.object({
  filename: z.string().trim().min(1, 'is required').max(255),
  content_type: z.string().trim().max(255).optional(),
  content_base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
}).strict()).max(100);

export type UploadedFile = { filename: string; contentType: string; content: Buffer };

/** The limits in force: REPLYBY_MAIL_ATTACHMENT_MAX_BYTES, _ATTACHMENTS_TOTAL_MAX_BYTES and REPLYBY_ATTACHMENTS_MAX_COUNT. */
export function attachmentLimits(ctx: Pick<AppContext, 'settings'>): AttachmentLimits {
  const e = ctx.settings.email;
  return {
    maxFileBytes: e?.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxFileBytes,
    maxTotalBytes: e?.attachmentsTotalMaxBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxTotalBytes,
    maxCount: e?.attachmentsMaxCount ?? DEFAULT_ATTACHMENT_LIMITS.maxCount,
  };
}

/** The HTTP body an upload route accepts: every file at the total limit in base64 (4/3), plus the message itself. */
export function uploadBodyLimit(ctx: Pick<AppContext, 'settings'>): number {
  return Math.ceil(attachmentLimits(ctx).maxTotalBytes / 3) * 4 + 2 * 1024 * 1024;
}

const SIZE_REASONS: ReadonlySet<RefusalReason> = new Set(['too_large', 'total_too_large', 'too_many']);

/**
 * Decodes and screens uploaded files; refuses the whole request if any file is refused, naming each one
 * (`attachments[1]: executable files are not accepted`), so nothing of a refused request is written.
 */
export function screenUploads(ctx: Pick<AppContext, 'settings'>, files: z.infer<typeof attachmentsInput> | undefined, field = 'attachments'): UploadedFile[] {
  if (!files?.length) return [];
  const decoded = files.map((f) => ({ filename: f.filename, contentType: f.content_type || 'application/octet-stream', content: Buffer.from(f.content_base64, 'base64') }));
  const limits = attachmentLimits(ctx);
  const screened = screenAttachments(decoded, limits);
  const errors: FieldError[] = [];
  for (const s of screened) {
    if (s.ok) continue;
    const limit = s.reason === 'too_large' ? ` (${limits.maxFileBytes} bytes)` : s.reason === 'total_too_large' ? ` (${limits.maxTotalBytes} bytes)` : s.reason === 'too_many' ? ` (at most ${limits.maxCount})` : '';
    errors.push({ path: `${field}[${s.index}]`, message: `${s.message}${limit}` });
  }
  const first = errors[0];
  if (first) {
    const sizeOnly = screened.every((s) => s.ok || SIZE_REASONS.has(s.reason));
    throw new DomainError(sizeOnly ? 'payload_too_large' : 'invalid_input', first.message, first.path, errors);
  }
  return decoded.map((d, i) => ({ ...d, filename: screened[i]?.filename ?? d.filename }));
}

/** Stores screened files under a message (in the caller's transaction). */
export async function storeUploads(tx: Queryable, ticketId: string, messageRowId: string, files: readonly UploadedFile[], now: Date): Promise<void> {
  for (const f of files) {
    await tx.query(
      'INSERT INTO mail_attachments (ticket_id, message_row_id, filename, content_type, size_bytes, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [ticketId, messageRowId, f.filename, f.contentType.slice(0, 255), f.content.length, f.content, now]);
  }
}

/** A message's stored files, for the outgoing mail (an agent's reply carries them as MIME parts). */
export async function messageAttachments(db: Queryable, messageRowId: string): Promise<UploadedFile[]> {
  const rows = await db.query<{ filename: string; content_type: string; content: Uint8Array }>(
    'SELECT filename, content_type, content FROM mail_attachments WHERE message_row_id = $1 AND content IS NOT NULL ORDER BY created_at, id', [messageRowId]);
  return rows.map((r) => ({ filename: r.filename, contentType: r.content_type, content: Buffer.from(r.content) }));
}
