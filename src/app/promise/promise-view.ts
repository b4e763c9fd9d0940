import { z } from 'zod';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';

// How the promise is described, stored in tickets.promise next to the instants.
export const promiseDescriptionSchema = z.object({
  clock: z.enum(['business', 'calendar']),
  target_minutes: z.number().nullable(),
  back_at: z.string().nullable(),
  basis: z.enum(['sla', 'queue', 'agent']),
  reason: z.string().nullable().default(null),
  message: z.string().nullable().default(null),
  changed_at: z.string().nullable().default(null),
});
export type PromiseDescription = z.infer<typeof promiseDescriptionSchema>;

export type PromiseView = PromiseDescription & {
  promised_at: string;
  original_promised_at: string;
  changed: boolean;
  /** true/false once answered (by the ORIGINAL promise); null while waiting. */
  kept: boolean | null;
};

type PromiseColumns = Pick<TicketRow, 'promised_reply_at' | 'original_promised_reply_at' | 'promise' | 'first_responded_at'>;

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
  };
}
