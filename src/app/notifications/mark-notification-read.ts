import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { publishNotificationChange } from './publish-notification-change.ts';

/**
 * Marks one of the caller's notifications read (opening it from the bell). Someone else's id answers 404,
 * the same as one that does not exist: the ids of other people's notifications say nothing.
 */
export async function markNotificationRead(ctx: AppContext, actor: Principal, id: string): Promise<{ id: string; read_at: Date; unread_count: number }> {
  const user = requireStaff(actor);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ read_at: Date; was_unread: boolean }>(
      `UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1::bigint AND user_id = $2
       RETURNING read_at, read_at = $3 AS was_unread`, [id, user.id, ctx.now()]);
    if (!row) throw notFound('notification');
    if (row.was_unread) await publishNotificationChange(tx, [user.id]);
    const [count] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL', [user.id]);
    return { id, read_at: row.read_at, unread_count: count?.n ?? 0 };
  });
}
