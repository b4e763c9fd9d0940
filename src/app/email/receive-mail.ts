import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { z } from 'zod';
import type { CustomerPrincipal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerLanguage } from '../../core/email/language.ts';
import { htmlToPlainText, splitHtmlQuote } from '../../core/email/html-quote.ts';
import { automaticReason, foldQuoted, headerLookup, normalizeMessageId, subjectTicketNumber, threadCandidates, zoneFromDateHeader } from '../../core/email/mail-headers.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { findOrCreateContact } from '../people/find-or-create-contact.ts';
import { messageBody } from '../shared/message-body.ts';
import { addMessageInTx } from '../tickets/add-message.ts';
import { describeFinding, detectExecutable, refusalMessage, safeFilename } from '../../core/attachments/screen-attachment.ts';
import { insertMessage } from '../../store/repos/tickets-repo.ts';
import { createTicketInTx } from '../tickets/create-ticket.ts';
import { survivorOf } from '../tickets/merged-conversation.ts';
import { newContactLocale } from './customer-locale.ts';
import { applySideReply, findSideThread } from '../sideconv/receive-side-reply.ts';
import { factsFromAuthenticationResults, senderVerdict, type MailAuthFacts, type SenderVerdict } from '../../core/email/sender-verdict.ts';

export type InboundStatus = 'ticket_created' | 'threaded' | 'duplicate' | 'ignored' | 'bounce' | 'failed';
export type InboundOutcome = { id: string; status: InboundStatus; ticketId: string | null; ticketNumber: number | null; acknowledged: boolean; note: string | null };
export type RawInbound = { raw: Buffer; source: string; envelopeFrom?: string | null; envelopeTo?: readonly string[]; auth?: InboundAuth };

/**
 * How the sender was authenticated (docs/security.md): checked by our SMTP listener (the facts and the
 * Authentication-Results header it made), read from the Authentication-Results of a trusted receiving
 * server (IMAP), or not at all (null: switched off, or IMAP without a trusted server — allowed, as before).
 */
export type InboundAuth = { checked: MailAuthFacts; header: string } | { trustedAuthservId: string } | null;
type StoredAuth = { facts: MailAuthFacts | null; verdict: SenderVerdict; header?: string };

/** Defaults of the limits configured by REPLYBY_MAIL_ATTACHMENT_MAX_BYTES, _ATTACHMENTS_TOTAL_MAX_BYTES, REPLYBY_ACK_PER_SENDER_PER_HOUR. */
export const EMAIL_DEFAULTS = {
  attachmentMaxBytes: 10 * 1024 * 1024,
  attachmentsTotalMaxBytes: 25 * 1024 * 1024,
  acknowledgementsPerSenderPerHour: 5,
  /** Longer text is cut for the ticket view; the raw mail keeps all of it. */
  maxTextChars: 100_000,
  maxHtmlChars: 500_000,
};

/**
 * Inbound e-mail, from any channel (SMTP listener, IMAP poller): the raw bytes are committed first, in
 * their own transaction, so whatever happens next nothing is lost; then the mail is parsed and applied.
 */
