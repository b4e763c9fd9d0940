import { invalidInput } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';

/** Some request types (e.g. "urgent") are for staff only: a customer's own request may not choose them. */
export async function assertCustomerSelectableType(q: Queryable, type: string): Promise<void> {
  const [row] = await q.query<{ customer_selectable: boolean }>("SELECT customer_selectable FROM list_entries WHERE list = 'ticket_type' AND key = $1", [type]);
  if (row && !row.customer_selectable) {
    throw invalidInput('type', `"${type}" cannot be chosen on a customer's request; say how urgent it is in "urgency" instead`);
  }
}
