import type { Principal } from '../../core/auth/principal.ts';
import { canSeeTicket } from '../../core/auth/ticket-access.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { findTicketView, type TicketView } from '../../store/repos/tickets-repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `1042`, `#1042` or a UUID. */
export function parseTicketRef(ref: string): { id: string } | { number: number } {
  const trimmed = ref.trim().replace(/^#/, '');
  if (/^\d{1,9}$/.test(trimmed)) return { number: Number(trimmed) };
  if (UUID.test(trimmed)) return { id: trimmed.toLowerCase() };
  throw invalidInput('ref', 'must be a ticket number or id');
}

/** A ticket out of the principal's reach is reported as missing, so its existence does not leak. */
export async function loadVisibleTicket(q: Queryable, principal: Principal, ref: string): Promise<TicketView> {
  const view = await findTicketView(q, parseTicketRef(ref));
  if (!view || !canSeeTicket(principal, view)) throw notFound('ticket');
  return view;
}
