// One message on a side conversation, inside the caller's transaction: the row (with its Message-ID), the
// state and waiting clock, the ticket's internal event, and who is told — by mail for an outside party
// (the outbox's `mail.side_conversation`), in the app and by staff mail for the group's members.
import { randomUUID } from 'node:crypto';
import { advanceSideClock, nextSideState, type SideState } from '../../core/sideconv/side-conversation.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvent } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { mailDomain } from '../email/mail-ids.ts';
import { notify } from '../notifications/notify.ts';
import { enqueue } from '../shared/outbox.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import type { SideRow } from './side-conversation-store.ts';

export type NewSideMessage = {
  side: 'ours' | 'theirs'; authorId: string | null; fromAddress: string | null; body: string;
  /** An inbound mail's Message-ID; ours are made here. */
  messageId?: string; now: Date; action: 'started' | 'message' | 'reply';
};

export async function appendSideMessage(
  ctx: AppContext, tx: Queryable, side: SideRow, ticket: { id: string; number: number; assignee_id: string | null }, m: NewSideMessage,
): Promise<{ id: string; state: SideState }> {
  const id = randomUUID();
  const messageId = m.messageId ?? `<sc.${id}@${mailDomain(ctx)}>`;
  const state = nextSideState(side.state, m.side === 'ours' ? 'sent' : 'reply');
  const clock = advanceSideClock({ waited_ms: Number(side.waited_ms), waiting_since: side.waiting_since }, state, m.now);
  const [inserted] = await tx.query<{ id: string }>(
    `WITH up AS (UPDATE side_conversations SET state = $7, waited_ms = $8, waiting_since = $9, updated_at = $6 WHERE id = $2)
     INSERT INTO side_conversation_messages (id, side_conversation_id, side, author_id, from_address, body_text, message_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $10, $11, $6) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
    [id, side.id, m.side, m.authorId, m.fromAddress, m.now, state, clock.waited_ms, clock.waiting_since, m.body, messageId]);
  if (!inserted) throw new Error(`side conversation message ${messageId} already stored`);
  const actor = m.authorId ? { kind: 'user' as const, id: m.authorId } : { kind: 'system' as const, id: null };
  await appendEvent(tx, {
    ticketId: ticket.id, actor, kind: 'side_conversation', before: { state: side.state },
    after: { side_conversation_id: side.id, action: m.action, subject: side.subject, state, with: side.external_address ?? side.group_name, from: m.fromAddress }, at: m.now,
  });
  await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: m.authorId });
  if (m.side === 'ours' && side.kind === 'email') {
    await enqueue(tx, 'mail.side_conversation', { side_message_id: id }, m.now);
  }
  const recipients = m.side === 'ours' && side.kind === 'group' && side.group_id
    ? (await tx.query<{ user_id: string }>('SELECT user_id FROM group_members WHERE group_id = $1', [side.group_id])).map((r) => r.user_id)
    : m.side === 'theirs' ? [side.created_by, ticket.assignee_id].filter((u): u is string => u !== null) : [];
  const to = recipients.filter((u) => u !== m.authorId);
  if (to.length) {
    await notify(tx, {
      event: 'side_conversation.message', ticketId: ticket.id, urgent: false, email: true, recipients: to,
      title: `Side conversation on #${ticket.number}: ${side.subject}`,
      body: m.body.slice(0, 2000),
      data: { side_conversation_id: side.id, ticket_number: ticket.number },
    }, m.now);
  }
  return { id, state };
}
