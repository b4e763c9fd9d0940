// The promise "you will hear from us by …" — THE rule, in one pure function (docs/promise.md):
//
// 1. The customer is promised the published commitment for their type × urgency × tier: the first-response
//    due of the policy the team will work to (the same policy that orders the queue and drives the monitor).
// 2. When the live prediction (the work ahead of this request in the queue's own order × recent handling
//    time ÷ agents who can take it) says the team cannot make that, the promise is the later, honest time,
//    with the reason kept ("N requests are ahead of yours").
// 3. The stated duration ("within N hours") always matches the date: for the commitment it is the target;
//    for a later prediction the promise is rounded UP to the stated duration, so date and words agree.
// 4. A business-time promise is counted in the policy's calendar, so it falls inside open hours; a
//    wall-clock one in wall-clock time.
// 5. Outside office hours (the policy's calendar, whichever clock the target counts in) the promise says
//    when the team is back.
// 6. During a surge (docs/surge.md) the prediction counts the group's whole unanswered backlog, not only
//    the work due before this request: the same rule 2, with the honest count of work ahead.

import { ALWAYS_OPEN, type BusinessCalendar } from '../calendar/index.ts';
import { surgeAhead } from '../planning/surge.ts';
import type { MetricClockKind } from '../sla/index.ts';

const MINUTE = 60_000;

export type QueueLoad = {
  /** Unanswered tickets the queue will serve before this one (due earlier), in the same group. */
  ahead: number;
  /** Recent median minutes of work per first reply (assignment → reply); null = no history. */
  recentHandleMinutes: number | null;
  /** Agents who can take the work now (at least one is assumed when there is history). */
  agentsOnShift: number;
};

export type Commitment = {
  /** The first-response due instant of the ticket's policy. */
  dueAt: number;
  clock: MetricClockKind;
  /** The published target ("within 2 hours"), in the clock's minutes. */
  targetMinutes: number;
};

export type PromiseInput = {
  now: number;
  /** The published commitment for this ticket; null when no policy promises a first response. */
  commitment: Commitment | null;
  /** The policy's business calendar (24/7 when it has none): open hours, and business-time arithmetic. */
  calendar: BusinessCalendar;
  queue: QueueLoad | null;
  /** A surge is on: the group's unanswered tickets (all of them, whatever their due). Absent or null: no surge. */
  surge?: { backlog: number } | null;
};

export type TicketPromise = {
  promisedAt: number;
  /** `sla` = the published commitment; `queue` = the live prediction was later. */
  basis: 'sla' | 'queue';
  clock: MetricClockKind;
  /** The duration the customer is told ("within N …"), in the clock's minutes; promisedAt is exactly that far. */
  statedMinutes: number;
  /** The published commitment's target and instant (what "usually" means when the prediction is later). */
  commitmentMinutes: number | null;
  committedAt: number | null;
  /** Requests ahead of this one when the prediction set the promise; null otherwise. */
  ahead: number | null;
  /** When the promise is made outside office hours: when the team is back. */
  backAt: number | null;
  /** The surge's count of work set this (later) promise. */
  surge: boolean;
};

/** Minutes of work the queue ahead needs, or null when there is nothing to predict from. */
export function predictWorkMinutes(queue: QueueLoad | null): number | null {
  if (queue === null || queue.ahead <= 0 || queue.recentHandleMinutes === null) return null;
  const agents = Math.max(1, queue.agentsOnShift);
  return Math.ceil((queue.ahead * queue.recentHandleMinutes) / agents);
}

/**
 * The live prediction as an instant, with the work counted in `calendar`'s open hours (computePromise passes
 * the policy calendar for a business-time commitment, 24/7 for a wall-clock one: a team that publishes
 * "within 2 hours" around the clock works around the clock).
 */
export function predictReply(now: number, queue: QueueLoad | null, calendar: BusinessCalendar): number | null {
  const minutes = predictWorkMinutes(queue);
  return minutes === null ? null : calendar.addBusinessMs(now, minutes * MINUTE);
}

/**
 * A duration as a customer reads it, rounded up so the date never lies: whole hours from an hour up,
 * otherwise whole five minutes.
 */
export function roundUpStatedMinutes(minutes: number): number {
  if (minutes <= 0) return 0;
  if (minutes >= 60) return Math.ceil(minutes / 60) * 60;
  return Math.ceil(minutes / 5) * 5;
}

export function computePromise(input: PromiseInput): TicketPromise | null {
  const { now, commitment, calendar } = input;
  const backAt = calendar.isOpen(now) ? null : calendar.nextOpening(now);
  const surge = input.surge ?? null;
  const queue = surge && input.queue ? { ...input.queue, ahead: surgeAhead(input.queue.ahead, surge.backlog) } : input.queue;
  const predicted = predictReply(now, queue, commitment?.clock === 'business' ? calendar : ALWAYS_OPEN);
  if (predicted !== null && (commitment === null || predicted > commitment.dueAt)) {
    // Counted like the commitment: business minutes when its clock is business, wall-clock otherwise.
    const clock: MetricClockKind = commitment?.clock ?? 'calendar';
    const span = clock === 'business' ? calendar.businessMsBetween(now, predicted) : predicted - now;
    const statedMinutes = roundUpStatedMinutes(Math.ceil(span / MINUTE));
    const promisedAt = clock === 'business' ? calendar.addBusinessMs(now, statedMinutes * MINUTE) : now + statedMinutes * MINUTE;
    return {
      promisedAt, basis: 'queue', clock, statedMinutes,
      commitmentMinutes: commitment?.targetMinutes ?? null, committedAt: commitment?.dueAt ?? null,
      ahead: queue?.ahead ?? null, backAt, surge: surge !== null,
    };
  }
  if (commitment === null) return null;
  return {
    promisedAt: commitment.dueAt, basis: 'sla', clock: commitment.clock, statedMinutes: commitment.targetMinutes,
    commitmentMinutes: commitment.targetMinutes, committedAt: commitment.dueAt, ahead: null, backAt, surge: false,
  };
}

/**
 * Automatic triage may shorten a promise, never lengthen one without a person: a change proposed by the
 * classifier is applied only when the first-response due it leads to is no later than the one before it.
 */
export function mayApplyAutomatically(dueBefore: number | null, dueAfter: number | null): boolean {
  if (dueBefore === null) return true;
  if (dueAfter === null) return false;
  return dueAfter <= dueBefore;
}

/** Whether a promise was kept: the first agent reply came at or before the ORIGINAL promise. */
export function promiseKept(originalPromise: number, firstResponseAt: number | null, now: number): boolean | null {
  if (firstResponseAt !== null) return firstResponseAt <= originalPromise;
  return now > originalPromise ? false : null;
}
