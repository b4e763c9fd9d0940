import type { Queryable } from '../db.ts';

export type RosterRow = { user_id: string; spec: unknown; updated_at: Date };

/** Rosters of the given users (all rosters when `userIds` is null). */
export async function findRosters(q: Queryable, userIds: readonly string[] | null): Promise<RosterRow[]> {
  return userIds === null
    ? q.query<RosterRow>('SELECT user_id, spec, updated_at FROM rosters ORDER BY user_id')
    : userIds.length === 0 ? [] : q.query<RosterRow>('SELECT user_id, spec, updated_at FROM rosters WHERE user_id = ANY($1::uuid[]) ORDER BY user_id', [userIds]);
}

/**
 * Several agents' rosters written in one statement (an import is all or nothing). `updated_at` is the roster's
 * version (parsed rosters are cached by it), so a second write in the same millisecond still moves it on.
 */
export async function upsertRosters(q: Queryable, rows: readonly { userId: string; spec: unknown }[], by: string, now: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO rosters (user_id, spec, updated_at, updated_by)
     SELECT u, s::jsonb, $3, $4 FROM unnest($1::uuid[], $2::text[]) AS x(u, s)
     ON CONFLICT (user_id) DO UPDATE SET spec = EXCLUDED.spec, updated_by = EXCLUDED.updated_by,
       updated_at = GREATEST(EXCLUDED.updated_at, rosters.updated_at + interval '1 millisecond')`,
    [rows.map((r) => r.userId), rows.map((r) => JSON.stringify(r.spec)), now, by]);
}

export async function deleteRoster(q: Queryable, userId: string): Promise<boolean> {
  return (await q.query('DELETE FROM rosters WHERE user_id = $1 RETURNING user_id', [userId])).length > 0;
}
