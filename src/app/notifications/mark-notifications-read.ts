import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { publishNotificationChange } from './publish-notification-change.ts';

export const markReadInput = z.object({
  /** Omitted: all of the caller's notifications. */
  ids: z.array(z.coerce.number().int().min(1)).min(1).max(500).optional(),
}).strict();

/** Marks the caller's own notifications read (someone else's ids are ignored); returns the unread count left. */
export async function markNotificationsRead(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ unread_count: number }> {
  const user = requireStaff(actor);
  const input = parseInput(markReadInput, raw ?? {});
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number; marked: number }>(
      `WITH marked AS (UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) RETURNING id)
       SELECT (SELECT count(*)::int FROM notifications WHERE user_id = $1 AND read_at IS NULL) - (SELECT count(*)::int FROM marked) AS n, (SELECT count(*)::int FROM marked) AS marked`,
      [user.id, input.ids ?? null, now]);
    // The reader's other tabs update their bell.
    if (row?.marked) await publishNotificationChange(tx, [user.id]);
    return { unread_count: row?.n ?? 0 };
  });
}
