import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';

export const listNotificationsInput = z.object({
  unread: z.enum(['true', 'false', '1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next_cursor` of the previous page (opaque). */
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a next_cursor from a previous page').optional(),
  /** Older name of `cursor`, kept for existing clients. */
  before_id: z.coerce.number().int().min(1).optional(),
}).strict();

export type NotificationView = {
  id: string; kind: string; ticket_id: string | null; ticket_number: number | null; ticket_subject: string | null;
  title: string; body: string; urgent: boolean; data: Record<string, unknown>; created_at: Date; read_at: Date | null;
};

/**
 * The caller's own in-app notifications, newest first, a page at a time, with the unread count. `data` holds
 * the facts (metric, due instant, level, …) for the reader's language and zone; `title`/`body` are the
 * English text the e-mail used.
 */
export async function listNotifications(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: NotificationView[]; next_cursor: string | null; unread_count: number }> {
  const user = requireStaff(actor);
  const input = parseInput(listNotificationsInput, raw);
  const unreadOnly = input.unread === 'true' || input.unread === '1';
  const before = input.cursor ?? (input.before_id ? String(input.before_id) : null);
  const rows = await ctx.db.query<NotificationView>(
    `SELECT n.id::text AS id, n.kind, n.ticket_id, t.number AS ticket_number, t.subject AS ticket_subject, n.title, n.body, n.urgent, n.data, n.created_at, n.read_at
     FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id
     WHERE n.user_id = $1 AND ($2::boolean IS FALSE OR n.read_at IS NULL) AND ($3::bigint IS NULL OR n.id < $3::bigint)
     ORDER BY n.id DESC LIMIT $4`, [user.id, unreadOnly, before, input.limit + 1]);
  const data = rows.slice(0, input.limit);
  const next_cursor = rows.length > input.limit ? (data.at(-1)?.id ?? null) : null;
  return { data, next_cursor, unread_count: await unreadCount(ctx, actor) };
}

export async function unreadCount(ctx: AppContext, actor: Principal): Promise<number> {
  const user = requireStaff(actor);
  const [row] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL', [user.id]);
  return row?.n ?? 0;
}
