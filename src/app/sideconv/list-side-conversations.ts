import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { SIDE_SELECT, listSideMessages, loadSideConversation, presentSide, presentSideMessage, type SideRow } from './side-conversation-store.ts';

/** A ticket's side conversations, newest activity first, each with its state and waiting clock. */
export async function listSideConversations(ctx: AppContext, actor: Principal, ref: string) {
  if (actor.kind !== 'user') throw forbidden('side conversations are for staff');
  const ticket = await loadVisibleTicket(ctx.db, actor, ref);
  const rows = await ctx.db.query<SideRow>(`${SIDE_SELECT} WHERE s.ticket_id = $1 ORDER BY s.updated_at DESC, s.id`, [ticket.id]);
  const now = ctx.now();
  return { data: rows.map((r) => presentSide(r, now)) };
}

/** One side conversation with its thread, oldest message first. */
export async function getSideConversation(ctx: AppContext, actor: Principal, ref: string, id: string) {
  if (actor.kind !== 'user') throw forbidden('side conversations are for staff');
  const { side } = await loadSideConversation(ctx.db, actor, ref, id);
  const messages = await listSideMessages(ctx.db, side.id);
  return { ...presentSide(side, ctx.now()), messages: messages.map(presentSideMessage) };
}
