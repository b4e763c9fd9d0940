import { invalidInput } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';

export type ListName = 'ticket_type' | 'priority' | 'tier';

// Entries are only ever added, never removed, so a key seen once stays valid: cache hits skip the
// query, and a miss asks the database (another process may have just added the entry).
const known = new WeakMap<object, Set<string>>();

/** Types, priorities and tiers are editable lists; values are checked against the stored list. */
export async function assertListKey(q: Queryable, list: ListName, key: string, path: string): Promise<void> {
  let seen = known.get(q.cacheScope);
  if (!seen) {
    seen = new Set();
    known.set(q.cacheScope, seen);
  }
  const id = `${list}:${key}`;
  if (seen.has(id)) return;
  const rows = await q.query('SELECT 1 FROM list_entries WHERE list = $1 AND key = $2', [list, key]);
  if (rows.length === 0) throw invalidInput(path, `unknown ${list.replace('_', ' ')} "${key}"`);
  seen.add(id);
}
