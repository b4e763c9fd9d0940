import { ALWAYS_OPEN } from '../../core/calendar/index.ts';
import { targetFor } from '../../core/policies/ticket-sla-input.ts';
import { computePromise, type Commitment, type QueueLoad } from '../../core/promise/index.ts';
import type { SlaConfig } from '../sla/sla-config.ts';
import type { TicketSlaState } from '../sla/ticket-sla-state.ts';
import { promiseView, type PromiseDescription, type PromiseView } from './promise-view.ts';

/** A promise as intake writes it with the new row, and as the caller shows it. */
export type MadePromise = { promisedAt: Date | null; description: PromiseDescription | null; view: PromiseView | null };

/**
 * THE promise, made once per ticket at the end of intake — after triage and routing have settled everything
 * that selects the policy — from the clocks of the policy the team will work to (`sla`, the same state that
 * is written to the ticket row the queue, routing and the monitor read) and the queue ahead of it
 * (`queue`, read by intake with its other reads). The rule is core/promise's computePromise
 * (docs/promise.md). Every reader — confirmation, ticket, lists, portal, acknowledgement, macros, notices,
 * reports — reads the stored result, never recomputes it. `surge`: the group's whole backlog while a surge
 * is active (docs/surge.md).
 */
export function makePromise(config: SlaConfig, ticket: { priority: string }, sla: TicketSlaState | null, queue: QueueLoad, now: Date, surge: { backlog: number } | null = null): MadePromise {
  const policy = sla ? config.policies.find((p) => p.id === sla.policy_id) : undefined;
  const calendar = policy?.calendar_id ? config.calendars.get(policy.calendar_id)?.compiled ?? ALWAYS_OPEN : ALWAYS_OPEN;
  const first = sla?.result.metrics.first_response;
  const metric = policy?.metrics.find((m) => m.name === 'first_response');
  const target = metric ? targetFor(metric, ticket.priority) : null;
  const commitment: Commitment | null = first?.due_at && target !== null
    ? { dueAt: Date.parse(first.due_at), clock: first.clock ?? 'business', targetMinutes: target }
    : null;
  const promise = computePromise({ now: now.getTime(), commitment, calendar, queue, surge });
  const description: PromiseDescription | null = promise && {
    clock: promise.clock, target_minutes: promise.statedMinutes, back_at: promise.backAt === null ? null : new Date(promise.backAt).toISOString(),
    basis: promise.basis, reason: promise.surge ? 'surge' : promise.basis === 'queue' ? 'queue' : null, message: null, changed_at: null,
    commitment_minutes: promise.commitmentMinutes, committed_at: promise.committedAt === null ? null : new Date(promise.committedAt).toISOString(),
    ahead: promise.ahead,
  };
  const promisedAt = promise ? new Date(promise.promisedAt) : null;
  return {
    promisedAt, description,
    view: promiseView({ promised_reply_at: promisedAt, original_promised_reply_at: promisedAt, promise: description, first_responded_at: null }),
  };
}
