import type { Queryable } from '../../store/db.ts';

/** The NOTIFY channel for "your notifications changed" (suffixed with the schema, as the ticket channel is). */
export const NOTIFICATION_CHANNEL = 'rb_notifications';

/** More recipients than this in one change: the payload says "everyone" instead (NOTIFY payloads stop at 8000 bytes). */
const MAX_LISTED = 150;

/**
 * Tells the live feed whose bell changed (new rows, or rows read in another tab), inside the writing
 * transaction: a rolled-back notification never rings. Payload: the user ids, or "*" for everyone.
 */
export async function publishNotificationChange(q: Queryable, userIds: readonly string[]): Promise<void> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  await q.query(`SELECT pg_notify($1 || '_' || current_schema(), $2)`, [NOTIFICATION_CHANNEL, ids.length > MAX_LISTED ? '*' : ids.join(',')]);
}
