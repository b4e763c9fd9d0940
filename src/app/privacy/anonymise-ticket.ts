import { dropQuotedLines, ERASED, erasureMatcher, erasureTerms, scrubJson, scrubText } from '../../core/privacy/scrub.ts';
import type { Queryable } from '../../store/db.ts';

/** Whose words are erased: the person (a contact) by id, address and name. */
export type Person = { id: string; email: string | null; name: string };

export type ErasureCounts = {
  tickets: number; messages: number; staff_messages: number; events: number; raw_mails: number; attachments: number;
  notifications: number; outbox_jobs: number; ratings: number; side_messages: number; chat_messages: number;
};
export const noCounts = (): ErasureCounts => ({
  tickets: 0, messages: 0, staff_messages: 0, events: 0, raw_mails: 0, attachments: 0, notifications: 0, outbox_jobs: 0, ratings: 0, side_messages: 0, chat_messages: 0,
});
export const addCounts = (a: ErasureCounts, b: ErasureCounts): ErasureCounts =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof ErasureCounts]])) as ErasureCounts;

/** Customer mails that would still go out to the person: cancelled when their data is erased. */
export const CUSTOMER_JOBS = "(kind LIKE 'mail.%' AND kind <> 'mail.staff') OR kind = 'channel.send'";
const ERASED_RAW = new TextEncoder().encode(ERASED);
const dropBlockquotes = (html: string): string => html.replace(/<blockquote[\s\S]*?<\/blockquote>/giu, '');

/**
 * Opens the narrow erasure path of migration 0115 for the rest of the transaction: event payloads and an
 * archived ticket's subject may then be rewritten (nothing else the append-only triggers guard).
 */
export async function allowErasure(tx: Queryable): Promise<void> {
  await tx.query("SELECT set_config('replyby.erasure', 'on', true)");
}

/**
 * One ticket's personal content about `person`, replaced in place (docs/security.md "Personal data"):
 * their messages become "[erased]" and the attachments and raw mails they sent are emptied; in the rest
 * (staff replies, event payloads, notifications, outbox payloads) quoted lines go and every occurrence of
 * their address, name or their lines is replaced. When `requested` (the ticket is theirs), the subject and
 * every raw mail of the ticket go too and the ticket is marked anonymised. `everyCustomer` (retention) treats
 * every contact's message on the ticket as the person's. Counts, statuses, timestamps and
 * SLA clocks are never written, so every report reads the same. Run inside a transaction after `allowErasure`.
 */
