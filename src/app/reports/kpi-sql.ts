import { UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';

// SQL pieces and result shapes shared by the KPI summary, the breakdowns, the trend and the drill-down, so a number
// means the same in each (docs/kpis.md).

export type Durations = { n: number; mean_minutes: number | null; p50_minutes: number | null; p90_minutes: number | null };

export const pct = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : null);

export const minutes = (a: string, b: string) => `extract(epoch FROM (${b} - ${a})) / 60`;

/** n, mean, p50 and p90 of `expr` as `<prefix>_n`, `_mean`, `_p50`, `_p90` (percentile_cont: linear interpolation). */
export const stats = (expr: string, prefix: string) => `
  count(${expr})::int AS ${prefix}_n, avg(${expr})::float8 AS ${prefix}_mean,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr})::float8 AS ${prefix}_p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expr})::float8 AS ${prefix}_p90`;

/** Averages of nothing are null, not 0. */
export const durations = (n: number, mean: number | null, p50: number | null, p90: number | null): Durations =>
  ({ n, mean_minutes: n ? mean : null, p50_minutes: n ? p50 : null, p90_minutes: n ? p90 : null });

/**
 * The status ticket `t` had at instant `at`, read from its log: the last status change before `at`, else what the
 * first change after it changed from, else the ticket's status (it never changed). A reopened ticket is back in the
 * backlog between its reopening and its next solve, which `solved_at` (the last solve) cannot tell.
 */
export const statusAt = (t: string, at: string) => `COALESCE(
  (SELECT ev.after->>'status' FROM ticket_events ev WHERE ev.ticket_id = ${t}.id AND ev.kind = 'status_changed' AND ev.created_at < ${at} ORDER BY ev.seq DESC LIMIT 1),
  (SELECT ev.before->>'status' FROM ticket_events ev WHERE ev.ticket_id = ${t}.id AND ev.kind = 'status_changed' AND ev.created_at >= ${at} ORDER BY ev.seq LIMIT 1),
  ${t}.status)`;

/** Ticket `t` is in the backlog at `at`: created before it and unsolved then. */
export const inBacklogAt = (t: string, at: string) =>
  `${t}.created_at < ${at} AND ${statusAt(t, at)} IN (${UNSOLVED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
