import { customerLanguage, type CustomerLanguage } from '../../core/email/language.ts';
import { promiseWords, type PromiseWords, type StatedPromise } from '../../core/email/promise-words.ts';
import type { Queryable } from '../../store/db.ts';
import { promiseView, type PromiseView } from './promise-view.ts';

export type TicketPromiseData = {
  view: PromiseView | null;
  /** The requester's zone and language: every customer text states the promise in them. */
  time_zone: string;
  language: CustomerLanguage;
  /** The {{promise.*}} / {{team.back_local}} values for templates and macros. */
  words: PromiseWords;
};

/** The promise as customer texts state it (make-promise.ts stored it; nothing here recomputes it). */
export function statedPromise(view: PromiseView | null): StatedPromise | null {
  if (!view) return null;
  return {
    promisedAt: new Date(view.promised_at), statedMinutes: view.target_minutes, clock: view.clock, basis: view.basis,
    commitmentMinutes: view.commitment_minutes, ahead: view.ahead, backAt: view.back_at ? new Date(view.back_at) : null,
  };
}

/** The ticket and requester columns the promise is read from; a caller that reads the ticket anyway selects them too. */
export const PROMISE_COLUMNS = `t.promised_reply_at, t.original_promised_reply_at, t.promise, t.first_responded_at, t.sla_state, t.status,
  c.time_zone, c.language`;
export type PromiseColumns = { promised_reply_at: Date | null; original_promised_reply_at: Date | null; promise: unknown; first_responded_at: Date | null; sla_state: unknown; status: string; time_zone: string | null; language: string | null };

/** The promise of a row read with PROMISE_COLUMNS, in the requester's language and zone. Pure. */
export function promiseData(row: PromiseColumns): TicketPromiseData {
  const view = promiseView(row);
  const zone = row.time_zone || 'UTC';
  const language = customerLanguage(row.language) ?? 'en';
  return { view, time_zone: zone, language, words: promiseWords(statedPromise(view), zone, language) };
}

/**
 * THE one reader of a ticket's promise for everything customers read — acknowledgement, notices, macros:
 * the stored promise, in the requester's language and zone. Null when the ticket does not exist.
 */
export async function promiseForTicket(q: Queryable, ticketId: string): Promise<TicketPromiseData | null> {
  const [row] = await q.query<PromiseColumns>(`SELECT ${PROMISE_COLUMNS} FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [ticketId]);
  return row ? promiseData(row) : null;
}