export async function anonymiseTicket(
  tx: Queryable, ticketId: string, person: Person, requested: boolean, now: Date, opts: { everyCustomer?: boolean } = {},
): Promise<ErasureCounts> {
  const everyCustomer = opts.everyCustomer ?? false;
  const counts = noCounts();
  const [ticket] = await tx.query<{ subject: string; triage_suggestion: unknown; diagnosis: unknown; anonymised_at: Date | null }>(
    'SELECT subject, triage_suggestion, diagnosis, anonymised_at FROM tickets WHERE id = $1 FOR UPDATE', [ticketId]);
  if (!ticket) return counts;
  const messages = await tx.query<{ id: string; theirs: boolean; body_text: string; body_html: string; body_quoted: string | null; delivery_error: string | null }>(
    `SELECT id, (author_kind = 'contact' AND ($3::boolean OR author_id = $2)) AS theirs, body_text, body_html, body_quoted, delivery_error
       FROM messages WHERE ticket_id = $1 ORDER BY created_at, id`, [ticketId, person.id, everyCustomer]);
  const theirs = messages.filter((m) => m.theirs);
  const texts = theirs.flatMap((m) => [m.body_text, m.body_quoted ?? '']);
  if (requested) texts.push(ticket.subject);
  const matcher = erasureMatcher(erasureTerms({ email: person.email, name: person.name, texts }));

  if (theirs.length) {
    await tx.query(
      `UPDATE messages SET body_text = $2, body_html = $3, body_quoted = NULL, delivery_error = NULL
        WHERE id = ANY($1::uuid[]) AND (body_text <> $2 OR body_html <> $3 OR body_quoted IS NOT NULL OR delivery_error IS NOT NULL)`,
      [theirs.map((m) => m.id), ERASED, `<p>${ERASED}</p>`]);
    counts.messages = theirs.filter((m) => m.body_text !== ERASED).length;
  }
  for (const m of messages) {
    if (m.theirs) continue;
    const text = scrubText(dropQuotedLines(m.body_text), matcher);
    const html = scrubText(dropBlockquotes(m.body_html), matcher);
    const quoted = requested || m.body_quoted === null ? null : scrubText(m.body_quoted, matcher);
    const error = m.delivery_error === null ? null : scrubText(m.delivery_error, matcher);
    if (text === m.body_text && html === m.body_html && quoted === m.body_quoted && error === m.delivery_error) continue;
    await tx.query('UPDATE messages SET body_text = $2, body_html = $3, body_quoted = $4, delivery_error = $5 WHERE id = $1', [m.id, text, html, quoted, error]);
    counts.staff_messages++;
  }

  const triage = scrubJson(ticket.triage_suggestion, matcher);
  const diagnosis = scrubJson(ticket.diagnosis, matcher);
  const subject = requested ? ERASED : scrubText(ticket.subject, matcher);
  await tx.query(
    `UPDATE tickets SET subject = $2, triage_suggestion = $3::jsonb, diagnosis = $4::jsonb,
            anonymised_at = CASE WHEN $5::boolean THEN COALESCE(anonymised_at, $6) ELSE anonymised_at END WHERE id = $1`,
    [ticketId, subject, triage === null || triage === undefined ? null : JSON.stringify(triage), JSON.stringify(diagnosis ?? {}), requested, now]);
  if (requested && ticket.anonymised_at === null) counts.tickets = 1;

  const events = await tx.query<{ seq: string; before: unknown; after: unknown }>('SELECT seq, before, after FROM ticket_events WHERE ticket_id = $1', [ticketId]);
  for (const e of events) {
    const before = scrubJson(e.before, matcher);
    const after = scrubJson(e.after, matcher);
    if (JSON.stringify(before) === JSON.stringify(e.before) && JSON.stringify(after) === JSON.stringify(e.after)) continue;
    await tx.query('UPDATE ticket_events SET before = $2::jsonb, after = $3::jsonb WHERE seq = $1',
      [e.seq, before === null || before === undefined ? null : JSON.stringify(before), after === null || after === undefined ? null : JSON.stringify(after)]);
    counts.events++;
  }

  // The raw mail store: the person's mails (all of the ticket's when it is theirs) keep their row, id and
  // Message-ID (threading), and lose their bytes, sender and authentication results.
  const raw = await tx.query<{ id: string }>(
    `UPDATE inbound_mail SET raw = $4, size_bytes = $5, envelope_from = NULL, auth = NULL, note = NULL
      WHERE ticket_id = $1 AND ($3::boolean OR message_row_id = ANY($2::uuid[])) AND raw <> $4 RETURNING id`,
    [ticketId, theirs.map((m) => m.id), requested, ERASED_RAW, ERASED_RAW.length]);
  counts.raw_mails = raw.length;
  const files = await tx.query<{ id: string }>(
    `UPDATE mail_attachments SET content = NULL, filename = $4
      WHERE ticket_id = $1 AND (message_row_id = ANY($2::uuid[]) OR ($3::boolean AND inbound_mail_id IS NOT NULL)) AND filename <> $4 RETURNING id`,
    [ticketId, theirs.map((m) => m.id), requested, ERASED]);
  counts.attachments = files.length;

  const notes = await tx.query<{ id: string; title: string; body: string; data: unknown }>('SELECT id, title, body, data FROM notifications WHERE ticket_id = $1', [ticketId]);
  for (const n of notes) {
    const title = scrubText(n.title, matcher);
    const body = scrubText(n.body, matcher);
    const data = scrubJson(n.data, matcher);
    if (title === n.title && body === n.body && JSON.stringify(data) === JSON.stringify(n.data)) continue;
    await tx.query('UPDATE notifications SET title = $2, body = $3, data = $4::jsonb WHERE id = $1', [n.id, title, body, JSON.stringify(data ?? {})]);
    counts.notifications++;
  }

  // Customer mails still queued for the ticket (they carry ids and are rendered when sent) are cancelled.
  if (requested) {
    const jobs = await tx.query<{ id: string }>(
      `UPDATE outbox SET done_at = $2, last_error = 'cancelled: personal data erased'
        WHERE done_at IS NULL AND failed_at IS NULL AND payload->>'ticket_id' = $1 AND (${CUSTOMER_JOBS}) RETURNING id`, [ticketId, now]);
    counts.outbox_jobs = jobs.length;
  }

  // Side conversations (migration 0130) forward the customer's words to another group or an outside party:
  // their subjects and messages are scrubbed like staff replies, quoted lines dropped.
  const sides = await tx.query<{ id: string; subject: string }>('SELECT id, subject FROM side_conversations WHERE ticket_id = $1', [ticketId]);
  for (const sc of sides) {
    const subj = scrubText(sc.subject, matcher);
    if (subj !== sc.subject) await tx.query('UPDATE side_conversations SET subject = $2 WHERE id = $1', [sc.id, subj]);
  }
  if (sides.length) {
    const sideMessages = await tx.query<{ id: string; body_text: string }>('SELECT id, body_text FROM side_conversation_messages WHERE side_conversation_id = ANY($1::uuid[])', [sides.map((x) => x.id)]);
    for (const m of sideMessages) {
      const text = scrubText(dropQuotedLines(m.body_text), matcher);
      if (text === m.body_text) continue;
      await tx.query('UPDATE side_conversation_messages SET body_text = $2 WHERE id = $1', [m.id, text]);
      counts.side_messages++;
    }
  }
  // The chat widget's own log of the conversation (migration 0125) repeats the ticket's messages: the visitor's
  // rows (the person's, or every visitor's under retention) become "[erased]", agents' rows are scrubbed.
  const chat = await tx.query<{ conversation_id: string; seq: number; author: string; author_name: string | null; body: string; theirs: boolean }>(
    `SELECT w.conversation_id, w.seq, w.author, w.author_name, w.body, (w.author = 'visitor' AND ($3::boolean OR v.contact_id = $2)) AS theirs
       FROM widget_messages w JOIN channel_conversations v ON v.id = w.conversation_id WHERE w.ticket_id = $1`, [ticketId, person.id, everyCustomer]);
  for (const w of chat) {
    const body = w.theirs ? ERASED : scrubText(dropQuotedLines(w.body), matcher);
    const name = w.theirs ? null : w.author_name === null ? null : scrubText(w.author_name, matcher);
    if (body === w.body && name === w.author_name) continue;
    await tx.query('UPDATE widget_messages SET body = $3, author_name = $4 WHERE conversation_id = $1 AND seq = $2', [w.conversation_id, w.seq, body, name]);
    counts.chat_messages++;
  }

  // Satisfaction: the rating stays (a KPI), the comment is the person's words.
  const ratings = await tx.query<{ id: string }>(
    'UPDATE closure_answers SET comment = $3 WHERE ticket_id = $1 AND ($4::boolean OR contact_id = $2) AND comment IS NOT NULL AND comment <> $3 RETURNING id',
    [ticketId, person.id, ERASED, everyCustomer]);
  counts.ratings = ratings.length;
  // Stored answers to retried requests may repeat the ticket as it was.
  await tx.query('DELETE FROM idempotency_keys WHERE position($1 in response::text) > 0', [ticketId]);
  return counts;
}
