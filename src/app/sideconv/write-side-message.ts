import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { appendSideMessage } from './append-side-message.ts';
import { loadSideConversation, presentSide, type SideConversationView } from './side-conversation-store.ts';

export const sideMessageInput = z.object({ body: z.string().trim().min(1).max(20_000) });

/**
 * A message in the app on a side conversation. The target group's member who is not its starter answers
 * for the other party ("theirs"); everyone else writes from the ticket's side ("ours", mailed to an outside party).
 */
export async function writeSideMessage(ctx: AppContext, actor: Principal, ref: string, id: string, raw: unknown): Promise<SideConversationView> {
  if (actor.kind !== 'user') throw forbidden('side conversations are for staff');
  const input = parseInput(sideMessageInput, raw);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const { ticket, side } = await loadSideConversation(tx, actor, ref, id, true);
    const theirs = side.kind === 'group' && side.group_id !== null && actor.groupIds.includes(side.group_id) && actor.id !== side.created_by;
    await appendSideMessage(ctx, tx, side, ticket, { side: theirs ? 'theirs' : 'ours', authorId: actor.id, fromAddress: null, body: input.body, now, action: theirs ? 'reply' : 'message' });
    const { side: after } = await loadSideConversation(tx, actor, ref, id);
    return presentSide(after, now);
  });
}
