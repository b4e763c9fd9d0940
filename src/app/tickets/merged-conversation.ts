import type { Queryable } from '../../store/db.ts';

export type Survivor = { id: string; number: number; status: string };

/**
 * The ticket a merged ticket's conversation continues on: its merge pointer followed to the end (a survivor
 * may itself have been merged later). Null when the chain does not end (it cannot by the merge rules; the
 * depth bound keeps a corrupt row from looping).
 */
export async function survivorOf(q: Queryable, ticketId: string): Promise<Survivor | null> {
  const [row] = await q.query<Survivor>(
    `WITH RECURSIVE chain (id, merged_into_id, depth) AS (
       SELECT id, merged_into_id, 0 FROM tickets WHERE id = $1
       UNION ALL
       SELECT t.id, t.merged_into_id, c.depth + 1 FROM tickets t JOIN chain c ON t.id = c.merged_into_id WHERE c.depth < 32)
     SELECT t.id, t.number, t.status FROM chain c JOIN tickets t ON t.id = c.id WHERE c.merged_into_id IS NULL LIMIT 1`, [ticketId]);
  return row ?? null;
}
