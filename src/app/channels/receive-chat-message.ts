import type { InboundChat } from '../../core/channels/inbound-message.ts';
import { conversationContinues, subjectFromChat } from '../../core/channels/inbound-message.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { contactPrincipal } from '../email/receive-mail.ts';
import { newContactLocale } from '../email/customer-locale.ts';
import { enqueue } from '../shared/outbox.ts';
import { addMessageInTx } from '../tickets/add-message.ts';
import { createTicketInTx } from '../tickets/create-ticket.ts';
import type { ChannelRow } from './channel-row.ts';

export type ChatOutcome = { status: 'ticket_created' | 'appended' | 'duplicate' | 'ignored'; ticket_id: string | null; ticket_number: number | null };

/**
 * One message from a messenger chat, in one transaction: dropped when its delivery id was seen before
 * (the channel redelivers until it gets a 2xx), else the chat's contact (created on its first message, in
 * the language the channel states or the text shows), then its open ticket takes the message, or a new
 * ticket is created — acknowledged through the same channel with the promise (outbox `channel.send`).
 */
export type ChatOptions = {
  /** Also acknowledge a new request by e-mail (the widget with nobody on duty: the customer may close the page). */
  acknowledgeByMail?: boolean;
  /** Runs in the same transaction once the message is written (the widget's own log of the conversation). */
  after?: (tx: Queryable, outcome: ChatOutcome, conversationId: string) => Promise<void>;
};

const ticketChannel = (kind: ChannelRow['kind']) => (kind === 'telegram' ? 'telegram' : kind === 'widget' ? 'widget' : 'messenger');

export async function receiveChatMessage(ctx: AppContext, channel: ChannelRow, chat: InboundChat | null, deliveryId: string, options: ChatOptions = {}): Promise<ChatOutcome> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    // Claimed first: a concurrent copy of the same delivery waits on this key, then finds it taken.
    const [claimed] = await tx.query<{ ok: number }>(
      `INSERT INTO channel_inbound (channel_id, external_id, status, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel_id, external_id) DO NOTHING RETURNING 1 AS ok`, [channel.id, deliveryId, chat ? 'received' : 'ignored', now]);
    if (!claimed) return { status: 'duplicate', ticket_id: null, ticket_number: null };
    if (!chat) return { status: 'ignored', ticket_id: null, ticket_number: null };
    const conversation = await conversationFor(tx, channel, chat, now);
    const principal = await contactPrincipal(tx, conversation.contact_id);
    const [current] = conversation.ticket_id
      ? await tx.query<{ id: string; number: number; status: string; archived_at: Date | null }>('SELECT id, number, status, archived_at FROM tickets WHERE id = $1 FOR UPDATE', [conversation.ticket_id])
      : [];
    let outcome: ChatOutcome;
    if (current && conversationContinues(current)) {
      await addMessageInTx(ctx, tx, principal, current.id, { body: chat.text, kind: 'public' });
      outcome = { status: 'appended', ticket_id: current.id, ticket_number: current.number };
    } else {
      const created = await createTicketInTx(ctx, tx, null, {
        subject: subjectFromChat(chat.text), message: chat.text, type: 'technical_question', priority: 'normal', requester_id: conversation.contact_id,
        ...(channel.group_id ? { group_id: channel.group_id } : {}), tags: [], channel: ticketChannel(channel.kind),
        // Not by e-mail: the chat gets its own acknowledgement below (a messenger contact may have no address).
        acknowledge: options.acknowledgeByMail === true,
      }, ticketChannel(channel.kind));
      const ticketId = created.ticket.id;
      await tx.query(
        `WITH link AS (INSERT INTO channel_tickets (ticket_id, conversation_id) VALUES ($1, $2))
         UPDATE channel_conversations SET ticket_id = $1 WHERE id = $2`, [ticketId, conversation.id]);
      await enqueue(tx, 'channel.send', { ticket_id: ticketId, what: 'acknowledgement' }, now);
      outcome = { status: 'ticket_created', ticket_id: ticketId, ticket_number: created.ticket.number };
    }
    await tx.query('UPDATE channel_inbound SET status = $3, ticket_id = $4 WHERE channel_id = $1 AND external_id = $2', [channel.id, deliveryId, outcome.status, outcome.ticket_id]);
    if (options.after) await options.after(tx, outcome, conversation.id);
    return outcome;
  });
}

type Conversation = { id: string; contact_id: string; ticket_id: string | null };

/** The chat's conversation, locked (two messages of one chat at once must not open two tickets); created with its contact on the first message. */
async function conversationFor(tx: Queryable, channel: ChannelRow, chat: InboundChat, now: Date): Promise<Conversation> {
  const find = () => tx.query<Conversation>('SELECT id, contact_id, ticket_id FROM channel_conversations WHERE channel_id = $1 AND external_id = $2 FOR UPDATE', [channel.id, chat.conversationId]);
  const [known] = await find();
  if (known) return known;
  const locale = await newContactLocale(tx, { language: chat.language ?? undefined, text: chat.text });
  // A messenger chat has no e-mail address: the contact is known by its conversation (staff may add an address
  // later). The widget's form may give one: the contact with that address, or a new one with it.
  const [byEmail] = chat.email ? await tx.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1', [chat.email]) : [];
  const [contact] = byEmail ? [byEmail] : await tx.query<{ id: string }>(
    'INSERT INTO contacts (email, name, language, time_zone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (email) DO UPDATE SET updated_at = contacts.updated_at RETURNING id',
    [chat.email ?? null, chat.name.slice(0, 200), locale.language, locale.timeZone, now]);
  if (!contact) throw new Error('contact insert returned no row');
  const [row] = await tx.query<Conversation>(
    `INSERT INTO channel_conversations (channel_id, external_id, contact_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel_id, external_id) DO NOTHING RETURNING id, contact_id, ticket_id`, [channel.id, chat.conversationId, contact.id, now]);
  if (row) return row;
  // The chat's first two messages raced: the other one's conversation (and contact) win; ours is dropped.
  if (!chat.email) await tx.query('DELETE FROM contacts WHERE id = $1', [contact.id]);
  const [winner] = await find();
  if (!winner) throw new Error('conversation vanished');
  return winner;
}
