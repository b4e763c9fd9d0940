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
  const [row] = await tx.query<{ seq: number }>(
    `INSERT INTO widget_messages (conversation_id, seq, author, author_name, body, ticket_id, source_id, created_at)
     SELECT $1, COALESCE((SELECT max(seq) FROM widget_messages WHERE conversation_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7
     ON CONFLICT (conversation_id, source_id) DO NOTHING RETURNING seq`,
    [conversationId, m.author, m.authorName, m.body, m.ticketId, m.sourceId, now]);
  if (!row) return null;
  await tx.query(`SELECT pg_notify($1 || '_' || current_schema(), $2)`, [WIDGET_CHANNEL, widgetNotice(conversationId, m.ticketId, { seq: row.seq, author: m.author, author_name: m.authorName, body: m.body, created_at: now })]);
  return row.seq;
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
  return Buffer.byteLength(full) < MAX_NOTICE_BYTES ? full : JSON.stringify({ conversation_id: conversationId, ticket_id: ticketId, seq: message.seq });
}

/** The conversation's messages after `after` (the cursor), oldest first, at most `limit`. */
export async function widgetMessagesAfter(q: Queryable, conversationId: string, after: number, limit = 200): Promise<WidgetMessage[]> {
  return q.query<WidgetMessage>(
    'SELECT seq, author, author_name, body, created_at FROM widget_messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [conversationId, after, limit]);
}
