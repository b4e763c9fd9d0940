import { customerLanguage } from '../../core/email/language.ts';
import { blankTemplateValues, renderTemplate, type TemplateKey, type TemplateValues } from '../../core/email/templates.ts';
import type { AppContext, OutgoingMail } from '../context.ts';
import { loadTemplate } from './manage-templates.ts';
import { threadOutbound } from './mail-ids.ts';

/**
 * A short customer notice about a ticket (the stale-request reminder, the automatic solve) from the
 * admin's template for the requester's language, threaded under the conversation. `messageId` is stable
 * per outbox job, so a repeated send carries the same one.
 */
export async function renderCustomerNotice(ctx: AppContext, key: Exclude<TemplateKey, 'acknowledgement'>, ticketId: string, messageId: string): Promise<OutgoingMail | null> {
  const [t] = await ctx.db.query<{ id: string; number: number; subject: string; email: string; name: string; language: string }>(
    'SELECT t.id, t.number, t.subject, c.email, c.name, c.language FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1', [ticketId]);
  if (!t) return null;
  const language = customerLanguage(t.language) ?? 'en';
  const template = await loadTemplate(ctx.db, key, language);
  const values = blankTemplateValues();
  Object.assign(values, {
    'ticket.number': String(t.number), 'ticket.ref': `${ctx.settings.ticketPrefix}${t.number}`, 'ticket.subject': t.subject,
    'ticket.url': `${ctx.settings.publicUrl}/portal/tickets/${t.number}`, 'requester.name': t.name, 'requester.email': t.email,
  } satisfies Partial<TemplateValues>);
  const thread = await threadOutbound(ctx.db, t.id, messageId, null, ctx.now());
  return {
    to: t.email, subject: renderTemplate(template.subject, values), text: renderTemplate(template.body, values), ...thread,
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': language },
  };
}
