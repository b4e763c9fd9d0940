import { computePromise, suggestUrgency, type Urgency } from '../../core/promise/index.ts';
import { ALWAYS_OPEN } from '../../core/calendar/index.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvent, type ActorRef, type TicketRow } from '../../store/repos/tickets-repo.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import type { TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { loadQueueLoad } from './queue-load.ts';
import { promiseView, type PromiseDescription, type PromiseView } from './promise-view.ts';

export type IntakeFacts = { urgency: Urgency; text: string; actor: ActorRef };

/**
 * The intake step of the promise: stores the stated urgency and any suggestion from the words, and
 * makes the promise (SLA first-response due, or the queue's prediction if later). Runs in the
 * creating transaction, right after the ticket row is written.
 */
export async function applyIntakePromise(tx: Queryable, ticket: TicketRow, facts: IntakeFacts, sla: TicketSlaState | null, now: Date): Promise<PromiseView | null> {
  const suggestion = suggestUrgency(`${ticket.subject}\n${facts.text}`, facts.urgency);
  const first = sla?.result.metrics.first_response;
  const config = await loadSlaConfig(tx);
  const policy = sla ? config.policies.find((p) => p.id === sla.policy_id) : undefined;
  const calendar = policy?.calendar_id ? config.calendars.get(policy.calendar_id)?.compiled ?? ALWAYS_OPEN : ALWAYS_OPEN;
  const promise = computePromise({
    now: now.getTime(),
    firstResponseDue: first?.due_at ? Date.parse(first.due_at) : null,
    clock: first?.clock ?? 'business',
    targetMinutes: first && first.remaining_business_minutes !== null ? first.remaining_business_minutes + (first.elapsed_business_minutes ?? 0) : null,
    // A 24/7 (or calendar-clock) promise is never "outside hours".
    calendar: first?.clock === 'calendar' ? ALWAYS_OPEN : calendar,
    queue: await loadQueueLoad(tx, ticket.group_id, ticket.id, now),
  });
  const description: PromiseDescription | null = promise && {
    clock: promise.clock, target_minutes: promise.targetMinutes, back_at: promise.backAt === null ? null : new Date(promise.backAt).toISOString(),
    basis: promise.basis, reason: null, message: null, changed_at: null,
  };
  const promisedAt = promise ? new Date(promise.promisedAt) : null;
  await tx.query(
    `UPDATE tickets SET urgency = $2, urgency_suggestion = $3, promised_reply_at = $4, original_promised_reply_at = $4, promise = $5 WHERE id = $1`,
    [ticket.id, facts.urgency, suggestion, promisedAt, description ? JSON.stringify(description) : null]);
  if (suggestion) {
    await appendEvent(tx, { ticketId: ticket.id, actor: { kind: 'system', id: null }, kind: 'urgency_suggested', before: { urgency: facts.urgency }, after: { urgency_suggestion: suggestion }, at: now });
  }
  return promiseView({ promised_reply_at: promisedAt, original_promised_reply_at: promisedAt, promise: description, first_responded_at: null });
}