export async function receiveMail(ctx: AppContext, input: RawInbound): Promise<InboundOutcome> {
  const envelopeTo = [...(input.envelopeTo ?? [])].map((a) => a.toLowerCase());
  const [row] = await ctx.db.query<{ id: string }>(
    'INSERT INTO inbound_mail (received_at, source, envelope_from, envelope_to, raw, size_bytes, auth) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [ctx.now(), input.source, input.envelopeFrom ?? null, envelopeTo, input.raw, input.raw.length, input.auth && 'checked' in input.auth ? JSON.stringify(storedAuth(input.auth, null, '')) : null]);
  if (!row) throw new Error('insert into inbound_mail returned no row');
  // The bytes just committed are the ones in hand: applied without reading them back.
  return applyStored(ctx, row.id, input.raw, envelopeTo, input.auth ?? null);
}

/** Parses and applies one stored mail (e.g. again, after a fix). Never throws for bad mail: the row records why it was not applied. */
export async function processInboundMail(ctx: AppContext, id: string): Promise<InboundOutcome> {
  const [row] = await ctx.db.query<{ raw: Uint8Array; envelope_to: string[]; auth: StoredAuth | null }>('SELECT raw, envelope_to, auth FROM inbound_mail WHERE id = $1', [id]);
  if (!row) throw new DomainError('not_found', 'inbound mail not found');
  // The check made when it arrived: DNS may say otherwise today, and the client's address is not stored.
  const auth: InboundAuth = row.auth?.facts && row.auth.header !== undefined ? { checked: row.auth.facts, header: row.auth.header } : null;
  return applyStored(ctx, id, Buffer.from(row.raw), row.envelope_to, auth);
}

/** The facts and verdict stored with the mail: the listener's own check, or the trusted server's header. */
function storedAuth(auth: InboundAuth, mail: ParsedMail | null, fromAddress: string): StoredAuth {
  if (auth && 'checked' in auth) return { facts: auth.checked, verdict: senderVerdict(auth.checked), header: auth.header };
  if (!auth || !mail) return { facts: null, verdict: senderVerdict(null) };
  const headers = mail.headerLines.filter((h) => h.key === 'authentication-results').map((h) => h.line.replace(/^[^:]*:\s*/, ''));
  const facts = factsFromAuthenticationResults(headers, auth.trustedAuthservId, fromAddress.split('@')[1] ?? null);
  // A trusted server that wrote no header about this mail: nothing vouches for it.
  if (!facts) return { facts: null, verdict: { verified: false, basis: 'none', reason: `no Authentication-Results header from ${auth.trustedAuthservId}` } };
  return { facts, verdict: senderVerdict(facts) };
}

async function applyStored(ctx: AppContext, id: string, raw: Buffer, envelopeTo: string[], auth: InboundAuth): Promise<InboundOutcome> {
  let outcome: Omit<InboundOutcome, 'id'>;
  try {
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
    outcome = await applyMail(ctx, id, raw, mail, envelopeTo, auth);
  } catch (err) {
    if (isUniqueViolation(err)) {
      // The same Message-ID committed by a concurrent delivery while we worked.
      outcome = { status: 'duplicate', ticketId: null, ticketNumber: null, acknowledged: false, note: 'delivered twice at once' };
    } else {
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.warn({ inbound_mail: id, err: message }, 'inbound mail not applied; kept for inspection');
      outcome = { status: 'failed', ticketId: null, ticketNumber: null, acknowledged: false, note: message.slice(0, 1000) };
    }
  }
  if (outcome.status === 'duplicate' || outcome.status === 'failed') {
    await ctx.db.query('UPDATE inbound_mail SET status = $2, note = $3, processed_at = $4 WHERE id = $1', [id, outcome.status, outcome.note, ctx.now()]);
  }
  return { id, ...outcome };
}

const isUniqueViolation = (err: unknown): boolean => typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === '23505';

function headerText(mail: ParsedMail, name: string): string | undefined {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join(' ');
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  return String(v);
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).map((v) => (v.address ?? '').toLowerCase()).filter(Boolean);

const emailSchema = z.string().email().max(254);

type SupportAddress = { address: string; group_id: string | null; default_type: string; language: CustomerLanguage };

/**
 * What intake needs to know before it writes, in one round trip: whether the Message-ID is known (a
 * duplicate, or our own mail come back), the support address the mail was sent to (else the first one),
 * whether the sender is already a contact, and how many acknowledgements the sender got in the last hour.
 */
async function intakeFacts(tx: Queryable, messageId: string, recipients: string[], fromAddress: string, now: Date): Promise<{
  known: { direction: string; ticket_id: string } | null; support: SupportAddress | null; contactKnown: boolean; acksLastHour: number;
}> {
  const [row] = await tx.query<{ known: { direction: string; ticket_id: string } | null; support: SupportAddress | null; contact_known: boolean; acks: number }>(
    `SELECT
       (SELECT json_build_object('direction', direction, 'ticket_id', ticket_id) FROM mail_message_ids WHERE message_id = $1) AS known,
       (SELECT json_build_object('address', address, 'group_id', group_id, 'default_type', default_type, 'language', language)
          FROM support_addresses ORDER BY address = ANY($2) DESC, created_at, address LIMIT 1) AS support,
       EXISTS (SELECT 1 FROM contacts WHERE email = $3) AS contact_known,
       (SELECT count(*)::int FROM mail_ack_log WHERE address = $3 AND at > $4) AS acks`,
    [messageId, recipients, fromAddress, new Date(now.getTime() - 3_600_000)]);
  return { known: row?.known ?? null, support: row?.support ?? null, contactKnown: row?.contact_known ?? false, acksLastHour: row?.acks ?? 0 };
}

async function applyMail(ctx: AppContext, id: string, raw: Buffer, mail: ParsedMail, envelopeTo: string[], inboundAuth: InboundAuth): Promise<Omit<InboundOutcome, 'id'>> {
  const done = (status: InboundStatus, note: string | null, extra: Partial<Omit<InboundOutcome, 'id'>> = {}) => ({ status, note, ticketId: null, ticketNumber: null, acknowledged: false, ...extra });
  const sender = mail.from?.value[0];
  const fromAddress = (sender?.address ?? '').toLowerCase();
  const recipients = [...new Set([...envelopeTo, ...addresses(mail.to), ...addresses(mail.cc), ...(headerText(mail, 'delivered-to') ?? '').toLowerCase().split(/[\s,]+/)])].filter(Boolean);
  const messageId = normalizeMessageId(mail.messageId) ?? `<sha256.${createHash('sha256').update(raw).digest('hex')}@replyby.invalid>`;
  const isReport = headerText(mail, 'content-type')?.toLowerCase() === 'multipart/report';
  // The raw header lines, not mailparser's structured headers (which fold every List-* header into `list`).
  const automatic = automaticReason(headerLookup(mail.headerLines), fromAddress);
  if (isReport || /^(mailer-daemon|postmaster)@/.test(fromAddress)) return recordBounce(ctx, id, raw, mail);
  if (!emailSchema.safeParse(fromAddress).success) return done('failed', `From: no valid sender address (${JSON.stringify(mail.from?.text ?? '').slice(0, 200)})`);
  const auth = storedAuth(inboundAuth, mail, fromAddress);

  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const mark = async (status: InboundStatus, note: string | null, ticketId: string | null) => {
      await tx.query('UPDATE inbound_mail SET status = $2, note = $3, ticket_id = $4, acknowledged = false, message_id = $5, processed_at = $6, auth = $7 WHERE id = $1',
        [id, status, note, ticketId, messageId, now, JSON.stringify(auth)]);
    };
    const facts = await intakeFacts(tx, messageId, recipients, fromAddress, now);
    if (facts.known) {
      const status = facts.known.direction === 'in' ? 'duplicate' : 'ignored';
      const note = facts.known.direction === 'in' ? `Message-ID ${messageId} already received` : 'our own mail came back (loop)';
      await mark(status, note, facts.known.ticket_id);
      return done(status, note, { ticketId: facts.known.ticket_id });
    }
    const support = facts.support;
    if (support && fromAddress === support.address) {
      await mark('ignored', 'sent from our own support address (loop)', null);
      return done('ignored', 'sent from our own support address (loop)');
    }
    const subject = (mail.subject ?? '').replace(/[\s\u0000]+/g, ' ').trim().slice(0, 250) || '(no subject)';
    const body = inboundBody(mail);
    // A reply to a side conversation joins that thread only (app/sideconv): never the customer's ticket.
    const sideMail = { inReplyTo: headerText(mail, 'in-reply-to'), references: mail.references, recipients, subject, fromAddress, messageId, body: body.visible };
    const side = auth.verdict.verified ? await findSideThread(tx, sideMail) : null;
    if (side) {
      const applied = await applySideReply(ctx, tx, side, sideMail);
      const note = applied.status === 'duplicate' ? `Message-ID ${messageId} already received` : `side conversation ${side.id}`;
      await mark(applied.status, note, applied.ticketId);
      return done(applied.status, note, { ticketId: applied.ticketId, ticketNumber: applied.ticketNumber });
    }
    // Language and zone matter only for a contact we are about to create: not worked out for known senders.
    const locale = facts.contactKnown ? {} : await newContactLocale(tx, { timeZone: zoneFromDateHeader(dateHeaderLine(mail)) ?? undefined, text: `${subject}\n${body.visible}`, defaultLanguage: support?.language ?? undefined });
    const contact = await findOrCreateContact(tx, { email: fromAddress, name: sender?.name?.replace(/\u0000/g, '').slice(0, 200) || undefined, ...locale }, now);
    // A mail whose From address nothing vouches for never joins an existing ticket of that address (a
    // spoofed From would write into the real requester's conversation): it opens a new, flagged one.
    const thread = auth.verdict.verified ? await threadTarget(ctx, tx, mail, subject, contact.id) : null;
    const limits = ctx.settings.email;
    const finish = (f: Omit<FinishFacts, 'inboundId' | 'messageId' | 'supportAddress' | 'quoted' | 'fromAddress' | 'now' | 'auth'>) =>
      finishIntake(tx, { ...f, inboundId: id, messageId, supportAddress: support?.address ?? null, quoted: body.quoted, fromAddress, now, auth });

    if (thread) {
      const principal = await contactPrincipal(tx, contact.id);
      const { messageId: rowId } = await addMessageInTx(ctx, tx, principal, thread.id, { body: body.visible, body_html: body.html, kind: 'public' });
      await finish({ status: 'threaded', note: null, ticketId: thread.id, messageRowId: rowId, acknowledged: false });
      await storeAttachments(tx, limits, mail, thread.id, rowId, id, now);
      return done('threaded', null, { ticketId: thread.id, ticketNumber: thread.number });
    }
    const ackLimit = limits?.acknowledgementsPerSenderPerHour ?? EMAIL_DEFAULTS.acknowledgementsPerSenderPerHour;
    const limited = automatic || facts.acksLastHour < ackLimit ? null : `not acknowledged: ${ackLimit} acknowledgements to this sender in the last hour`;
    // Nor is it acknowledged: the acknowledgement would go to the address the sender only claimed.
    const unverified = auth.verdict.verified ? null : `sender not verified (${auth.verdict.reason}); not acknowledged`;
    const acknowledge = !automatic && !limited && !unverified;
    const created = await createTicketInTx(ctx, tx, null, {
      subject, message: body.visible, message_html: body.html, type: support?.default_type ?? 'technical_question', priority: 'normal',
      requester_id: contact.id, ...(support?.group_id ? { group_id: support.group_id } : {}), tags: [], channel: 'email', acknowledge,
    }, 'email', { supportAddress: support?.address ?? null });
    if (unverified) await tx.query('UPDATE tickets SET sender_unverified = true WHERE id = $1', [created.ticket.id]);
    const note = unverified ?? (automatic ? `not acknowledged: ${automatic}` : limited);
    const firstId = await finish({ status: 'ticket_created', note, ticketId: created.ticket.id, messageRowId: null, acknowledged: acknowledge });
    await storeAttachments(tx, limits, mail, created.ticket.id, firstId, id, now);
    return done('ticket_created', note, { ticketId: created.ticket.id, ticketNumber: created.ticket.number, acknowledged: acknowledge });
  });
}

