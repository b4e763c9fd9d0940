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
  if (input.state === 'viewing' && firstViewInProcess(ctx, ticket.id, actor.id)) await recordTicketOpen(ctx.db, ticket.id, actor.id, ctx.now());
  return feed.setPresence(actor, ticket, input.state === 'left' ? null : input.state, ctx.now().getTime());
}

// The page pings "viewing" every few seconds; only the first ping of an agent on a ticket can record the open, so
// later pings skip the write. Per process and bounded: after a restart or a reset the insert (idempotent) runs once more.
const viewed = new WeakMap<AppContext, Set<string>>();
function firstViewInProcess(ctx: AppContext, ticketId: string, userId: string): boolean {
  let seen = viewed.get(ctx);
  if (!seen || seen.size >= 50_000) viewed.set(ctx, (seen = new Set()));
  const key = `${ticketId}:${userId}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
