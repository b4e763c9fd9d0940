import { describeKey } from '../../core/monitor/next-action.ts';
import type { EscalationAction } from '../../core/policies/policy-model.ts';
import { statusTimestamps } from '../../core/tickets/status-transition.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvent, updateTicketRow, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { Notification } from '../notifications/notify.ts';
import { enqueue } from '../shared/outbox.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import { PENDING_CLOCK } from './sync-sla-clocks.ts';

export type DueClock = { metric: string; policy_id: string | null; next_action_key: string; next_action_at: Date; due_at: Date | null };

const SYSTEM = { kind: 'system', id: null } as const;

/**
 * Takes one claimed action inside the claiming transaction: the ticket event, its effect on the
 * ticket (priority, assignee, status). Returns its notifications for the caller to send with notify() as
 * the transaction's last step: they lock the recipient's e-mail plan row, which many monitors share, so
 * it is held for the shortest time. The ticket row is locked by the caller.
 */
export async function fireSlaAction(tx: Queryable, ticket: TicketRow, clock: DueClock, now: Date): Promise<Notification[]> {
  const { kind, level } = describeKey(clock.next_action_key);
  const ref = `#${ticket.number}`;
  const urgent = ticket.priority === 'urgent';
  const base = { metric: clock.metric, key: clock.next_action_key, planned_at: clock.next_action_at.toISOString(), due_at: clock.due_at?.toISOString() ?? null };
  const metricLabel = clock.metric.replace(/_/g, ' ');
  const handlers = await responsibleStaff(tx, ticket);

  if (kind === 'warning' || kind === 'breach') {
    await appendEvent(tx, { ticketId: ticket.id, actor: SYSTEM, kind: `sla_${kind}`, before: null, after: base, at: now });
    const title = kind === 'warning' ? `SLA warning: ${metricLabel} of ${ref} is due soon` : `SLA breached: ${metricLabel} of ${ref}`;
    const body = `${ticket.subject}${clock.due_at ? ` (due ${clock.due_at.toISOString()})` : ''}`;
    return [{ event: `sla.${kind}`, ticketId: ticket.id, title, body, urgent, recipients: handlers, data: base }];
  }

  if (kind === 'escalation') {
    const config = await loadSlaConfig(tx);
    const policy = config.policies.find((p) => p.id === clock.policy_id);
    const action: EscalationAction | undefined = policy?.escalations?.[(level ?? 1) - 1]?.action;
    if (!action) return [];
    await appendEvent(tx, { ticketId: ticket.id, actor: SYSTEM, kind: 'sla_escalation', before: null, after: { ...base, level, action }, at: now });
    const title = `SLA escalation ${level}: ${metricLabel} of ${ref} is overdue`;
    let recipients = handlers;
    if (action === 'notify_supervisor_raise_priority') {
      recipients = await supervisorsOf(tx, ticket.group_id);
      await raisePriority(tx, ticket, now);
    } else if (action === 'reassign_to_group_queue') {
      if (ticket.assignee_id) {
        await updateTicketRow(tx, ticket.id, { assignee_id: null, updated_at: now });
        await appendEvent(tx, { ticketId: ticket.id, actor: SYSTEM, kind: 'assignee_changed', before: { assignee_id: ticket.assignee_id }, after: { assignee_id: null }, at: now });
      }
      recipients = await groupMembers(tx, ticket.group_id);
    } else if (action === 'notify_admin') {
      recipients = (await tx.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id")).map((r) => r.id);
    }
    return [{ event: 'sla.escalation', ticketId: ticket.id, title, body: `${ticket.subject} — ${action.replace(/_/g, ' ')}`, urgent, recipients, data: { ...base, level, action } }];
  }

  if (clock.metric !== PENDING_CLOCK) return [];
  if (kind === 'reminder') {
    await appendEvent(tx, { ticketId: ticket.id, actor: SYSTEM, kind: 'pending_reminder', before: null, after: { ...base, ordinal: level }, at: now });
    await enqueue(tx, 'mail.pending_reminder', { ticket_id: ticket.id }, now);
    return [];
  }
  // The stale-request rule: the customer did not answer in time, so the request is solved with a notice.
  await updateTicketRow(tx, ticket.id, { status: 'solved', ...statusTimestamps('solved', now, ticket), updated_at: now });
  await appendEvent(tx, { ticketId: ticket.id, actor: SYSTEM, kind: 'status_changed', before: { status: ticket.status }, after: { status: 'solved', reason: 'no_customer_reply' }, at: now });
  await enqueue(tx, 'mail.auto_solved', { ticket_id: ticket.id }, now);
  return [{ event: 'ticket.auto_solved', ticketId: ticket.id, title: `${ref} solved: no reply from the customer`, body: ticket.subject, urgent: false, recipients: handlers, email: false }];
}

/** The assignee, or else the members of the ticket's group. */
async function responsibleStaff(q: Queryable, ticket: TicketRow): Promise<string[]> {
  if (ticket.assignee_id) return [ticket.assignee_id];
  return groupMembers(q, ticket.group_id);
}

async function groupMembers(q: Queryable, groupId: string | null): Promise<string[]> {
  if (!groupId) return [];
  return (await q.query<{ id: string }>('SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active ORDER BY u.id', [groupId])).map((r) => r.id);
}

/** Supervisors in the ticket's group; without any, every supervisor. */
async function supervisorsOf(q: Queryable, groupId: string | null): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT u.id FROM users u WHERE u.role = 'supervisor' AND u.active
       AND (NOT EXISTS (SELECT 1 FROM group_members m JOIN users s ON s.id = m.user_id WHERE m.group_id = $1 AND s.role = 'supervisor')
            OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $1 AND m.user_id = u.id))
     ORDER BY u.id`, [groupId]);
  return rows.map((r) => r.id);
}

/** One step up the priority list (its configured order); the top stays the top. */
async function raisePriority(q: Queryable, ticket: TicketRow, now: Date): Promise<void> {
  const [next] = await q.query<{ key: string }>(
    `SELECT key FROM list_entries WHERE list = 'priority'
       AND position > COALESCE((SELECT position FROM list_entries WHERE list = 'priority' AND key = $1), 2147483647)
     ORDER BY position LIMIT 1`, [ticket.priority]);
  if (!next) return;
  await updateTicketRow(q, ticket.id, { priority: next.key, updated_at: now });
  await appendEvent(q, { ticketId: ticket.id, actor: SYSTEM, kind: 'priority_changed', before: { priority: ticket.priority }, after: { priority: next.key }, at: now });
}
