import type { Queryable, Row } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import type { LinkToken } from '../auth/magic-links.ts';

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

export type ThreadHeaders = { inReplyTo?: string; references?: string[] };

/**
 * The thread headers of a mail about a ticket (RFC 5322 §3.6.4), from the Message-IDs the ticket's mails
 * carried before it, in both directions — the acknowledgement included, so a reply on a web-form or portal
 * ticket (where the customer never mailed us) still threads under it:
 * - In-Reply-To: the customer's latest mail, else our latest mail (the acknowledgement, the last reply);
 * - References: the thread's first mail, then the most recent ones (trimmed to stay short).
 * `self` is the mail's own Message-ID: it is left out, and so is every mail remembered after it, so a
 * retried send carries the same headers as the first attempt.
 */
export async function outboundThreadHeaders(q: Queryable, ticketId: string, self?: string): Promise<ThreadHeaders> {
  return threadHeadersFrom(await q.query<{ message_id: string; direction: string }>(EARLIER_IDS, [ticketId, self ?? null]));
}

// The ticket's mails before `self` ($2), oldest first.
const EARLIER_IDS = `SELECT message_id, direction FROM mail_message_ids
  WHERE ticket_id = $1 AND message_id IS DISTINCT FROM $2
    AND seq < COALESCE((SELECT seq FROM mail_message_ids WHERE message_id = $2), 9223372036854775807)
  ORDER BY seq`;

function threadHeadersFrom(rows: readonly { message_id: string; direction: string }[]): ThreadHeaders {
  if (rows.length === 0) return {};
  const inbound = rows.filter((r) => r.direction === 'in');
  const parent = inbound[inbound.length - 1]?.message_id ?? rows[rows.length - 1]?.message_id;
  const ids = rows.map((r) => r.message_id);
  const references = ids.length > 10 ? [ids[0] ?? '', ...ids.slice(-9)] : ids;
  return { ...(parent ? { inReplyTo: parent } : {}), references };
}

/**
 * A customer mail about a ticket, threaded: its stable Message-ID is remembered (so the customer's answer
 * threads into the ticket) and the headers name the ticket's earlier mails. Every customer mail on a ticket
 * goes through here — replies, acknowledgements, notices, promise changes.
 */
export async function threadOutbound(q: Queryable, ticketId: string, messageId: string, messageRowId: string | null, now: Date): Promise<ThreadHeaders & { messageId: string }> {
  await rememberOutboundId(q, messageId, ticketId, messageRowId, now);
  return { messageId, ...(await outboundThreadHeaders(q, ticketId, messageId)) };
}

/**
 * The acknowledgement's read and writes in ONE statement (one round trip per acknowledgement): the ticket's
 * row (`columns`, over `tickets t JOIN contacts c`), a sign-in link for its requester to its portal page, our
 * Message-ID, and the earlier ids the headers name. The statement's snapshot does not see its own inserts, so
 * the headers are those of the mails before this one — exactly what a retry reads too. A ticket that is gone
 * writes nothing and returns null.
 */
export async function readTicketThreadWithLink<T extends Row>(
  q: Queryable, ticketId: string, columns: string, messageId: string, link: LinkToken, now: Date,
): Promise<{ ticket: T; thread: ThreadHeaders & { messageId: string } } | null> {
  const [row] = await q.query<T & { rb_earlier: { message_id: string; direction: string }[] }>(
    `WITH t AS (SELECT ${columns}, c.id AS rb_contact_id, '/portal/tickets/' || t.number AS rb_next_path
                FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1),
          link AS (INSERT INTO magic_links (token_hash, contact_id, next_path, created_at, expires_at) SELECT $4, rb_contact_id, rb_next_path, $5, $6 FROM t),
          own AS (INSERT INTO mail_message_ids (message_id, ticket_id, message_row_id, direction, created_at) SELECT $2, $1, NULL, 'out', $3 FROM t
                  ON CONFLICT (message_id) DO NOTHING)
     SELECT t.*, (SELECT COALESCE(json_agg(json_build_object('message_id', m.message_id, 'direction', m.direction) ORDER BY m.seq), '[]'::json)
                  FROM mail_message_ids m
                  WHERE m.ticket_id = $1 AND m.message_id IS DISTINCT FROM $2
                    AND m.seq < COALESCE((SELECT seq FROM mail_message_ids WHERE message_id = $2), 9223372036854775807)) AS rb_earlier
     FROM t`,
    [ticketId, messageId, now, link.hash, link.createdAt, link.expiresAt]);
  if (!row) return null;
  const { rb_earlier: earlier, rb_contact_id: _contact, rb_next_path: _path, ...ticket } = row as typeof row & { rb_contact_id: string; rb_next_path: string };
  return { ticket: ticket as unknown as T, thread: { messageId, ...threadHeadersFrom(earlier) } };
}
