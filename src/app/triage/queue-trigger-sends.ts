import { randomUUID } from 'node:crypto';
import type { TriggerSend } from '../../core/triage/trigger-messages.ts';
import type { Queryable } from '../../store/db.ts';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';
import { enqueueMany, type OutboxJob } from '../shared/outbox.ts';

/**
 * A firing rule's mails and webhook call, as outbox jobs of the firing transaction: they exist exactly when
 * the firing committed. Recipients are resolved now (the assignee and group as the rule left them; inactive
 * staff and a group without members get nothing); the text is rendered when the job is sent
 * (notifications/render-mail.ts, `mail.trigger`), in the reader's language, like every other mail. Webhooks
 * go through the existing delivery (signature, SSRF guard, retries, dead letters); a removed or inactive
 * webhook is skipped.
 */
export async function queueTriggerSends(tx: Queryable, ticket: TicketRow, rule: { id: string; name: string }, sends: readonly TriggerSend[], now: Date): Promise<void> {
  const jobs: OutboxJob[] = [];
  const mail = (recipient: Record<string, unknown>, email: TriggerSend & { kind: 'email' }) =>
    jobs.push({ kind: 'mail.trigger', payload: { ticket_id: ticket.id, rule_id: rule.id, rule_name: rule.name, recipient, texts: email.email.texts, delivery_id: randomUUID() } });
  for (const send of sends) {
    if (send.kind === 'email' && send.to === 'requester') mail({ kind: 'requester' }, send);
    else if (send.kind === 'email' && send.to === 'assignee') {
      if (!ticket.assignee_id) continue;
      const [u] = await tx.query<{ id: string }>('SELECT id FROM users WHERE id = $1 AND active', [ticket.assignee_id]);
      if (u) mail({ kind: 'user', user_id: u.id }, send);
    } else if (send.kind === 'email' && send.to === 'group') {
      if (!ticket.group_id) continue;
      const members = await tx.query<{ id: string }>('SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active ORDER BY u.id', [ticket.group_id]);
      for (const m of members) mail({ kind: 'user', user_id: m.id }, send);
    } else if (send.kind === 'webhook') {
      const [hook] = await tx.query<{ id: string }>('SELECT id FROM webhooks WHERE id = $1 AND active', [send.webhookId]);
      if (!hook) continue;
      const delivery = randomUUID();
      const body = {
        id: delivery, event: 'trigger.fired', created_at: now.toISOString(), ticket_id: ticket.id, title: rule.name, body: ticket.subject, urgent: ticket.priority === 'urgent',
        data: { trigger: rule, ticket: { number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority, type: ticket.type, group_id: ticket.group_id, assignee_id: ticket.assignee_id } },
      };
      jobs.push({ kind: 'webhook.deliver', payload: { webhook_id: hook.id, delivery_id: delivery, body } });
    }
  }
  await enqueueMany(tx, jobs, now);
}
