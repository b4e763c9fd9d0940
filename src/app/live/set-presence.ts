import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { recordTicketOpen } from '../planning/record-ticket-open.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import type { LiveFeed, PresenceEntry } from './live-feed.ts';

export const setPresenceInput = z.object({ state: z.enum(['viewing', 'typing', 'left']) }).strict();

/** Staff say they are viewing or typing on a ticket (or left it); returns the others there now (collision notice). */
export async function setPresence(ctx: AppContext, feed: LiveFeed, actor: Principal, ref: string, raw: unknown): Promise<PresenceEntry[]> {
  if (actor.kind !== 'user') throw forbidden('presence is for staff');
  const input = parseInput(setPresenceInput, raw);
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  // The ticket page says "viewing" when it opens: the planning's handling time starts there (issue 19).
  if (input.state === 'viewing') await recordTicketOpen(ctx.db, ticket.id, actor.id, ctx.now());
  return feed.setPresence(actor, ticket, input.state === 'left' ? null : input.state, ctx.now().getTime());
}
