import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';

export const listNotificationsInput = z.object({
  unread: z.enum(['true', 'false', '1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before_id: z.coerce.number().int().min(1).optional(),
}).strict();

export type NotificationView = { id: string; kind: string; ticket_id: string | null; ticket_number: number | null; title: string; body: string; urgent: boolean; created_at: Date; read_at: Date | null };

/** The caller's own in-app notifications, newest first, with the unread count. */
export async function listNotifications(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: NotificationView[]; unread_count: number }> {
  const user = requireStaff(actor);
  const input = parseInput(listNotificationsInput, raw);
  const unreadOnly = input.unread === 'true' || input.unread === '1';
  const data = await ctx.db.query<NotificationView>(
    `SELECT n.id::text AS id, n.kind, n.ticket_id, t.number AS ticket_number, n.title, n.body, n.urgent, n.created_at, n.read_at
     FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id
     WHERE n.user_id = $1 AND ($2::boolean IS FALSE OR n.read_at IS NULL) AND ($3::bigint IS NULL OR n.id < $3)
     ORDER BY n.id DESC LIMIT $4`, [user.id, unreadOnly, input.before_id ?? null, input.limit]);
  return { data, unread_count: await unreadCount(ctx, actor) };
}

export async function unreadCount(ctx: AppContext, actor: Principal): Promise<number> {
  const user = requireStaff(actor);
  const [row] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL', [user.id]);
  return row?.n ?? 0;
}
