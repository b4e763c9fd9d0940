import type { OutgoingMail } from '../context.ts';
import type { AppContext } from '../context.ts';
import { issueMagicLink, LINK_DAYS } from '../auth/magic-links.ts';
import { renderPasswordResetMail } from '../auth/password-reset.ts';

type MailJob = { kind: string; payload: Record<string, unknown> };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Formats an instant in the customer's own time zone and language ("Mon 10 Mar, 09:30 CET"). */
export function formatForCustomer(iso: string, timeZone: string, language: string): string {
  return formatterFor(timeZone, language).format(new Date(iso));
}

// Building an Intl.DateTimeFormat costs more than formatting with it (5–8 % of intake CPU when made per mail).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string, language: string): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions = { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
    try {
      formatter = new Intl.DateTimeFormat(language, options);
    } catch {
      formatter = new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' });
    }
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Builds the e-mail an outbox job stands for, from the current state of the database. Null = nothing to send. */
export async function renderMail(ctx: AppContext, job: MailJob): Promise<OutgoingMail | null> {
  const base = ctx.settings.publicUrl;
  if (job.kind === 'mail.password_reset') return renderPasswordResetMail(ctx, job.payload);
  if (job.kind === 'mail.magic_link') {
    const contactId = str(job.payload.contact_id);
    const [contact] = await ctx.db.query<{ email: string; name: string }>('SELECT email, name FROM contacts WHERE id = $1', [contactId]);
    if (!contact || !contactId) return null;
    const path = await issueMagicLink(ctx.db, contactId, str(job.payload.next) ?? '/portal', ctx.now());
    return { to: contact.email, subject: 'Your sign-in link', text: `Hello ${contact.name},\n\nSign in to see your requests: ${base}${path}\n\nThe link works once, for 24 hours.` };
  }
  const ticketId = str(job.payload.ticket_id);
  const [t] = await ctx.db.query<{ id: string; number: number; subject: string; contact_id: string; email: string; name: string; time_zone: string; language: string }>(
    `SELECT t.id, t.number, t.subject, c.id AS contact_id, c.email, c.name, c.time_zone, c.language FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [ticketId]);
  if (!t) return null;
  const ref = `${ctx.settings.ticketPrefix}${t.number}`;
  if (job.kind === 'mail.acknowledgement') {
    const due = str(job.payload.first_response_due);
    const promise = due ? `We will answer by ${formatForCustomer(due, t.time_zone, t.language)}.` : 'We will answer as soon as we can.';
    const follow = await issueMagicLink(ctx.db, t.contact_id, `/portal/tickets/${t.number}`, ctx.now(), LINK_DAYS.acknowledgement);
    return {
      to: t.email, subject: `[${ref}] ${t.subject}`,
      text: `Hello ${t.name},\n\nwe received your request ${ref}. ${promise}\n\nFollow it at ${base}${follow}\n(The link signs you in once, for ${LINK_DAYS.acknowledgement} days; afterwards use ${base}/portal/tickets/${t.number}.)`,
    };
  }
  if (job.kind === 'mail.agent_reply') {
    const [m] = await ctx.db.query<{ body_text: string; author: string | null }>(
      'SELECT m.body_text, u.name AS author FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1', [str(job.payload.message_id)]);
    if (!m) return null;
    return { to: t.email, subject: `Re: [${ref}] ${t.subject}`, text: `${m.body_text}\n\n— ${m.author ?? 'Support'}\n\nReply or follow your request at ${base}/portal/tickets/${t.number}` };
  }
  // The stale-request rule (monitor). English only until the e-mail template store covers these kinds.
  if (job.kind === 'mail.pending_reminder') {
    return { to: t.email, subject: `Re: [${ref}] ${t.subject}`, text: `Hello ${t.name},\n\nwe are still waiting for your answer on ${ref}. Reply to this e-mail or at ${base}/portal/tickets/${t.number} so we can continue.` };
  }
  if (job.kind === 'mail.auto_solved') {
    return { to: t.email, subject: `Re: [${ref}] ${t.subject}`, text: `Hello ${t.name},\n\nwe have not heard back from you, so we marked ${ref} as solved. If you still need help, just reply: the request opens again.` };
  }
  return null;
}
