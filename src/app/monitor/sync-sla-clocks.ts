import { compileCalendar } from '../../core/calendar/index.ts';
import { nextMetricAction, nextPendingAction, type PlannedAction } from '../../core/monitor/next-action.ts';
import type { Queryable } from '../../store/db.ts';
import type { TicketSlaState } from '../sla/ticket-sla-state.ts';
import { loadSlaConfig, type SlaConfig } from '../sla/sla-config.ts';

/** NOTIFY channel (PostgreSQL; PGlite delivers it in-process) that wakes sleeping monitors. */
export const MONITOR_CHANNEL = 'replyby_sla_monitor';
/**
 * A monitor never sleeps longer than this (its periodic sweep), so only actions nearer than this need
 * a wake-up; writing a NOTIFY for every far-away due would cost every ticket change a round trip.
 */
export const MONITOR_MAX_SLEEP_MS = 30_000;
export const PENDING_CLOCK = '_pending';

const ALWAYS_OPEN = compileCalendar(null);
const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** A clock as stored: what a recomputation needs to keep (the fired keys of the same cycle) and compare. */
export type ExistingClock = { metric: string; cycle_started_at: Date | null; fired: string[]; next_action_at: Date | null };
export type ClockRow = {
  metric: string; status: string; cycle_started_at: string | null; due_at: string | null; breached_at: string | null;
  fired: string[]; next_action_key: string | null; next_action_at: string | null;
};
/** One ticket's new schedule: `rows` replace its clocks, `existing` (as read) tells what is cancelled and what is new. */
export type ClockWrite = { ticketId: string; policyId: string | null; rows: readonly ClockRow[]; existing: readonly ExistingClock[] };

/**
 * Persists each clock of the ticket with the time and key of its next action, inside the caller's
 * transaction (the one that moved the clock), so the schedule can never disagree with the ticket.
 * Fired keys are kept while the cycle is the same one; a new cycle (reopen, repeat) starts afresh.
 */
export async function syncSlaClocks(q: Queryable, ticketId: string, state: TicketSlaState | null, now: Date): Promise<void> {
  const existing = await q.query<ExistingClock>('SELECT metric, cycle_started_at, fired, next_action_at FROM sla_clocks WHERE ticket_id = $1', [ticketId]);
  const config = state ? await loadSlaConfig(q) : null;
  const rule = state ? config?.policies.find((p) => p.id === state.policy_id)?.pending_reminders : null;
  const since = rule ? await pendingSince(q, ticketId) : null;
  await writeClocks(q, [{ ticketId, policyId: state?.policy_id ?? null, rows: planClocks(existing, state, config, since, now), existing }], now);
}

/**
 * The clock rows a ticket's SLA state calls for, each with its next action (no I/O: the monitor plans
 * many tickets of a batch in memory). `pendingSince`: when the ticket's current wait on the customer began.
 */
export function planClocks(existing: readonly ExistingClock[], state: TicketSlaState | null, config: SlaConfig | null, pendingSince: Date | null, now: Date): ClockRow[] {
  if (!state || !config) return [];
  const before = new Map(existing.map((e) => [e.metric, e]));
  const firedFor = (metric: string, cycleStart: string | null): string[] => {
    const prev = before.get(metric);
    if (!prev) return [];
    return (prev.cycle_started_at?.getTime() ?? null) === ms(cycleStart) ? prev.fired : [];
  };
  const rows: ClockRow[] = [];
  const policy = config.policies.find((p) => p.id === state.policy_id);
  const escalations = policy?.escalations ?? [];
  for (const [metric, m] of Object.entries(state.result.metrics)) {
    const w = state.warnings[metric];
    const fired = firedFor(metric, m.started_at);
    const next = nextMetricAction({
      status: m.status, due_at: ms(m.due_at), breached: m.breached, breached_at: ms(m.breached_at),
      next_warning_at: ms(w?.next_warning_at), next_warning_point: w?.next_point ?? null, passed_warning_point: w?.passed_point ?? null,
    }, escalations, fired);
    rows.push(row(metric, m.status, m.started_at, m.due_at, m.breached_at, fired, next, now));
  }
  const rule = policy?.pending_reminders;
  if (rule && pendingSince) {
    const calendar = (policy.calendar_id ? config.calendars.get(policy.calendar_id)?.compiled : undefined) ?? ALWAYS_OPEN;
    const fired = firedFor(PENDING_CLOCK, pendingSince.toISOString());
    const next = nextPendingAction(pendingSince.getTime(), rule, fired, (t, d) => calendar.addBusinessMs(t, d));
    rows.push(row(PENDING_CLOCK, 'running', pendingSince.toISOString(), null, null, fired, next, now));
  }
  return rows;
}

