import { ALWAYS_OPEN } from '../../core/calendar/index.ts';
import { targetFor } from '../../core/policies/ticket-sla-input.ts';
import { computePromise, type Commitment } from '../../core/promise/index.ts';
import type { Queryable } from '../../store/db.ts';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import type { TicketSlaState } from '../sla/ticket-sla-state.ts';
import { loadQueueLoad } from './queue-load.ts';
import { promiseView, type PromiseDescription, type PromiseView } from './promise-view.ts';

/**
 * THE promise, made once per ticket at the end of intake — after triage and routing have settled everything
 * that selects the policy — from the clocks of the policy the team will work to (`sla`, the same state that
 * was written to the ticket row the queue, routing and the monitor read). The rule is core/promise's
 * computePromise (docs/promise.md). Every reader — confirmation, ticket, lists, portal, acknowledgement,
 * macros, notices, reports — reads the stored result, never recomputes it.
 */
export async function makePromise(tx: Queryable, ticket: TicketRow, sla: TicketSlaState | null, now: Date): Promise<PromiseView | null> {
  const config = await loadSlaConfig(tx);
  const policy = sla ? config.policies.find((p) => p.id === sla.policy_id) : undefined;
  const calendar = policy?.calendar_id ? config.calendars.get(policy.calendar_id)?.compiled ?? ALWAYS_OPEN : ALWAYS_OPEN;
  const first = sla?.result.metrics.first_response;
  const metric = policy?.metrics.find((m) => m.name === 'first_response');
  const target = metric ? targetFor(metric, ticket.priority) : null;
  const commitment: Commitment | null = first?.due_at && target !== null
    ? { dueAt: Date.parse(first.due_at), clock: first.clock ?? 'business', targetMinutes: target }
    : null;
  const due = sla?.result.next_due_at ?? null;
  const promise = computePromise({
    now: now.getTime(), commitment, calendar,
    queue: await loadQueueLoad(tx, { id: ticket.id, group_id: ticket.group_id, due: due === null ? null : new Date(due) }, now),
  });
  const description: PromiseDescription | null = promise && {
    clock: promise.clock, target_minutes: promise.statedMinutes, back_at: promise.backAt === null ? null : new Date(promise.backAt).toISOString(),
    basis: promise.basis, reason: promise.basis === 'queue' ? 'queue' : null, message: null, changed_at: null,
    commitment_minutes: promise.commitmentMinutes, committed_at: promise.committedAt === null ? null : new Date(promise.committedAt).toISOString(),
    ahead: promise.ahead,
  };
  const promisedAt = promise ? new Date(promise.promisedAt) : null;
  await tx.query('UPDATE tickets SET promised_reply_at = $2, original_promised_reply_at = $2, promise = $3 WHERE id = $1',
    [ticket.id, promisedAt, description ? JSON.stringify(description) : null]);
  return promiseView({ promised_reply_at: promisedAt, original_promised_reply_at: promisedAt, promise: description, first_responded_at: null });
}
