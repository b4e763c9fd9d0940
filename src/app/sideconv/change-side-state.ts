import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import { advanceSideClock, nextSideState } from '../../core/sideconv/side-conversation.ts';
import { appendEvent } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { loadSideConversation, presentSide, type SideConversationView } from './side-conversation-store.ts';

export const sideStateInput = z.object({ state: z.enum(['open', 'closed']) });

/** Close a side conversation (its clock stops) or reopen it; the change goes on the ticket's internal timeline. */
export async function changeSideState(ctx: AppContext, actor: Principal, ref: string, id: string, raw: unknown): Promise<SideConversationView> {
  if (actor.kind !== 'user') throw forbidden('side conversations are for staff');
  const input = parseInput(sideStateInput, raw);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const { ticket, side } = await loadSideConversation(tx, actor, ref, id, true);
    const state = nextSideState(side.state, input.state === 'closed' ? 'close' : 'reopen');
    if (state !== side.state) {
      const clock = advanceSideClock({ waited_ms: Number(side.waited_ms), waiting_since: side.waiting_since }, state, now);
      await tx.query('UPDATE side_conversations SET state = $2, waited_ms = $3, waiting_since = $4, updated_at = $5 WHERE id = $1', [side.id, state, clock.waited_ms, clock.waiting_since, now]);
      await appendEvent(tx, {
        ticketId: ticket.id, actor: { kind: 'user', id: actor.id }, kind: 'side_conversation', before: { state: side.state },
        after: { side_conversation_id: side.id, action: state === 'closed' ? 'closed' : 'reopened', subject: side.subject, state }, at: now,
      });
      await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'updated', actor_id: actor.id });
    }
    const { side: after } = await loadSideConversation(tx, actor, ref, id);
    return presentSide(after, now);
  });
}
