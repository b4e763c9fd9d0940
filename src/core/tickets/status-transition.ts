import { DomainError } from '../errors.ts';
import type { TicketStatus } from './ticket-model.ts';

// Zendesk/Zammad lifecycle: anything unsolved moves freely; solved reopens; closed is final
// (a follow-up ticket is created instead); nothing goes back to "new".
const ALLOWED: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved', 'closed'],
  open: ['pending', 'on_hold', 'solved', 'closed'],
  pending: ['open', 'on_hold', 'solved', 'closed'],
  on_hold: ['open', 'pending', 'solved', 'closed'],
  solved: ['open', 'pending', 'on_hold', 'closed'],
  closed: [],
};

export function assertStatusTransition(from: TicketStatus, to: TicketStatus): void {
  if (from === to) return;
  if (!ALLOWED[from].includes(to)) {
    throw new DomainError('unprocessable', `cannot change status from ${from} to ${to}`, 'status');
  }
}

/** Status after a public message: an agent's reply to a new ticket opens it; a customer's message reopens a waiting or solved one. */
export function statusAfterMessage(current: TicketStatus, author: 'agent' | 'customer'): TicketStatus {
  if (author === 'agent') return current === 'new' ? 'open' : current;
  if (current === 'pending' || current === 'solved') return 'open';
  return current;
}

/** Timestamps that follow a status change. */
export function statusTimestamps(
  to: TicketStatus,
  now: Date,
  current: { solved_at: Date | null; closed_at: Date | null },
): { solved_at: Date | null; closed_at: Date | null } {
  if (to === 'solved') return { solved_at: now, closed_at: null };
  if (to === 'closed') return { solved_at: current.solved_at ?? now, closed_at: now };
  return { solved_at: null, closed_at: null };
}
