import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { z } from 'zod';
import type { CustomerPrincipal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerLanguage } from '../../core/email/language.ts';
import { automaticReason, foldQuoted, normalizeMessageId, subjectTicketNumber, threadCandidates, zoneFromDateHeader } from '../../core/email/mail-headers.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { findOrCreateContact } from '../people/find-or-create-contact.ts';
import { messageBody } from '../shared/message-body.ts';
import { addMessageInTx } from '../tickets/add-message.ts';
import { createTicketInTx } from '../tickets/create-ticket.ts';
import { newContactLocale } from './customer-locale.ts';

export type InboundStatus = 'ticket_created' | 'threaded' | 'duplicate' | 'ignored' | 'bounce' | 'failed';
export type InboundOutcome = { id: string; status: InboundStatus; ticketId: string | null; ticketNumber: number | null; acknowledged: boolean; note: string | null };
export type RawInbound = { raw: Buffer; source: string; envelopeFrom?: string | null; envelopeTo?: readonly string[] };

export const EMAIL_DEFAULTS = {
  attachmentMaxBytes: 10 * 1024 * 1024,
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
  const [row] = await ctx.db.query<{ id: string }>(
    'INSERT INTO inbound_mail (received_at, source, envelope_from, envelope_to, raw, size_bytes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [ctx.now(), input.source, input.envelopeFrom ?? null, [...(input.envelopeTo ?? [])].map((a) => a.toLowerCase()), input.raw, input.raw.length]);
  if (!row) throw new Error('insert into inbound_mail returned no row');
  return processInboundMail(ctx, row.id);
}

/** Parses and applies one stored mail. Never throws for bad mail: the row records why it was not applied. */
export async function processInboundMail(ctx: AppContext, id: string): Promise<InboundOutcome> {
  const [row] = await ctx.db.query<{ raw: Uint8Array; envelope_to: string[] }>('SELECT raw, envelope_to FROM inbound_mail WHERE id = $1', [id]);
  if (!row) throw new DomainError('not_found', 'inbound mail not found');
  const raw = Buffer.from(row.raw);
  let outcome: Omit<InboundOutcome, 'id'>;
  try {
    const mail = await simpleParser(raw, { skipImageLinks: true });
    outcome = await applyMail(ctx, id, raw, mail, row.envelope_to);
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

async function supportAddressFor(q: Queryable, recipients: string[]): Promise<SupportAddress | null> {
  const [hit] = await q.query<SupportAddress>('SELECT address, group_id, default_type, language FROM support_addresses WHERE address = ANY($1) LIMIT 1', [recipients]);
  if (hit) return hit;
  const [first] = await q.query<SupportAddress>('SELECT address, group_id, default_type, language FROM support_addresses ORDER BY created_at, address LIMIT 1');
  return first ?? null;
}

async function applyMail(ctx: AppContext, id: string, raw: Buffer, mail: ParsedMail, envelopeTo: string[]): Promise<Omit<InboundOutcome, 'id'>> {
  const done = (status: InboundStatus, note: string | null, extra: Partial<Omit<InboundOutcome, 'id'>> = {}) => ({ status, note, ticketId: null, ticketNumber: null, acknowledged: false, ...extra });
  const sender = mail.from?.value[0];
  const fromAddress = (sender?.address ?? '').toLowerCase();
  const recipients = [...new Set([...envelopeTo, ...addresses(mail.to), ...addresses(mail.cc), ...(headerText(mail, 'delivered-to') ?? '').toLowerCase().split(/[\s,]+/)])].filter(Boolean);
  const messageId = normalizeMessageId(mail.messageId) ?? `<sha256.${createHash('sha256').update(raw).digest('hex')}@replyby.invalid>`;
  const isReport = headerText(mail, 'content-type')?.toLowerCase() === 'multipart/report';
  const automatic = automaticReason((n) => headerText(mail, n), fromAddress);
  if (isReport || /^(mailer-daemon|postmaster)@/.test(fromAddress)) return recordBounce(ctx, id, raw, mail);
  if (!emailSchema.safeParse(fromAddress).success) return done('failed', `From: no valid sender address (${JSON.stringify(mail.from?.text ?? '').slice(0, 200)})`);

  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const mark = async (status: InboundStatus, note: string | null, ticketId: string | null, messageRowId: string | null, acknowledged: boolean) => {
      await tx.query('UPDATE inbound_mail SET status = $2, note = $3, ticket_id = $4, message_row_id = $5, acknowledged = $6, message_id = $7, processed_at = $8 WHERE id = $1',
        [id, status, note, ticketId, messageRowId, acknowledged, messageId, now]);
    };
    const [known] = await tx.query<{ direction: string; ticket_id: string }>('SELECT direction, ticket_id FROM mail_message_ids WHERE message_id = $1', [messageId]);
    if (known) {
      const status = known.direction === 'in' ? 'duplicate' : 'ignored';
      const note = known.direction === 'in' ? `Message-ID ${messageId} already received` : 'our own mail came back (loop)';
      await mark(status, note, known.ticket_id, null, false);
      return done(status, note, { ticketId: known.ticket_id });
    }
    const support = await supportAddressFor(tx, recipients);
    if (support && fromAddress === support.address) {
      await mark('ignored', 'sent from our own support address (loop)', null, null, false);
      return done('ignored', 'sent from our own support address (loop)');
    }
    const subject = (mail.subject ?? '').replace(/[\s\u0000]+/g, ' ').trim().slice(0, 250) || '(no subject)';
    const body = inboundBody(mail);
    const locale = await newContactLocale(tx, { timeZone: zoneFromDateHeader(dateHeaderLine(mail)) ?? undefined, text: `${subject}\n${body.visible}`, defaultLanguage: support?.language ?? undefined });
    const contact = await findOrCreateContact(tx, { email: fromAddress, name: sender?.name?.replace(/\u0000/g, '').slice(0, 200) || undefined, ...locale }, now);
    const thread = await threadTarget(ctx, tx, mail, subject, contact.id);

    if (thread) {
      const principal = await contactPrincipal(tx, contact.id);
      const { messageId: rowId } = await addMessageInTx(ctx, tx, principal, thread.id, { body: body.visible, body_html: body.html, kind: 'public' });
      await storeMailParts(tx, ctx.settings.email?.attachmentMaxBytes ?? EMAIL_DEFAULTS.attachmentMaxBytes, mail, messageId, thread.id, rowId, id, now);
      await mark('threaded', null, thread.id, rowId, false);
      return done('threaded', null, { ticketId: thread.id, ticketNumber: thread.number });
    }
    const limited = automatic ? null : await ackRateLimited(ctx, tx, fromAddress, now);
    const acknowledge = !automatic && !limited;
    const created = await createTicketInTx(ctx, tx, null, {
      subject, message: body.visible, message_html: body.html, type: support?.default_type ?? 'technical_question', priority: 'normal',
      requester_id: contact.id, ...(support?.group_id ? { group_id: support.group_id } : {}), tags: [], channel: 'email', acknowledge,
    }, 'email');
    const [first] = await tx.query<{ id: string }>('SELECT id FROM messages WHERE ticket_id = $1 ORDER BY created_at, id LIMIT 1', [created.ticket.id]);
    await storeMailParts(tx, ctx.settings.email?.attachmentMaxBytes ?? EMAIL_DEFAULTS.attachmentMaxBytes, mail, messageId, created.ticket.id, first?.id ?? null, id, now);
    if (acknowledge) await tx.query('INSERT INTO mail_ack_log (address, at) VALUES ($1, $2)', [fromAddress, now]);
    const note = automatic ? `not acknowledged: ${automatic}` : limited;
    await mark('ticket_created', note, created.ticket.id, first?.id ?? null, acknowledge);
    return done('ticket_created', note, { ticketId: created.ticket.id, ticketNumber: created.ticket.number, acknowledged: acknowledge });
  });
}

function dateHeaderLine(mail: ParsedMail): string | undefined {
  return mail.headerLines.find((h) => h.key === 'date')?.line.replace(/^date:\s*/i, '');
}

/**
 * The text shown on the ticket: the new part, with the quoted history folded underneath (still there,
 * collapsed); HTML mail is sanitized as it is (the plain-text part, if any, gives the searchable text).
 */
export function inboundBody(mail: ParsedMail): { visible: string; html: string } {
  // NUL cannot be stored in PostgreSQL text and no person writes one: dropped (the raw mail keeps it).
  const text = (mail.text ?? '').replace(/\u0000/g, '').slice(0, EMAIL_DEFAULTS.maxTextChars);
  const html = typeof mail.html === 'string' ? mail.html.replace(/\u0000/g, '').slice(0, EMAIL_DEFAULTS.maxHtmlChars) : '';
  if (html) {
    const cleaned = messageBody({ html, text: text || undefined });
    const visible = foldQuoted(cleaned.text).visible.slice(0, EMAIL_DEFAULTS.maxTextChars) || '(no text)';
    return { visible, html: cleaned.html };
  }
  const { visible, quoted } = foldQuoted(text);
  const shown = visible || '(no text)';
  const folded = quoted ? `<details class="quoted"><summary>…</summary>${messageBody({ text: quoted }).html}</details>` : '';
  return { visible: shown, html: `${messageBody({ text: shown }).html}${folded}` };
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
  const [t] = ticketId
    ? await tx.query<{ id: string; number: number; status: string; requester_id: string; organization_id: string | null }>('SELECT id, number, status, requester_id, organization_id FROM tickets WHERE id = $1', [ticketId])
    : number !== null
      ? await tx.query<{ id: string; number: number; status: string; requester_id: string; organization_id: string | null }>('SELECT id, number, status, requester_id, organization_id FROM tickets WHERE number = $1', [number])
      : [];
  if (!t || t.status === 'closed') return null;
  if (t.requester_id === contactId) return t;
  const [manager] = await tx.query('SELECT 1 FROM contacts WHERE id = $1 AND is_org_manager AND organization_id = $2', [contactId, t.organization_id]);
  return manager ? t : null;
}

async function contactPrincipal(tx: Queryable, contactId: string): Promise<CustomerPrincipal> {
  const [c] = await tx.query<{ id: string; email: string; name: string; language: string; time_zone: string; organization_id: string | null; is_org_manager: boolean }>(
    'SELECT id, email, name, language, time_zone, organization_id, is_org_manager FROM contacts WHERE id = $1', [contactId]);
  if (!c) throw new DomainError('not_found', 'contact not found');
  return { kind: 'contact', id: c.id, email: c.email, name: c.name, role: 'customer', language: c.language, time_zone: c.time_zone, organizationId: c.organization_id, isOrgManager: c.is_org_manager };
}

async function ackRateLimited(ctx: AppContext, tx: Queryable, address: string, now: Date): Promise<string | null> {
  const limit = ctx.settings.email?.acknowledgementsPerSenderPerHour ?? EMAIL_DEFAULTS.acknowledgementsPerSenderPerHour;
  const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_ack_log WHERE address = $1 AND at > $2', [address, new Date(now.getTime() - 3_600_000)]);
  return (row?.n ?? 0) >= limit ? `not acknowledged: ${limit} acknowledgements to this sender in the last hour` : null;
}

async function storeMailParts(tx: Queryable, maxBytes: number, mail: ParsedMail, messageId: string, ticketId: string, messageRowId: string | null, inboundId: string, now: Date): Promise<void> {
  await tx.query("INSERT INTO mail_message_ids (message_id, ticket_id, message_row_id, direction, created_at) VALUES ($1, $2, $3, 'in', $4)", [messageId, ticketId, messageRowId, now]);
  for (const a of mail.attachments) {
    const tooLarge = a.size > maxBytes;
    await tx.query(
      'INSERT INTO mail_attachments (ticket_id, message_row_id, inbound_mail_id, filename, content_type, size_bytes, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [ticketId, messageRowId, inboundId, (a.filename ?? 'attachment').slice(0, 255), a.contentType.slice(0, 255), a.size, tooLarge ? null : a.content, now]);
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
