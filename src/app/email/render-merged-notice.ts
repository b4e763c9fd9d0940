import { canSeeTicket } from '../../core/auth/ticket-access.ts';
import { customerLanguage } from '../../core/email/language.ts';
import { blankTemplateValues, renderTemplate, type TemplateValues } from '../../core/email/templates.ts';
import type { AppContext, OutgoingMail } from '../context.ts';
import { loadTemplate } from './manage-templates.ts';
import { mailDomain, threadOutbound } from './mail-ids.ts';

type Row = {
  id: string; number: number; subject: string; requester_id: string; email: string; name: string; language: string;
  organization_id: string | null; is_org_manager: boolean;
  into_number: number; into_requester_id: string; into_organization_id: string | null;
};

/**
 * "Your request was merged into …" to the merged ticket's requester (job `mail.merged`), in their language,
 * threaded under their own conversation. The link is a page they can open: the survivor when they may see
 * it (their own request, or their organization's as a manager), else their own merged request, which keeps
 * showing their messages. Its Message-ID is recorded on the merged ticket, so a reply to this mail threads
 * there and intake follows the merge to the survivor (app/tickets/merged-conversation.ts).
 */
export async function renderMergedNotice(ctx: AppContext, payload: Record<string, unknown>): Promise<OutgoingMail | null> {
  const ticketId = typeof payload.ticket_id === 'string' ? payload.ticket_id : null;
  const intoId = typeof payload.into_id === 'string' ? payload.into_id : null;
  if (!ticketId || !intoId) return null;
  const [t] = await ctx.db.query<Row>(
    `SELECT t.id, t.number, t.subject, t.requester_id, c.email, c.name, c.language, c.organization_id, c.is_org_manager,
       s.number AS into_number, s.requester_id AS into_requester_id, s.organization_id AS into_organization_id
     FROM tickets t JOIN contacts c ON c.id = t.requester_id JOIN tickets s ON s.id = $2 WHERE t.id = $1`, [ticketId, intoId]);
  if (!t) return null;
  const language = customerLanguage(t.language) ?? 'en';
  const requester = { kind: 'contact' as const, id: t.requester_id, email: t.email, name: t.name, role: 'customer' as const, language, time_zone: 'UTC', organizationId: t.organization_id, isOrgManager: t.is_org_manager };
  const seesSurvivor = canSeeTicket(requester, { requester_id: t.into_requester_id, organization_id: t.into_organization_id, group_id: null, assignee_id: null });
  const base = ctx.settings.publicUrl;
  const template = await loadTemplate(ctx.db, 'merged', language);
  const values = blankTemplateValues();
  Object.assign(values, {
    'ticket.number': String(t.number), 'ticket.ref': `${ctx.settings.ticketPrefix}${t.number}`, 'ticket.subject': t.subject,
    'ticket.url': `${base}/portal/tickets/${t.number}`, 'requester.name': t.name, 'requester.email': t.email,
    'merge.into_ref': `${ctx.settings.ticketPrefix}${t.into_number}`, 'merge.url': `${base}/portal/tickets/${seesSurvivor ? t.into_number : t.number}`,
  } satisfies Partial<TemplateValues>);
  // Deterministic, so a retried send carries the same Message-ID and the same thread (threadOutbound never names itself).
  const thread = await threadOutbound(ctx.db, t.id, `<merged.${t.id}@${mailDomain(ctx)}>`, null, ctx.now());
  return {
    to: t.email, subject: renderTemplate(template.subject, values), text: renderTemplate(template.body, values), ...thread,
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': language },
  };
}
