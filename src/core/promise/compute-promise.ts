// The promise "you will hear from us by …": the first-response due instant from the SLA, or, when
// the queue is deep, a live prediction (work ahead × recent handling time ÷ agents on shift) —
// whichever is later, since promising the SLA while the queue cannot meet it would be a lie.

import type { BusinessCalendar } from '../calendar/index.ts';
import type { MetricClockKind } from '../sla/index.ts';

const MINUTE = 60_000;

export type QueueLoad = {
  /** Open tickets not yet answered, ahead of this one. */
  ahead: number;
  /** Recent median (or mean) minutes from creation to first response of answered tickets; null = no history. */
  recentHandleMinutes: number | null;
  /** Agents who can take the work now (at least one is assumed when there is history). */
  agentsOnShift: number;
};

export type PromiseInput = {
  now: number;
  /** The first-response due instant from the ticket's SLA clocks; null when no policy promises one. */
  firstResponseDue: number | null;
  clock: MetricClockKind;
  targetMinutes: number | null;
  /** The policy's business calendar (24/7 when it has none). */
  calendar: BusinessCalendar;
  queue: QueueLoad | null;
};

export type TicketPromise = {
  promisedAt: number;
  /** `sla` = the policy's target; `queue` = the live prediction was later. */
  basis: 'sla' | 'queue';
  clock: MetricClockKind;
  targetMinutes: number | null;
  /** For a business-time promise made outside hours: when the team is back. */
  backAt: number | null;
};

/** The live prediction from the queue, or null when there is nothing to predict from. */
export function predictReply(now: number, queue: QueueLoad | null): number | null {
  if (queue === null || queue.ahead <= 0 || queue.recentHandleMinutes === null) return null;
  const agents = Math.max(1, queue.agentsOnShift);
  return now + Math.ceil((queue.ahead * queue.recentHandleMinutes) / agents) * MINUTE;
}

export function computePromise(input: PromiseInput): TicketPromise | null {
  const predicted = predictReply(input.now, input.queue);
  const due = input.firstResponseDue;
  const backAt = input.clock === 'business' && !input.calendar.isOpen(input.now) ? input.calendar.nextOpening(input.now) : null;
  const described = { clock: input.clock, targetMinutes: input.targetMinutes, backAt };
  if (predicted !== null && (due === null || predicted > due)) return { promisedAt: predicted, basis: 'queue', ...described };
  if (due === null) return null;
  return { promisedAt: due, basis: 'sla', ...described };
}

/** Whether a promise was kept: the first agent reply came at or before the ORIGINAL promise. */
export function promiseKept(originalPromise: number, firstResponseAt: number | null, now: number): boolean | null {
  if (firstResponseAt !== null) return firstResponseAt <= originalPromise;
  return now > originalPromise ? false : null;
}
