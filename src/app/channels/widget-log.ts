import type { Queryable } from '../../store/db.ts';

/** The NOTIFY channel for new widget messages (suffixed with the schema, like ticket changes). */
export const WIDGET_CHANNEL = 'rb_widget_messages';

export type WidgetMessage = { seq: number; author: 'visitor' | 'agent' | 'system'; author_name: string | null; body: string; created_at: Date };

/**
 * Appends to a widget conversation's log, in the caller's transaction: the conversation's row is locked, so
 * `seq` is gap-free and commits in order (a reader that saw N saw every earlier one). A repeated `source_id`
 * (a retried POST or outbox job) writes nothing and returns null. NOTIFY tells the open streams after commit.
 */
export async function appendWidgetMessage(tx: Queryable, conversationId: string, m: { author: WidgetMessage['author']; authorName: string | null; body: string; ticketId: string | null; sourceId: string }, now: Date): Promise<number | null> {
  await tx.query('SELECT 1 FROM channel_conversations WHERE id = $1 FOR UPDATE', [conversationId]);
  const [row] = await tx.query<{ seq: number }>(
    `INSERT INTO widget_messages (conversation_id, seq, author, author_name, body, ticket_id, source_id, created_at)
     SELECT $1, COALESCE((SELECT max(seq) FROM widget_messages WHERE conversation_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7
     ON CONFLICT (conversation_id, source_id) DO NOTHING RETURNING seq`,
    [conversationId, m.author, m.authorName, m.body, m.ticketId, m.sourceId, now]);
  if (!row) return null;
  await tx.query(`SELECT pg_notify($1 || '_' || current_schema(), $2)`, [WIDGET_CHANNEL, JSON.stringify({ conversation_id: conversationId, seq: row.seq })]);
  return row.seq;
}

/** The conversation's messages after `after` (the cursor), oldest first, at most `limit`. */
export async function widgetMessagesAfter(q: Queryable, conversationId: string, after: number, limit = 200): Promise<WidgetMessage[]> {
  return q.query<WidgetMessage>(
    'SELECT seq, author, author_name, body, created_at FROM widget_messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [conversationId, after, limit]);
}
