import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';

/** The host part of the Message-IDs we generate: the public URL's host. */
export function mailDomain(ctx: AppContext): string {
  try {
    return new URL(ctx.settings.publicUrl).hostname || 'replyby.localhost';
  } catch {
    return 'replyby.localhost';
  }
}

/** Records a Message-ID we send, so a reply to it threads into its ticket. Idempotent (retries re-render). */
export async function rememberOutboundId(q: Queryable, messageId: string, ticketId: string, messageRowId: string | null, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO mail_message_ids (message_id, ticket_id, message_row_id, direction, created_at) VALUES ($1, $2, $3, 'out', $4)
     ON CONFLICT (message_id) DO NOTHING`, [messageId, ticketId, messageRowId, now]);
}

/**
 * In-Reply-To: the customer's latest mail on the ticket; References: the thread's first mail, then the
 * most recent ones (RFC 5322 §3.6.4, trimmed to stay short), so every mail client threads our reply.
 */
export async function outboundThreadHeaders(q: Queryable, ticketId: string): Promise<{ inReplyTo?: string; references?: string[] }> {
  const rows = await q.query<{ message_id: string; direction: string }>(
    'SELECT message_id, direction FROM mail_message_ids WHERE ticket_id = $1 ORDER BY created_at, message_id', [ticketId]);
  if (rows.length === 0) return {};
  const inbound = rows.filter((r) => r.direction === 'in');
  const parent = inbound[inbound.length - 1]?.message_id;
  const ids = rows.map((r) => r.message_id);
  const references = ids.length > 10 ? [ids[0] ?? '', ...ids.slice(-9)] : ids;
  return { ...(parent ? { inReplyTo: parent } : {}), references };
}