type FinishFacts = {
  inboundId: string; messageId: string; status: 'ticket_created' | 'threaded'; note: string | null; ticketId: string;
  /** null: the ticket's first message (a new ticket). */
  messageRowId: string | null; acknowledged: boolean; fromAddress: string; supportAddress: string | null; quoted: string; now: Date; auth: StoredAuth;
};

/**
 * The writes that close an applied mail, in one statement (one round trip on the hot path): its
 * Message-ID for threading and dedupe, the acknowledgement in the sender's rate-limit log, the support
 * address on the ticket (trigger condition support_address), the folded history on the message, and the
 * inbound row's outcome. Returns the message row the mail became.
 */
async function finishIntake(tx: Queryable, f: FinishFacts): Promise<string | null> {
  const [row] = await tx.query<{ id: string | null }>(
    `WITH m AS (SELECT COALESCE($3::uuid, (SELECT id FROM messages WHERE ticket_id = $2 ORDER BY created_at, id LIMIT 1)) AS id),
     ids AS (INSERT INTO mail_message_ids (message_id, ticket_id, message_row_id, direction, created_at) SELECT $1, $2, m.id, 'in', $4 FROM m),
     ack AS (INSERT INTO mail_ack_log (address, at) SELECT $5, $4 WHERE $6::boolean),
     quoted AS (UPDATE messages SET body_quoted = $7 WHERE $7 <> '' AND id = (SELECT id FROM m)),
     tk AS (UPDATE tickets SET support_address = $8 WHERE $8::text IS NOT NULL AND id = $2 AND support_address IS NULL),
     mark AS (UPDATE inbound_mail SET status = $9, note = $10, ticket_id = $2, message_row_id = (SELECT id FROM m), acknowledged = $6, message_id = $1, processed_at = $4, auth = $12 WHERE id = $11)
     SELECT id::text AS id FROM m`,
    [f.messageId, f.ticketId, f.messageRowId, f.now, f.fromAddress, f.acknowledged, f.quoted, f.supportAddress, f.status, f.note, f.inboundId, JSON.stringify(f.auth)]);
  return row?.id ?? null;
}

