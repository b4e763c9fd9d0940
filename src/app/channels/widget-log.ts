import type { Queryable } from '../../store/db.ts';

/** The NOTIFY channel for new widget messages (suffixed with the schema, like ticket changes). */
export const WIDGET_CHANNEL = 'rb_widget_messages';

export type WidgetMessage = { seq: number; author: 'visitor' | 'agent' | 'system'; author_name: string | null; body: string; created_at: Date };

/**
 * Appends to a widget conversation's log, in the caller's transaction: the conversation's row is locked, so
 * `seq` is gap-free and commits in order (a reader that saw N saw every earlier one). A repeated `source_id`
 * (a retried POST or outbox job) writes nothing and returns null. NOTIFY carries the row to the open streams after commit.
 */
export async function appendWidgetMessage(tx: Queryable, conversationId: string, m: { author: WidgetMessage['author']; authorName: string | null; body: string; ticketId: string | null; sourceId: string }, now: Date, options: { locked?: boolean } = {}): Promise<number | null> {
  // `locked`: the caller already holds the conversation's row lock in this transaction.
  if (!options.locked) await tx.query('SELECT 1 FROM channel_conversations WHERE id = $1 FOR UPDATE', [conversationId]);
  // The row and its NOTIFY in one statement (one round trip): the notice is written here with seq 0, and
  // the database writes the inserted row's seq in its place.
  const notice = widgetNotice(conversationId, m.ticketId, { seq: 0, author: m.author, author_name: m.authorName, body: m.body, created_at: now });
  // Where the seq goes: its first `"seq":0` is in the ASCII head (two UUIDs before it), so the character
  // position is the same in JavaScript and in SQL.
  const seqAt = notice.indexOf('"seq":0') + '"seq":'.length + 1;
  const [row] = await tx.query<{ seq: number }>(
    `WITH ins AS (
       INSERT INTO widget_messages (conversation_id, seq, author, author_name, body, ticket_id, source_id, created_at)
       SELECT $1, COALESCE((SELECT max(seq) FROM widget_messages WHERE conversation_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7
       ON CONFLICT (conversation_id, source_id) DO NOTHING RETURNING seq)
     SELECT seq, pg_notify($8 || '_' || current_schema(), overlay($9::text placing seq::text from $10::int for 1)) FROM ins`,
    [conversationId, m.author, m.authorName, m.body, m.ticketId, m.sourceId, now, WIDGET_CHANNEL, notice, seqAt]);
  return row ? row.seq : null;
}

// PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more: a longer message is announced without its row,
// and the streams read it.
const MAX_NOTICE_BYTES = 7_500;

/**
 * The notice of a committed message: the row itself, so every open stream of the conversation is sent it
 * without a read (the hub reads only when a stream's cursor is behind, or for a message too long to carry).
 */
export function widgetNotice(conversationId: string, ticketId: string | null, message: WidgetMessage): string {
  const full = JSON.stringify({ conversation_id: conversationId, ticket_id: ticketId, message });
  // A margin of 16 bytes: the seq (up to ten digits) is written in place of its 0 by the database.
  return Buffer.byteLength(full) + 16 < MAX_NOTICE_BYTES ? full : JSON.stringify({ conversation_id: conversationId, ticket_id: ticketId, seq: message.seq });
}

/** The conversation's messages after `after` (the cursor), oldest first, at most `limit`. */
export async function widgetMessagesAfter(q: Queryable, conversationId: string, after: number, limit = 200): Promise<WidgetMessage[]> {
  return q.query<WidgetMessage>(
    'SELECT seq, author, author_name, body, created_at FROM widget_messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [conversationId, after, limit]);
}
