import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, invalidInput } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { appendSideMessage } from './append-side-message.ts';
import { SIDE_SELECT, presentSide, type SideConversationView, type SideRow } from './side-conversation-store.ts';

export const startSideConversationInput = z.object({
  /** Internal: the group whose members answer. */
  group_id: z.string().uuid().optional(),
  /** Outside: the address the mail goes to. */
  email: z.string().trim().toLowerCase().email().max(254).optional(),
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
}).refine((v) => (v.group_id === undefined) !== (v.email === undefined), { message: 'give either group_id or email', path: ['group_id'] });

const token = (): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
};

/** From a ticket, a new thread with another group or an outside address, with its first message. */
export async function startSideConversation(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<SideConversationView> {
  if (actor.kind !== 'user') throw forbidden('side conversations are for staff');
  const input = parseInput(startSideConversationInput, raw);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const ticket = await loadVisibleTicket(tx, actor, ref);
    if (input.group_id) {
      const [g] = await tx.query('SELECT 1 FROM groups WHERE id = $1', [input.group_id]);
      if (!g) throw invalidInput('group_id', 'no such group');
    }
    if (input.email) {
      const [own] = await tx.query('SELECT 1 FROM support_addresses WHERE address = $1', [input.email]);
      if (own) throw invalidInput('email', 'is one of our own support addresses');
    }
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO side_conversations (ticket_id, kind, group_id, external_address, subject, token, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [ticket.id, input.group_id ? 'group' : 'email', input.group_id ?? null, input.email ?? null, input.subject, token(), actor.id, now]);
    const read = async () => (await tx.query<SideRow>(`${SIDE_SELECT} WHERE s.id = $1`, [created?.id]))[0];
    const side = await read();
    if (!side) throw new Error('side conversation insert returned no row');
    await appendSideMessage(ctx, tx, side, ticket, { side: 'ours', authorId: actor.id, fromAddress: null, body: input.body, now, action: 'started' });
    const after = await read();
    return presentSide(after ?? side, now);
  });
}
