import type { PolicySubject } from '../../core/policies/policy-model.ts';
import type { StoredTicketEvent } from '../../core/policies/ticket-sla-input.ts';
import type { Queryable } from '../../store/db.ts';
import { listTicketEventsForSlaMany } from '../../store/repos/sla-repo.ts';
import { appendEvents, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { notifyMany, type Notification } from '../notifications/notify.ts';
import { enqueueMany } from '../shared/outbox.ts';
import { computeSlaFor, slaColumns, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';
import { fireSlaAction, staffDirectory, type ActionBatch, type DueClock } from './fire-sla-action.ts';
import { planClocks, writeClocks, type ClockRow, type ClockWrite, type ExistingClock } from './sync-sla-clocks.ts';

// A ticket whose monitor was down for long can have a few actions due at once (warning, breach,
// levels); they are taken in order, and this bounds one ticket's share of a transaction.
const MAX_ACTIONS_PER_TICKET = 8;
/** Tickets claimed per transaction: a backlog is taken in batches; a quiet schedule claims one or two at a time. */
export const CLAIM_BATCH = 16;
// The event kinds the SLA engine reads (listTicketEventsForSla); an action that writes one changes the clocks.
const SLA_EVENT_KINDS = new Set(['created', 'status_changed', 'message_added', 'group_changed']);

type ClaimedTicket = TicketRow & { tier: string | null };
type StoredClock = ExistingClock & { ticket_id: string; policy_id: string | null; next_action_key: string | null; due_at: Date | null };
export type ClaimOptions = { limit?: number; only?: readonly string[]; skip?: readonly string[] };

const CLAIM_SQL = (filter: string) =>
  `SELECT t.*, o.tier FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id LEFT JOIN organizations o ON o.id = t.organization_id
   WHERE c.next_action_at <= $1 AND ${filter} ORDER BY c.next_action_at LIMIT $2
   FOR UPDATE OF t SKIP LOCKED`;

/**
 * Claims the tickets with the earliest due actions (up to `limit`) and takes every action of them
 * that is due, in one transaction: a crash loses or repeats none of it. The claim locks the ticket
 * rows with SKIP LOCKED — the same lock every ticket change takes first — so other monitors move on
 * to other tickets and a concurrent change waits. Under the lock the clocks are read again: an action
 * another monitor took a moment ago is no longer due, and each taken action's key goes into `fired`,
 * so no action is taken twice. The batch reads the SLA configuration, the clocks and the event logs
 * once, recomputes each ticket in memory, and writes events, clocks, notifications and outbox jobs
 * with one statement each. `claimed`: the tickets locked (empty: nothing due that no other monitor holds).
 */
export async function fireDueBatch(ctx: AppContext, options: ClaimOptions = {}): Promise<{ claimed: string[]; fired: number }> {
  let ids: string[] = [];
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const limit = options.limit ?? CLAIM_BATCH;
    const rows = options.only
      ? await tx.query<ClaimedTicket>(CLAIM_SQL('c.ticket_id = ANY($3::uuid[])'), [now, limit, options.only])
      : await tx.query<ClaimedTicket>(CLAIM_SQL('NOT (c.ticket_id = ANY($3::uuid[]))'), [now, limit, options.skip ?? []]);
    // A ticket with two due clocks comes back twice.
    const tickets = [...new Map(rows.map((r) => [r.id, r])).values()];
    if (tickets.length === 0) return { claimed: [], fired: 0 };
    ids = tickets.map((t) => t.id);
    const clocks = await tx.query<StoredClock>(
      'SELECT ticket_id, metric, policy_id, cycle_started_at, fired, next_action_key, next_action_at, due_at FROM sla_clocks WHERE ticket_id = ANY($1::uuid[])', [ids]);
    if (!clocks.some((c) => c.next_action_at && c.next_action_key && c.next_action_at.getTime() <= now.getTime())) return { claimed: ids, fired: 0 };
    const config = await loadSlaConfig(tx);
    const events = await listTicketEventsForSlaMany(tx, ids);
    const batch: ActionBatch = { config, events: [], jobs: [], staff: staffDirectory(tx, now) };
    const notifications: Notification[] = [];
    const slaUpdates: { id: string; state: TicketSlaState | null }[] = [];
    const clockWrites: ClockWrite[] = [];
    let fired = 0;
    for (const ticket of tickets) {
      const taken = await fireTicket(tx, ticket, clocks.filter((c) => c.ticket_id === ticket.id), events.get(ticket.id) ?? [], now, batch, notifications);
      if (!taken) continue;
      fired += taken.fired;
      slaUpdates.push({ id: ticket.id, state: taken.state });
      clockWrites.push(taken.write);
    }
    if (fired === 0) return { claimed: ids, fired: 0 };
    await appendEvents(tx, batch.events);
    await tx.query(
      `UPDATE tickets t SET sla_policy_id = r.policy_id, sla_next_due_at = r.next_due_at, sla_breached = r.breached, sla_state = r.state
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, policy_id uuid, next_due_at timestamptz, breached boolean, state jsonb) WHERE t.id = r.id`,
      [JSON.stringify(slaUpdates.map(({ id, state }) => {
        const c = slaColumns(state);
        return { id, policy_id: c?.policy_id ?? null, next_due_at: c?.next_due_at ?? null, breached: c?.breached ?? false, state: c?.state ?? null };
      }))]);
    await writeClocks(tx, clockWrites, now);
    await enqueueMany(tx, batch.jobs, now);
    // Last: the recipients' e-mail plan rows are shared by every monitor, so they are held the shortest time.
    await notifyMany(tx, notifications, now, config);
    return { claimed: ids, fired };
  }).catch((err: unknown) => {
    throw ids.length ? new SlaBatchError(ids, err) : err;
  });
}