function dateHeaderLine(mail: ParsedMail): string | undefined {
  return mail.headerLines.find((h) => h.key === 'date')?.line.replace(/^date:\s*/i, '');
}

/**
 * The text shown on the ticket: the new part, with the quoted history folded underneath (still there,
 * collapsed in the HTML; as text in `quoted`). HTML mail is folded at the markup of the client that wrote
 * it (Gmail, Apple Mail, Thunderbird, Outlook) before sanitizing; plain text at its attribution line.
 */
export function inboundBody(mail: Pick<ParsedMail, 'text' | 'html'>): { visible: string; html: string; quoted: string } {
  // NUL cannot be stored in PostgreSQL text and no person writes one: dropped (the raw mail keeps it).
  const text = (mail.text ?? '').replace(/\u0000/g, '').slice(0, EMAIL_DEFAULTS.maxTextChars);
  const html = typeof mail.html === 'string' ? mail.html.replace(/\u0000/g, '').slice(0, EMAIL_DEFAULTS.maxHtmlChars) : '';
  const cap = (s: string) => s.slice(0, EMAIL_DEFAULTS.maxTextChars);
  if (html) {
    const split = splitHtmlQuote(html);
    const plain = text ? foldQuoted(text) : null;
    if (!split) {
      const cleaned = messageBody({ html, text: text || undefined });
      const folded = foldQuoted(cleaned.text);
      return { visible: cap(folded.visible) || '(no text)', html: cleaned.html, quoted: cap(folded.quoted) };
    }
    const visibleHtml = messageBody({ html: split.visible, text: '' }).html;
    const quotedHtml = messageBody({ html: split.quoted, text: '' }).html;
    // The plain alternative reads better when it folds at the same place; else the text of the HTML's new part.
    const visible = plain?.quoted ? plain.visible : htmlToPlainText(split.visible);
    const quoted = plain?.quoted ? plain.quoted : htmlToPlainText(split.quoted);
    return { visible: cap(visible) || '(no text)', html: `${visibleHtml}<details class="quoted"><summary>…</summary>${quotedHtml}</details>`, quoted: cap(quoted) };
  }
  const { visible, quoted } = foldQuoted(text);
  const shown = visible || '(no text)';
  const folded = quoted ? `<details class="quoted"><summary>…</summary>${messageBody({ text: quoted }).html}</details>` : '';
  return { visible: shown, html: `${messageBody({ text: shown }).html}${folded}`, quoted: cap(quoted) };
}

