import { describeKey } from '../../core/monitor/next-action.ts';
import type { EscalationAction } from '../../core/policies/policy-model.ts';
import { statusTimestamps } from '../../core/tickets/status-transition.ts';
import type { Queryable } from '../../store/db.ts';
import { updateTicketRow, type NewEvent, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { Notification } from '../notifications/notify.ts';
import type { OutboxJob } from '../shared/outbox.ts';
import { onDutyOrAll } from '../planning/on-duty.ts';
import type { SlaConfig } from '../sla/sla-config.ts';
import { PENDING_CLOCK } from './sync-sla-clocks.ts';

export type DueClock = { metric: string; policy_id: string | null; next_action_key: string; next_action_at: Date; due_at: Date | null };

/**
 * What the actions of one claimed batch share: the SLA configuration (read once), the events and
 * outbox jobs they produce (written in one statement each when the batch ends), and the staff lookups.
 */
export type ActionBatch = { config: SlaConfig; events: NewEvent[]; jobs: OutboxJob[]; staff: StaffDirectory };

const SYSTEM = { kind: 'system', id: null } as const;

/**
 * Takes one claimed action inside the claiming transaction: the ticket event, its effect on the
 * ticket (priority, assignee, status; applied to `ticket` too, so the recomputation that follows sees
 * it). Returns its notifications for the caller to send with notifyMany() as the transaction's last
 * step: they lock the recipient's e-mail plan row, which many monitors share, so it is held for the
 * shortest time. The ticket row is locked by the caller.
 */
export async function fireSlaAction(tx: Queryable, ticket: TicketRow, clock: DueClock, now: Date, batch: ActionBatch): Promise<Notification[]> {
  const { kind, level } = describeKey(clock.next_action_key);
  const ref = `#${ticket.number}`;
  const urgent = ticket.priority === 'urgent';
  const base = { metric: clock.metric, key: clock.next_action_key, planned_at: clock.next_action_at.toISOString(), due_at: clock.due_at?.toISOString() ?? null };
  const metricLabel = clock.metric.replace(/_/g, ' ');
  const event = (kind: string, before: unknown, after: unknown) => batch.events.push({ ticketId: ticket.id, actor: SYSTEM, kind, before, after, at: now });
  const handlers = () => (ticket.assignee_id ? Promise.resolve([ticket.assignee_id]) : batch.staff.groupMembers(ticket.group_id));

  if (kind === 'warning' || kind === 'breach') {
    event(`sla_${kind}`, null, base);
    const title = kind === 'warning' ? `SLA warning: ${metricLabel} of ${ref} is due soon` : `SLA breached: ${metricLabel} of ${ref}`;
    const body = `${ticket.subject}${clock.due_at ? ` (due ${clock.due_at.toISOString()})` : ''}`;
    return [{ event: `sla.${kind}`, ticketId: ticket.id, title, body, urgent, recipients: await handlers(), data: base }];
  }

  if (kind === 'escalation') {
    const policy = batch.config.policies.find((p) => p.id === clock.policy_id);
    const action: EscalationAction | undefined = policy?.escalations?.[(level ?? 1) - 1]?.action;
    if (!action) return [];
    event('sla_escalation', null, { ...base, level, action });
    const title = `SLA escalation ${level}: ${metricLabel} of ${ref} is overdue`;
    let recipients = await handlers();
    if (action === 'notify_supervisor_raise_priority') {
      recipients = await batch.staff.supervisorsOf(ticket.group_id);
      const next = await batch.staff.priorityAbove(ticket.priority);
      // One step up the priority list (its configured order); the top stays the top.
      if (next) {
        await updateTicketRow(tx, ticket.id, { priority: next, updated_at: now });
        event('priority_changed', { priority: ticket.priority }, { priority: next });
        ticket.priority = next;
      }
    } else if (action === 'reassign_to_group_queue') {
      if (ticket.assignee_id) {
        await updateTicketRow(tx, ticket.id, { assignee_id: null, updated_at: now });
        event('assignee_changed', { assignee_id: ticket.assignee_id }, { assignee_id: null });
        ticket.assignee_id = null;
      }
      recipients = await batch.staff.groupMembers(ticket.group_id);
    } else if (action === 'notify_admin') {
      recipients = await batch.staff.admins();
    }
    return [{ event: 'sla.escalation', ticketId: ticket.id, title, body: `${ticket.subject} — ${action.replace(/_/g, ' ')}`, urgent, recipients, data: { ...base, level, action } }];
  }

  if (clock.metric !== PENDING_CLOCK) return [];
  if (kind === 'reminder') {
    event('pending_reminder', null, { ...base, ordinal: level });
    batch.jobs.push({ kind: 'mail.pending_reminder', payload: { ticket_id: ticket.id } });
    return [];
  }
  // The stale-request rule: the customer did not answer in time, so the request is solved with a notice.
  const solved = statusTimestamps('solved', now, ticket);
  await updateTicketRow(tx, ticket.id, { status: 'solved', ...solved, updated_at: now });
  event('status_changed', { status: ticket.status }, { status: 'solved', reason: 'no_customer_reply' });
  Object.assign(ticket, { status: 'solved', ...solved });
  batch.jobs.push({ kind: 'mail.auto_solved', payload: { ticket_id: ticket.id } });
  return [{ event: 'ticket.auto_solved', ticketId: ticket.id, title: `${ref} solved: no reply from the customer`, body: ticket.subject, urgent: false, recipients: await handlers(), email: false }];
}

export type StaffDirectory = {
  groupMembers: (groupId: string | null) => Promise<string[]>;
  /** Supervisors in the ticket's group; without any, every supervisor. */
  supervisorsOf: (groupId: string | null) => Promise<string[]>;
  admins: () => Promise<string[]>;
  priorityAbove: (priority: string) => Promise<string | null>;
};

/**
 * Staff lookups for one transaction, each asked of the database once per argument. With `now`, a group's members
 * and supervisors are those on duty then (rostered agents off shift and not on call are left out; agents without
 * a roster stay; if that leaves no one, all of them: app/planning/on-duty.ts).
 */
export function staffDirectory(q: Queryable, now?: Date): StaffDirectory {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let hit = memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      memo.set(key, hit);
    }
    return hit;
  };
  const ids = async (sql: string, params: unknown[]) => (await q.query<{ id: string }>(sql, params)).map((r) => r.id);
  const present = async (sql: string, params: unknown[]) => {
    const all = await ids(sql, params);
    return now ? onDutyOrAll(q, all, now) : all;
  };
  return {
    groupMembers: (groupId) => (groupId ? once(`g:${groupId}`, () =>
      present('SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active ORDER BY u.id', [groupId])) : Promise.resolve([])),
    supervisorsOf: (groupId) => once(`s:${groupId}`, () => present(
      `SELECT u.id FROM users u WHERE u.role = 'supervisor' AND u.active
         AND (NOT EXISTS (SELECT 1 FROM group_members m JOIN users s ON s.id = m.user_id WHERE m.group_id = $1 AND s.role = 'supervisor')
              OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $1 AND m.user_id = u.id))
       ORDER BY u.id`, [groupId])),
    admins: () => once('a', () => ids("SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id", [])),
    priorityAbove: (priority) => once(`p:${priority}`, async () => {
      const [next] = await q.query<{ key: string }>(
        `SELECT key FROM list_entries WHERE list = 'priority'
           AND position > COALESCE((SELECT position FROM list_entries WHERE list = 'priority' AND key = $1), 2147483647)
         ORDER BY position LIMIT 1`, [priority]);
      return next?.key ?? null;
    }),
  };
}