/** A batch that failed and rolled back, with the tickets it had claimed (for the caller to retry one by one). */
export class SlaBatchError extends Error {
  constructor(readonly tickets: readonly string[], readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Takes the due actions of one claimed ticket in order, recomputing its clocks in memory after each
 * (the next threshold, level or reminder may be due already; the action's own effect — priority,
 * assignee, status — is taken in). Null: nothing of it was due any more.
 */
async function fireTicket(
  tx: Queryable, ticket: ClaimedTicket, stored: readonly StoredClock[], events: StoredTicketEvent[], now: Date, batch: ActionBatch, notifications: Notification[],
): Promise<{ fired: number; state: TicketSlaState | null; write: ClockWrite } | null> {
  type Clock = ExistingClock & { policy_id: string | null; next_action_key: string | null; due_at: Date | null };
  let clocks: Clock[] = stored.map((c) => ({ ...c }));
  let state: TicketSlaState | null = null;
  let rows: ClockRow[] = [];
  let fired = 0;
  for (let i = 0; i < MAX_ACTIONS_PER_TICKET; i++) {
    const dueNow = (c: Clock): DueClock | null => (c.next_action_key !== null && c.next_action_at !== null && c.next_action_at.getTime() <= now.getTime()
      ? { metric: c.metric, policy_id: c.policy_id, next_action_key: c.next_action_key, next_action_at: c.next_action_at, due_at: c.due_at } : null);
    const [clock, due] = clocks.map((c) => [c, dueNow(c)] as const).filter((p): p is readonly [Clock, DueClock] => p[1] !== null)
      .sort(([, a], [, b]) => a.next_action_at.getTime() - b.next_action_at.getTime() || a.metric.localeCompare(b.metric))[0] ?? [];
    if (!clock || !due) break;
    clock.fired = [...clock.fired, due.next_action_key];
    clock.next_action_key = null;
    clock.next_action_at = null;
    const before = batch.events.length;
    notifications.push(...(await fireSlaAction(tx, ticket, due, now, batch)));
    fired += 1;
    for (const e of batch.events.slice(before)) if (SLA_EVENT_KINDS.has(e.kind)) events.push({ kind: e.kind, after: e.after, at: e.at });
    // Recomputing schedules what comes next and cancels what no longer applies (e.g. solved).
    state = await computeSlaFor(tx, subjectOf(ticket), () => events, now, batch.config);
    rows = planClocks(clocks, state, batch.config, pendingSince(ticket, events), now);
    clocks = rows.map((r) => ({
      metric: r.metric, policy_id: state?.policy_id ?? null, cycle_started_at: r.cycle_started_at ? new Date(r.cycle_started_at) : null, fired: r.fired,
      next_action_key: r.next_action_key, next_action_at: r.next_action_at ? new Date(r.next_action_at) : null, due_at: r.due_at ? new Date(r.due_at) : null,
    }));
  }
  if (fired === 0) return null;
  return { fired, state, write: { ticketId: ticket.id, policyId: state?.policy_id ?? null, rows, existing: stored } };
}

const subjectOf = (t: ClaimedTicket): PolicySubject => ({
  type: t.type, priority: t.priority, tier: t.tier, organization_id: t.organization_id, channel: t.channel, group_id: t.group_id, tags: t.tags, urgency: t.urgency,
});

/** When the ticket's current wait on the customer began (its last move to pending); null unless it is pending now. */
function pendingSince(ticket: TicketRow, events: readonly StoredTicketEvent[]): Date | null {
  if (ticket.status !== 'pending') return null;
  const last = events.filter((e) => e.kind === 'status_changed' && (e.after as { status?: unknown } | null)?.status === 'pending').at(-1);
  return last ? new Date(last.at) : null;
}

/** Takes every action due now (tests, and each wake-up of the monitor loop); returns how many. */
export async function runDueSlaActions(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const { claimed, fired } = await fireDueBatch(ctx);
    if (claimed.length === 0) return total;
    total += fired;
  }
}

/** The earliest scheduled action (of tickets not in `skip`), so a monitor can sleep until then. */
export async function nextSlaActionAt(ctx: AppContext, skip: readonly string[] = []): Promise<Date | null> {
  const [row] = skip.length
    ? await ctx.db.query<{ at: Date | null }>('SELECT min(next_action_at) AS at FROM sla_clocks WHERE next_action_at IS NOT NULL AND NOT (ticket_id = ANY($1::uuid[]))', [skip])
    : await ctx.db.query<{ at: Date | null }>('SELECT min(next_action_at) AS at FROM sla_clocks WHERE next_action_at IS NOT NULL');
  return row?.at ?? null;
}
