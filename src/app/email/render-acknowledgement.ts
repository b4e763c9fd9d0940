import { blankTemplateValues, renderTemplate, type TemplateValues } from '../../core/email/templates.ts';
import { LINK_DAYS, newLinkToken } from '../auth/magic-links.ts';
import type { AppContext, OutgoingMail } from '../context.ts';
import { cachedTemplate } from './manage-templates.ts';
import { mailDomain, readTicketThreadWithLink } from './mail-ids.ts';
import { PROMISE_COLUMNS, promiseData, type PromiseColumns } from '../promise/promise-for-ticket.ts';
import { suggestPublishedArticles } from '../triage/manage-kb.ts';

const SUMMARY_CHARS = 280;

/** The first lines of the request, so the customer sees which request this is about. */
export function summarize(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SUMMARY_CHARS ? `${flat.slice(0, SUMMARY_CHARS - 1).trimEnd()}…` : flat;
}

/**
 * The acknowledgement: number, summary and the promise, in the requester's language and zone, from the
 * admin's template for that language (or the default). Rendered at send time from the database.
 */
export async function renderAcknowledgement(ctx: AppContext, ticketId: string): Promise<OutgoingMail | null> {
  // Our Message-ID and the sign-in link are written by the statement that reads the ticket (one round trip).
  const messageId = `<ack.${ticketId.toLowerCase()}@${mailDomain(ctx)}>`;
  const link = newLinkToken(ctx.now(), LINK_DAYS.acknowledgement);
  const read = await readTicketThreadWithLink<PromiseColumns & { id: string; number: number; subject: string; contact_id: string; email: string; name: string; first_text: string | null }>(
    ctx.db, ticketId,
    `t.id, t.number, t.subject, c.id AS contact_id, c.email, c.name, ${PROMISE_COLUMNS},
       (SELECT m.body_text FROM messages m WHERE m.ticket_id = t.id ORDER BY m.created_at, m.id LIMIT 1) AS first_text`,
    messageId, link, ctx.now());
  if (!read) return null;
  const { ticket: t, thread } = read;
  // The promise from the same read (promise-for-ticket.ts): language and zone are the requester's.
  const promise = promiseData(t);
  const language = promise.language;
  const base = ctx.settings.publicUrl;
  const ref = `${ctx.settings.ticketPrefix}${t.number}`;
  const template = await cachedTemplate(ctx, 'acknowledgement', language);
  // The articles the web form would have offered for the same words, so an e-mail customer gets them too.
  // (Searched only when the template has the slot: an admin's template without it costs no search.)
  const kbSuggestions = /\{\{\s*[#/]?\s*kb\.suggestions\s*\}\}/.test(template.body)
    ? await suggestPublishedArticles(ctx, `${t.subject}\n${t.first_text ?? ''}`, language) : [];
  const follow = link.path;
  const values: TemplateValues = {
    ...blankTemplateValues(),
    'ticket.number': String(t.number),
    'ticket.ref': ref,
    'ticket.subject': t.subject,
    'ticket.summary': summarize(t.first_text ?? t.subject),
    'ticket.url': `${base}/portal/tickets/${t.number}`,
    'follow.url': `${base}${follow}`,
    'follow.days': String(LINK_DAYS.acknowledgement),
    'requester.name': t.name,
    'requester.email': t.email,
    // The promise as stored at intake, in the requester's language and zone (promise-for-ticket.ts).
    ...promise.words,
    'kb.suggestions': kbSuggestions.slice(0, 3).map((s) => `- ${s.title}: ${s.url}`).join('\n'),
  };
  return {
    to: t.email,
    subject: renderTemplate(template.subject, values),
    text: renderTemplate(template.body, values),
    ...thread,
    // RFC 3834: an automatic reply, so the customer's own auto-responder does not answer it.
    headers: { 'Auto-Submitted': 'auto-replied', 'Content-Language': language },
  };
}
