// An inbound mail that answers a side conversation: found by its In-Reply-To/References (our Message-IDs),
// else the plus address it was sent to (support+sc-<token>@…), else the [SC-<token>] in its subject. It joins
// that thread only — never the customer's conversation, never a new ticket.
import { threadCandidates } from '../../core/email/mail-headers.ts';
import { tokenFromRecipients, tokenFromSubject } from '../../core/sideconv/side-conversation.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { appendSideMessage } from './append-side-message.ts';
import { SIDE_SELECT, type SideRow } from './side-conversation-store.ts';

export type SideReplyMail = {
  inReplyTo: string | undefined; references: string | string[] | undefined; recipients: readonly string[];
  subject: string; fromAddress: string; messageId: string; body: string;
};

/** The side conversation the mail answers, if any (the caller then applies it with `applySideReply`). */
export async function findSideThread(tx: Queryable, mail: SideReplyMail): Promise<SideRow | null> {
  const candidates = threadCandidates(mail.inReplyTo, mail.references);
  if (candidates.length) {
    const [hit] = await tx.query<SideRow>(
      `${SIDE_SELECT} WHERE s.id = (SELECT side_conversation_id FROM side_conversation_messages WHERE message_id = ANY($1) ORDER BY seq DESC LIMIT 1)`, [candidates]);
    if (hit) return hit;
  }
  const token = tokenFromRecipients(mail.recipients) ?? tokenFromSubject(mail.subject);
  if (token === null) return null;
  const [byToken] = await tx.query<SideRow>(`${SIDE_SELECT} WHERE s.token = $1`, [token]);
  return byToken ?? null;
}

/** Writes the reply into its side conversation; 'duplicate' when this Message-ID is already there. */
export async function applySideReply(ctx: AppContext, tx: Queryable, side: SideRow, mail: SideReplyMail): Promise<{ ticketId: string; ticketNumber: number; status: 'threaded' | 'duplicate' }> {
  const [ticket] = await tx.query<{ id: string; number: number; assignee_id: string | null }>('SELECT id, number, assignee_id FROM tickets WHERE id = $1', [side.ticket_id]);
  if (!ticket) throw new Error('side conversation without its ticket');
  const [seen] = await tx.query('SELECT 1 FROM side_conversation_messages WHERE message_id = $1', [mail.messageId]);
  if (seen) return { ticketId: ticket.id, ticketNumber: ticket.number, status: 'duplicate' };
  await tx.query('SELECT 1 FROM side_conversations WHERE id = $1 FOR UPDATE', [side.id]);
  await appendSideMessage(ctx, tx, side, ticket, { side: 'theirs', authorId: null, fromAddress: mail.fromAddress, body: mail.body, messageId: mail.messageId, now: ctx.now(), action: 'reply' });
  return { ticketId: ticket.id, ticketNumber: ticket.number, status: 'threaded' };
}
