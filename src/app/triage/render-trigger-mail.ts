import { z } from 'zod';
import { customerLanguage } from '../../core/email/language.ts';
import { pickText, renderTriggerText, triggerEmailSchema, type TriggerValues } from '../../core/triage/trigger-messages.ts';
import type { AppContext, OutgoingMail } from '../context.ts';
import { mailDomain, threadOutbound } from '../email/mail-ids.ts';

const payloadSchema = z.object({
  ticket_id: z.string().uuid(),
  rule_name: z.string(),
  delivery_id: z.string(),
  recipient: z.discriminatedUnion('kind', [z.object({ kind: z.literal('requester') }), z.object({ kind: z.literal('user'), user_id: z.string().uuid() })]),
  texts: triggerEmailSchema.shape.texts,
});

/**
 * A trigger's mail (`mail.trigger`, queued by queue-trigger-sends.ts): the admin's text for the reader's
 * language with the ticket's current values. The requester's copy threads with the ticket's other mails
 * and links to the portal; staff copies link to the ticket in the workspace. Null: nothing to send (the
 * ticket, or the staff member, is gone or inactive).
 */
export async function renderTriggerMail(ctx: AppContext, raw: Record<string, unknown>): Promise<OutgoingMail | null> {
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) return null;
  const p = parsed.data;
  const [t] = await ctx.db.query<{ number: number; subject: string; status: string; priority: string; type: string; email: string; name: string; language: string; assignee: string | null; group_name: string | null }>(
    `SELECT t.number, t.subject, t.status, t.priority, t.type, c.email, c.name, c.language, u.name AS assignee, g.name AS group_name
     FROM tickets t JOIN contacts c ON c.id = t.requester_id LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN groups g ON g.id = t.group_id WHERE t.id = $1`, [p.ticket_id]);
  if (!t) return null;
  const base = ctx.settings.publicUrl;
  const ref = `${ctx.settings.ticketPrefix}${t.number}`;
  const values: TriggerValues = {
    'ticket.ref': ref, 'ticket.number': String(t.number), 'ticket.subject': t.subject, 'ticket.status': t.status, 'ticket.priority': t.priority, 'ticket.type': t.type,
    'requester.name': t.name, 'requester.email': t.email, 'assignee.name': t.assignee, 'group.name': t.group_name, 'trigger.name': p.rule_name,
  };
  const messageId = `<trigger.${p.delivery_id}@${mailDomain(ctx)}>`;
  if (p.recipient.kind === 'requester') {
    const language = customerLanguage(t.language) ?? 'en';
    const text = pickText({ texts: p.texts }, language);
    const v = { ...values, 'ticket.url': `${base}/portal/tickets/${t.number}` };
    // Remembered like every customer mail on a ticket, so the customer's answer threads into it.
    const thread = await threadOutbound(ctx.db, p.ticket_id, messageId, null, ctx.now());
    return { to: t.email, subject: renderTriggerText(text.subject, v), text: renderTriggerText(text.body, v), headers: { 'Content-Language': text.language }, ...thread };
  }
  const [user] = await ctx.db.query<{ email: string; language: string | null }>('SELECT email, language FROM users WHERE id = $1 AND active', [p.recipient.user_id]);
  if (!user) return null;
  const text = pickText({ texts: p.texts }, user.language);
  const v = { ...values, 'ticket.url': `${base}/tickets/${t.number}` };
  return { to: user.email, subject: renderTriggerText(text.subject, v), text: renderTriggerText(text.body, v), messageId, headers: { 'Content-Language': text.language } };
}
