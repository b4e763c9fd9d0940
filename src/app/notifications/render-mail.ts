import { randomUUID } from 'node:crypto';
import type { OutgoingMail } from '../context.ts';
import type { AppContext } from '../context.ts';
import { issueMagicLink } from '../auth/magic-links.ts';
import { renderPromiseMail } from '../promise/promise-mails.ts';
import { renderPasswordResetMail } from '../auth/password-reset.ts';
import { mailDomain, threadOutbound } from '../email/mail-ids.ts';
import { renderTriggerMail } from '../triage/render-trigger-mail.ts';
import { renderAcknowledgement } from '../email/render-acknowledgement.ts';
import { renderCustomerNotice } from '../email/render-customer-notice.ts';
import { renderMergedNotice } from '../email/render-merged-notice.ts';
import { loadTemplate } from '../email/manage-templates.ts';
import { customerLanguage } from '../../core/email/language.ts';
import { blankTemplateValues, renderTemplate, TEAM_NAME } from '../../core/email/templates.ts';
import { messageAttachments } from '../attachments/upload-attachments.ts';
import { withoutTrailingSignature } from '../../core/email/signature.ts';

/** `id`: the outbox row, which names the Message-ID of mails that have no row of their own (notices). */
type MailJob = { id?: string; kind: string; payload: Record<string, unknown> };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The Message-ID of a notice: deterministic per outbox job (its id), so a repeated send carries the same
 * one and receivers drop the repeat. A job from elsewhere (no id) gets a fresh one: two notices of the
 * same kind must never share an id.
 */
function noticeMessageId(ctx: AppContext, job: MailJob): string {
  const key = job.id ?? randomUUID();
  return `<${job.kind.replace(/^mail\./, '').replace(/[^a-z0-9]+/g, '-')}.${key}@${mailDomain(ctx)}>`;
}

/** Builds the e-mail an outbox job stands for, from the current state of the database. Null = nothing to send. */
export async function renderMail(ctx: AppContext, job: MailJob): Promise<OutgoingMail | null> {
  const base = ctx.settings.publicUrl;
  if (job.kind.startsWith('mail.promise_')) {
    // The promise's mails (rendered by app/promise) thread under the ticket like every customer mail.
    const mail = await renderPromiseMail(ctx, job);
    const ticketId = str(job.payload.ticket_id);
    return mail && ticketId ? { ...mail, ...(await threadOutbound(ctx.db, ticketId, noticeMessageId(ctx, job), null, ctx.now())) } : mail;
  }
  if (job.kind === 'mail.password_reset') return renderPasswordResetMail(ctx, job.payload);
  if (job.kind === 'mail.merged') return renderMergedNotice(ctx, job.payload);
  if (job.kind === 'mail.trigger') return renderTriggerMail(ctx, job.payload);
  if (job.kind === 'mail.magic_link') {
    const contactId = str(job.payload.contact_id);
    const [contact] = await ctx.db.query<{ email: string; name: string; language: string }>('SELECT email, name, language FROM contacts WHERE id = $1', [contactId]);
    if (!contact || !contactId) return null;
    const path = await issueMagicLink(ctx.db, contactId, str(job.payload.next) ?? '/portal', ctx.now());
    const language = customerLanguage(contact.language) ?? 'en';
    const template = await loadTemplate(ctx.db, 'sign_in_link', language);
    const values = { ...blankTemplateValues(), 'requester.name': contact.name, 'requester.email': contact.email, 'signin.url': `${base}${path}` };
    return { to: contact.email, subject: renderTemplate(template.subject, values), text: renderTemplate(template.body, values), headers: { 'Content-Language': language } };
  }
  // The acknowledgement reads its ticket itself (with the promise), so not twice.
  if (job.kind === 'mail.acknowledgement') {
    const id = str(job.payload.ticket_id);
    return id ? renderAcknowledgement(ctx, id) : null;
  }
  const ticketId = str(job.payload.ticket_id);
  const [t] = await ctx.db.query<{ id: string; number: number; subject: string; contact_id: string; email: string; name: string; time_zone: string; language: string }>(
    `SELECT t.id, t.number, t.subject, c.id AS contact_id, c.email, c.name, c.time_zone, c.language FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [ticketId]);
  if (!t) return null;
  const ref = `${ctx.settings.ticketPrefix}${t.number}`;
  // Customer-facing, in the customer's language and zone, from the templates (owned by app/email).
  if (job.kind === 'mail.agent_reply') {
    const messageRowId = str(job.payload.message_id);
    const [m] = await ctx.db.query<{ id: string; body_text: string; author: string | null }>(
      'SELECT m.id, m.body_text, u.name AS author FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1', [messageRowId]);
    if (!m) return null;
    // Deterministic per message, so a retried send carries the same Message-ID (receivers dedupe on it).
    const messageId = `<msg.${m.id}@${mailDomain(ctx)}>`;
    const thread = await threadOutbound(ctx.db, t.id, messageId, m.id, ctx.now());
    // The reply's own words, framed by the admin's template in the customer's language (signature, where to follow).
    const language = customerLanguage(t.language) ?? 'en';
    const template = await loadTemplate(ctx.db, 'agent_reply', language);
    // The template signs (when it names the agent): a reply that already ends with the name is signed once.
    const signs = template.body.includes('{{agent.name}}');
    const values = {
      ...blankTemplateValues(), 'ticket.number': String(t.number), 'ticket.ref': ref, 'ticket.subject': t.subject, 'ticket.url': `${base}/portal/tickets/${t.number}`,
      'requester.name': t.name, 'requester.email': t.email, 'reply.body': signs ? withoutTrailingSignature(m.body_text, m.author) : m.body_text, 'agent.name': m.author ?? TEAM_NAME[language],
    };
    // The agent's files go with the reply as MIME parts (review item 11).
    const attachments = await messageAttachments(ctx.db, m.id);
    return { to: t.email, subject: renderTemplate(template.subject, values), text: renderTemplate(template.body, values), ...thread, ...(attachments.length ? { attachments } : {}) };
  }
  // The stale-request rule (monitor): in the customer's language, from the templates (owned by app/email).
  if (job.kind === 'mail.pending_reminder') return renderCustomerNotice(ctx, 'pending_reminder', t.id, noticeMessageId(ctx, job));
  if (job.kind === 'mail.auto_solved') return renderCustomerNotice(ctx, 'auto_solved', t.id, noticeMessageId(ctx, job));
  return null;
}
