import { invalidInput } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';

export type ListName = 'ticket_type' | 'priority' | 'tier';

/** Types, priorities and tiers are editable lists; values are checked against the stored list. */
export async function assertListKey(q: Queryable, list: ListName, key: string, path: string): Promise<void> {
  const rows = await q.query('SELECT 1 FROM list_entries WHERE list = $1 AND key = $2', [list, key]);
  if (rows.length === 0) throw invalidInput(path, `unknown ${list.replace('_', ' ')} "${key}"`);
}