/**
 * The ticket a reply belongs to: by In-Reply-To / References, then by the subject token, and only if the
 * sender can see that ticket (so a stranger cannot write into someone else's ticket by copying its number)
 * and it is not closed (a reply to a closed ticket opens a new one).
 */
async function threadTarget(ctx: AppContext, tx: Queryable, mail: ParsedMail, subject: string, contactId: string): Promise<{ id: string; number: number } | null> {
  const candidates = threadCandidates(headerText(mail, 'in-reply-to'), mail.references);
  let ticketId: string | null = null;
  if (candidates.length) {
    const [hit] = await tx.query<{ ticket_id: string }>('SELECT ticket_id FROM mail_message_ids WHERE message_id = ANY($1) ORDER BY created_at DESC LIMIT 1', [candidates]);
    ticketId = hit?.ticket_id ?? null;
  }
  const number = ticketId ? null : subjectTicketNumber(subject, ctx.settings.ticketPrefix);
  type Row = { id: string; number: number; status: string; requester_id: string; organization_id: string | null; merged_into_id: string | null };
  const [t] = ticketId
    ? await tx.query<Row>('SELECT id, number, status, requester_id, organization_id, merged_into_id FROM tickets WHERE id = $1', [ticketId])
    : number !== null
      ? await tx.query<Row>('SELECT id, number, status, requester_id, organization_id, merged_into_id FROM tickets WHERE number = $1', [number])
      : [];
  if (!t) return null;
  // A request merged into another continues on the survivor while it is open (addMessageInTx follows the merge).
  if (t.status === 'closed' && (t.merged_into_id === null || ((await survivorOf(tx, t.id))?.status ?? 'closed') === 'closed')) return null;
  if (t.requester_id === contactId) return t;
  const [manager] = await tx.query('SELECT 1 FROM contacts WHERE id = $1 AND is_org_manager AND organization_id = $2', [contactId, t.organization_id]);
  return manager ? t : null;
}