/**
 * Writes the schedules of one or more tickets in a fixed number of statements: one upsert of every
 * row, one delete of the cancelled clocks (a clock the ticket no longer has: policy removed, no longer
 * pending), and one NOTIFY for the nearest newly scheduled action within a monitor's sleep.
 */
export async function writeClocks(q: Queryable, writes: readonly ClockWrite[], now: Date): Promise<void> {
  const rows = writes.flatMap((w) => w.rows.map((r) => ({ ...r, ticket_id: w.ticketId, policy_id: w.policyId })));
  if (rows.length) {
    await q.query(
      `INSERT INTO sla_clocks (ticket_id, metric, policy_id, status, cycle_started_at, due_at, breached_at, fired, next_action_key, next_action_at, updated_at)
       SELECT r.ticket_id, r.metric, r.policy_id, r.status, r.cycle_started_at, r.due_at, r.breached_at, r.fired, r.next_action_key, r.next_action_at, $1
       FROM jsonb_to_recordset($2::jsonb) AS r(ticket_id uuid, metric text, policy_id uuid, status text, cycle_started_at timestamptz, due_at timestamptz,
                                               breached_at timestamptz, fired jsonb, next_action_key text, next_action_at timestamptz)
       ORDER BY r.ticket_id, r.metric
       ON CONFLICT (ticket_id, metric) DO UPDATE SET policy_id = EXCLUDED.policy_id, status = EXCLUDED.status, cycle_started_at = EXCLUDED.cycle_started_at,
         due_at = EXCLUDED.due_at, breached_at = EXCLUDED.breached_at, fired = EXCLUDED.fired, next_action_key = EXCLUDED.next_action_key,
         next_action_at = EXCLUDED.next_action_at, updated_at = EXCLUDED.updated_at`,
      [now, JSON.stringify(rows)]);
  }
  const gone = writes.flatMap((w) => {
    const kept = new Set(w.rows.map((r) => r.metric));
    return w.existing.filter((e) => !kept.has(e.metric)).map((e) => ({ ticket_id: w.ticketId, metric: e.metric }));
  });
  if (gone.length) {
    await q.query(
      `DELETE FROM sla_clocks c USING jsonb_to_recordset($1::jsonb) AS g(ticket_id uuid, metric text) WHERE c.ticket_id = g.ticket_id AND c.metric = g.metric`,
      [JSON.stringify(gone)]);
  }
  const soonest = writes.flatMap((w) => w.rows.map((r) => ms(r.next_action_at))
    .filter((t): t is number => t !== null && t < now.getTime() + MONITOR_MAX_SLEEP_MS)
    .filter((t) => !w.existing.some((e) => e.next_action_at?.getTime() === t)));
  if (soonest.length) await q.query("SELECT pg_notify($1 || '_' || current_schema(), $2)", [MONITOR_CHANNEL, new Date(Math.min(...soonest)).toISOString()]);
}

function row(metric: string, status: string, cycleStart: string | null, due: string | null, breachedAt: string | null, fired: string[], next: PlannedAction | null, now: Date): ClockRow {
  // A threshold passed before anyone saw it is due now.
  const at = next === null ? null : Number.isFinite(next.at) ? next.at : now.getTime();
  return { metric, status, cycle_started_at: cycleStart, due_at: due, breached_at: breachedAt, fired, next_action_key: next?.key ?? null, next_action_at: iso(at) };
}

/** When the ticket's current wait on the customer began; null unless it is pending now. */
async function pendingSince(q: Queryable, ticketId: string): Promise<Date | null> {
  const [row] = await q.query<{ at: Date | null }>(
    `SELECT (SELECT e.created_at FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'status_changed' AND e.after->>'status' = 'pending'
             ORDER BY e.seq DESC LIMIT 1) AS at
     FROM tickets t WHERE t.id = $1 AND t.status = 'pending'`, [ticketId]);
  return row?.at ?? null;
}
