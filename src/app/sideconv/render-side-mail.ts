// The outbox's `mail.side_conversation`: our message to the outside party, in its own thread — its own
// Message-ID, In-Reply-To/References of the thread's earlier mails, the [SC-<token>] subject and, when the
// support address allows plus addressing, a Reply-To that carries the token too.
import { sidePlusAddress, sideSubject } from '../../core/sideconv/side-conversation.ts';
import type { AppContext, OutgoingMail } from '../context.ts';

export async function renderSideMail(ctx: AppContext, payload: Record<string, unknown>): Promise<OutgoingMail | null> {
  const id = typeof payload.side_message_id === 'string' ? payload.side_message_id : null;
  if (!id) return null;
  const [row] = await ctx.db.query<{
    side_conversation_id: string; body_text: string; message_id: string; created_at: Date; external_address: string | null; subject: string; token: string; support: string | null; earlier: string[] | null;
  }>(
    `SELECT m.side_conversation_id, m.body_text, m.message_id, m.created_at, s.external_address, s.subject, s.token,
       COALESCE(t.support_address, (SELECT address FROM support_addresses ORDER BY created_at, address LIMIT 1)) AS support,
       (SELECT array_agg(e.message_id ORDER BY e.seq) FROM side_conversation_messages e
          WHERE e.side_conversation_id = m.side_conversation_id AND e.message_id IS NOT NULL AND e.seq < m.seq) AS earlier
     FROM side_conversation_messages m JOIN side_conversations s ON s.id = m.side_conversation_id JOIN tickets t ON t.id = s.ticket_id
     WHERE m.id = $1`, [id]);
  if (!row?.external_address) return null;
  const earlier = row.earlier ?? [];
  const replyTo = row.support ? sidePlusAddress(row.support, row.token) : null;
  const parent = earlier[earlier.length - 1];
  return {
    to: row.external_address,
    subject: earlier.length ? `Re: ${sideSubject(row.subject, row.token)}` : sideSubject(row.subject, row.token),
    text: row.body_text,
    messageId: row.message_id,
    ...(parent ? { inReplyTo: parent, references: earlier.slice(-20) } : {}),
    ...(replyTo ? { headers: { 'Reply-To': replyTo } } : {}),
  };
}