export async function contactPrincipal(tx: Queryable, contactId: string): Promise<CustomerPrincipal> {
  // email is null for a contact who only ever wrote through a messenger.
  const [c] = await tx.query<{ id: string; email: string | null; name: string; language: string; time_zone: string; organization_id: string | null; is_org_manager: boolean }>(
    'SELECT id, email, name, language, time_zone, organization_id, is_org_manager FROM contacts WHERE id = $1', [contactId]);
  if (!c) throw new DomainError('not_found', 'contact not found');
  return { kind: 'contact', id: c.id, email: c.email ?? '', name: c.name, role: 'customer', language: c.language, time_zone: c.time_zone, organizationId: c.organization_id, isOrgManager: c.is_org_manager };
}

/**
 * Attachments, each within REPLYBY_MAIL_ATTACHMENT_MAX_BYTES and all of a mail's together within
 * REPLYBY_MAIL_ATTACHMENTS_TOTAL_MAX_BYTES (in the order they come): one over either limit is listed
 * with its size but its content is not stored (the raw mail keeps it). A program (core/attachments:
 * by content, name, declared type, or inside a zip/tar) is neither stored nor listed (review item 11):
 * an internal note tells staff which file was held back and why; the raw mail still holds it.
 */
async function storeAttachments(tx: Queryable, limits: AppContext['settings']['email'], mail: ParsedMail, ticketId: string, messageRowId: string | null, inboundId: string, now: Date): Promise<void> {
  const maxBytes = limits?.attachmentMaxBytes ?? EMAIL_DEFAULTS.attachmentMaxBytes;
  const totalMax = limits?.attachmentsTotalMaxBytes ?? EMAIL_DEFAULTS.attachmentsTotalMaxBytes;
  let stored = 0;
  const refused: string[] = [];
  for (const a of mail.attachments) {
    const filename = safeFilename(a.filename);
    const found = detectExecutable({ filename: a.filename ?? filename, contentType: a.contentType, content: a.content });
    if (found) {
      const why = `${refusalMessage(found.kind === 'archive_with_executable' ? 'archive_with_executable' : 'executable')} — ${describeFinding(found)}`;
      refused.push(`${filename}: ${why}`);
      continue;
    }
    const keep = a.size <= maxBytes && stored + a.size <= totalMax;
    if (keep) stored += a.size;
    await tx.query(
      'INSERT INTO mail_attachments (ticket_id, message_row_id, inbound_mail_id, filename, content_type, size_bytes, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [ticketId, messageRowId, inboundId, filename, a.contentType.slice(0, 255), a.size, keep ? a.content : null, now]);
  }
  if (refused.length) {
    const text = `Attachments not accepted from this e-mail (the original mail is kept, inbound ${inboundId}):\n${refused.map((r) => `- ${r}`).join('\n')}`;
    await insertMessage(tx, { ticketId, kind: 'internal', authorKind: 'system', authorId: null, text, html: messageBody({ text }).html, at: now });
  }
}

/**
 * A delivery status notification: the original's Message-ID is found in the returned headers and the
 * failure recorded on that message (shown on the ticket). Never a ticket, never acknowledged.
 */
async function recordBounce(ctx: AppContext, id: string, raw: Buffer, mail: ParsedMail): Promise<Omit<InboundOutcome, 'id'>> {
  const text = [mail.text ?? '', ...mail.attachments.map((a) => a.content.toString('utf8'))].join('\n');
  const ids = [...text.matchAll(/^message-id:\s*(<[^<>\s]+>)/gim)].map((m) => m[1] ?? '');
  const diagnostic = (/^diagnostic-code:\s*(.+)$/im.exec(text) ?? /^status:\s*(.+)$/im.exec(text))?.[1]?.trim().slice(0, 500) ?? (mail.subject ?? 'delivery failed');
  return ctx.db.transaction(async (tx) => {
    const [hit] = ids.length
      ? await tx.query<{ ticket_id: string; message_row_id: string | null }>("SELECT ticket_id, message_row_id FROM mail_message_ids WHERE message_id = ANY($1) AND direction = 'out' LIMIT 1", [ids])
      : [];
    if (hit?.message_row_id) await tx.query("UPDATE messages SET delivery_status = 'bounced', delivery_error = $2 WHERE id = $1", [hit.message_row_id, diagnostic]);
    const note = hit ? `bounce: ${diagnostic}` : 'bounce for a mail we do not know';
    await tx.query("UPDATE inbound_mail SET status = 'bounce', note = $2, ticket_id = $3, message_row_id = $4, message_id = $5, processed_at = $6 WHERE id = $1",
      [id, note, hit?.ticket_id ?? null, hit?.message_row_id ?? null, normalizeMessageId(mail.messageId) ?? `<sha256.${createHash('sha256').update(raw).digest('hex')}@replyby.invalid>`, ctx.now()]);
    return { status: 'bounce' as const, note, ticketId: hit?.ticket_id ?? null, ticketNumber: null, acknowledged: false };
  });
}
