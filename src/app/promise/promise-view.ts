import { z } from 'zod';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';

// How the promise is described, stored in tickets.promise next to the instants (written by make-promise.ts,
// change-promise.ts and the lifecycle sweep only). Fields added later default to null for older rows.
export const promiseDescriptionSchema = z.object({
  clock: z.enum(['business', 'calendar']),
  /** The duration the customer is told ("within N …"); the promised instant is exactly that far from intake. */
  target_minutes: z.number().nullable(),
  back_at: z.string().nullable(),
  basis: z.enum(['sla', 'queue', 'agent']),
  reason: z.string().nullable().default(null),
  message: z.string().nullable().default(null),
  changed_at: z.string().nullable().default(null),
  /** The published commitment (policy target and its due instant) the promise was measured against. */
  commitment_minutes: z.number().nullable().default(null),
  committed_at: z.string().nullable().default(null),
  /** Requests ahead in the queue when the live prediction set a later promise. */
  ahead: z.number().int().nullable().default(null),
});
export type PromiseDescription = z.infer<typeof promiseDescriptionSchema>;

/**
 * A promise moved to a new date (an agent's change, the sweep's new estimate): the stored description
 * `previous` keeps its clock and commitment; the new date is a date, not a duration, so no "within …" is stated.
 */
export function restatedPromise(previous: unknown, change: Pick<PromiseDescription, 'basis' | 'reason' | 'message'>, now: Date): PromiseDescription {
  const old = promiseDescriptionSchema.safeParse(previous);
  return {
    clock: old.success ? old.data.clock : 'calendar', target_minutes: null, back_at: null, ...change, changed_at: now.toISOString(),
    commitment_minutes: old.success ? old.data.commitment_minutes : null, committed_at: old.success ? old.data.committed_at : null, ahead: null,
  };
}

export type PromiseView = PromiseDescription & {
  promised_at: string;
  original_promised_at: string;
  changed: boolean;
  /** true/false once answered (by the ORIGINAL promise); null while waiting. */
  kept: boolean | null;
  /** When the team first answered; null while waiting. */
  answered_at: string | null;
  /**
   * After the first answer: when the customer's latest message will be answered (the next-response clock
   * of the ticket's policy), null when nothing of theirs is waiting for us.
   */
  next_reply_by: string | null;
};

type PromiseColumns = Pick<TicketRow, 'promised_reply_at' | 'original_promised_reply_at' | 'promise' | 'first_responded_at'> & { sla_state?: unknown; status?: string };

type StoredClocks = { result?: { metrics?: Record<string, { status?: string; due_at?: string | null }> } };

/** The running next-response due from the stored clocks (null when none runs). */
function nextReplyBy(slaState: unknown, status: string | undefined): string | null {
  if (status !== undefined && status !== 'new' && status !== 'open') return null;
  const metric = (slaState as StoredClocks | null | undefined)?.result?.metrics?.next_response;
  return metric && metric.status === 'running' && metric.due_at ? new Date(metric.due_at).toISOString() : null;
}

/** The ticket's promise as the API shows it; null when none was made (no policy, no history). */
export function promiseView(row: PromiseColumns): PromiseView | null {
  if (row.promised_reply_at === null) return null;
  const described = promiseDescriptionSchema.safeParse(row.promise);
  if (!described.success) return null;
  const original = row.original_promised_reply_at ?? row.promised_reply_at;
  return {
    ...described.data,
    promised_at: row.promised_reply_at.toISOString(),
    original_promised_at: original.toISOString(),
    changed: original.getTime() !== row.promised_reply_at.getTime() || described.data.basis === 'agent',
    kept: row.first_responded_at === null ? null : row.first_responded_at.getTime() <= original.getTime(),
    answered_at: row.first_responded_at?.toISOString() ?? null,
    next_reply_by: row.first_responded_at === null ? null : nextReplyBy(row.sla_state, row.status),
  };
}
