import type { Queryable } from '../../store/db.ts';
import type { TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { fireSlaAction, type DueClock } from './fire-sla-action.ts';
import { notify, type Notification } from '../notifications/notify.ts';

// A ticket whose monitor was down for long can have a few actions due at once (warning, breach,
// levels); they are taken in order, and this bounds one transaction.
const MAX_ACTIONS_PER_TICKET = 8;

/**
 * Claims the ticket with the earliest due action and takes every action of it that is due, in one
 * transaction. The claim locks the ticket row with SKIP LOCKED — the same lock every ticket change
 * takes first — so other monitors move on to other tickets and a concurrent change waits. Under the
 * lock the due clocks are read again: an action another monitor took a moment ago is no longer due,
 * and each taken action's key goes into `fired`, so no action is taken twice. `claimed` false: nothing
 * due that no other monitor holds.
 */
export async function fireNextDueTicket(ctx: AppContext): Promise<{ claimed: boolean; fired: number }> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [ticket] = await tx.query<TicketRow>(
      `SELECT t.* FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
       WHERE c.next_action_at <= $1 ORDER BY c.next_action_at LIMIT 1
       FOR UPDATE OF t SKIP LOCKED`, [now]);
    if (!ticket) return { claimed: false, fired: 0 };
    return { claimed: true, fired: await fireDue(tx, ticket, now) };
  });
}

async function fireDue(tx: Queryable, claimed: TicketRow, now: Date): Promise<number> {
  let fired = 0;
  let ticket: TicketRow | undefined = claimed;
  const notifications: Notification[] = [];
  for (let i = 0; i < MAX_ACTIONS_PER_TICKET && ticket; i++) {
    const [clock] = await tx.query<DueClock>(
      `SELECT metric, policy_id, next_action_key, next_action_at, due_at FROM sla_clocks
       WHERE ticket_id = $1 AND next_action_at <= $2 AND next_action_key IS NOT NULL ORDER BY next_action_at, metric LIMIT 1 FOR UPDATE`, [ticket.id, now]);
    if (!clock) break;
    await tx.query(
      `UPDATE sla_clocks SET fired = fired || jsonb_build_array($3::text), next_action_key = NULL, next_action_at = NULL
       WHERE ticket_id = $1 AND metric = $2`, [ticket.id, clock.metric, clock.next_action_key]);
    notifications.push(...(await fireSlaAction(tx, ticket, clock, now)));
    fired += 1;
    // Recomputing from the log schedules what comes next (the next threshold, level or reminder),
    // and takes in what the action itself changed (priority, assignee, status).
    await refreshTicketSla(tx, ticket.id, now);
    const [due] = await tx.query<{ id: string }>('SELECT ticket_id AS id FROM sla_clocks WHERE ticket_id = $1 AND next_action_at <= $2 LIMIT 1', [ticket.id, now]);
    if (!due) break;
    [ticket] = await tx.query<TicketRow>('SELECT * FROM tickets WHERE id = $1', [ticket.id]);
  }
  for (const n of notifications) await notify(tx, n, now);
  return fired;
}

/** Takes every action due now (tests, and each wake-up of the monitor loop); returns how many. */
export async function runDueSlaActions(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const { claimed, fired } = await fireNextDueTicket(ctx);
    if (!claimed) return total;
    total += fired;
  }
}

/** The earliest scheduled action, so a monitor can sleep until then. */
export async function nextSlaActionAt(ctx: AppContext): Promise<Date | null> {
  const [row] = await ctx.db.query<{ at: Date | null }>('SELECT min(next_action_at) AS at FROM sla_clocks WHERE next_action_at IS NOT NULL');
  return row?.at ?? null;
}
