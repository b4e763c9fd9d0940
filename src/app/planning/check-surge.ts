import { surgeStep, backlogLoad, DEFAULT_SURGE_THRESHOLDS, type ArrivalWindow, type SurgeSignals, type SurgeThresholds } from '../../core/planning/surge.ts';
import type { Forecast } from '../../core/planning/index.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { groupStats, teamStats } from '../promise/queue-load.ts';
import { forecastFrom } from './forecast-arrivals.ts';
import { finishSurge, readActiveSurge, startSurge, surgeChanged } from './surge-state.ts';
import { enabledGroupThresholds } from './surge-thresholds.ts';

/** Half-hour windows: short enough to catch a spike within the hour, long enough for the band to mean something. */
export const SURGE_INTERVAL_MINUTES = 30;
const HISTORY_WEEKS = 12;
/** The backlog is read in due order; past this many the ratio's prefix already tells (and the read stays small). */
const BACKLOG_LIMIT = 5_000;

// The forecast of the last complete window and the current one, fitted on the history before them; it changes
// once per window, so each process keeps the latest (like the handling-time median).
const forecasts = new WeakMap<object, Map<string, { key: number; forecast: Promise<Forecast | null> }>>();
/** The backtest's four held-out weeks and one to fit on: a band from less history is not a band. */
const MIN_HISTORY_WEEKS = 5;
const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * The forecast of the two windows from `lastStart` for the team (`groupId` null) or one group, or null while its
 * history is shorter than MIN_HISTORY_WEEKS.
 */
function forecastAt(q: Queryable, lastStart: number, groupId: string | null): Promise<Forecast | null> {
  let scoped = forecasts.get(q.cacheScope);
  if (!scoped) forecasts.set(q.cacheScope, (scoped = new Map()));
  const scope = groupId ?? '';
  const cached = scoped.get(scope);
  if (cached && cached.key === lastStart) return cached.forecast;
  const forecast = forecastFrom(q, {
    endMs: lastStart, intervalMinutes: SURGE_INTERVAL_MINUTES, historyWeeks: HISTORY_WEEKS, horizonIntervals: 2, groupId, channel: null, zone: 'UTC',
  }).then((r) => (r.firstArrivalMs !== null && r.firstArrivalMs <= lastStart - MIN_HISTORY_WEEKS * WEEK_MS && r.forecast.backtestErrorPct !== null ? r.forecast : null));
  scoped.set(scope, { key: lastStart, forecast });
  const mine = scoped;
  forecast.catch(() => { if (mine.get(scope)?.forecast === forecast) mine.delete(scope); });
  return forecast;
}

/**
 * The signals at `now` for the team (`groupId` null) or one group: arrivals in the last complete half hour and in
 * the current one so far against the forecast of those windows (none until the history is long enough to
 * backtest — without a measured band every busy hour would look like a surge), and the unanswered backlog's load
 * on the team (or the group's agents).
 */
export async function measureSurgeSignals(q: Queryable, now: Date, groupId: string | null = null): Promise<SurgeSignals> {
  const intervalMs = SURGE_INTERVAL_MINUTES * 60_000;
  const currentStart = Math.floor(now.getTime() / intervalMs) * intervalMs;
  const lastStart = currentStart - intervalMs;
  const forecast = await forecastAt(q, lastStart, groupId);
  let arrivals: ArrivalWindow[] = [];
  if (forecast !== null) {
    const [row] = await q.query<{ last: number; current: number }>(
      `SELECT count(*) FILTER (WHERE created_at < $2)::int AS last, count(*) FILTER (WHERE created_at >= $2)::int AS current
         FROM tickets WHERE created_at >= $1 AND created_at <= $3 AND merged_into_id IS NULL AND ($4::uuid IS NULL OR group_id = $4)`,
      [new Date(lastStart), new Date(currentStart), now, groupId]);
    const band = (i: number) => forecast.intervals[i] ?? { expected: 0, high: 0 };
    arrivals = [
      { start: lastStart, end: currentStart, arrived: row?.last ?? 0, expected: band(0).expected, high: band(0).high },
      { start: currentStart, end: now.getTime(), arrived: row?.current ?? 0, expected: band(1).expected, high: band(1).high },
    ];
  }
  const stats = groupId === null ? await teamStats(q, now) : await groupStats(q, groupId, now);
  // Against the published commitments (the SLA's due), not the promises: a promise may already have been
  // made later and honest by the live prediction, and the surge is exactly when the commitments cannot be kept.
  const dues = stats.handle === null ? [] : await q.query<{ due: Date }>(
    `SELECT sla_next_due_at AS due FROM tickets
      WHERE status IN ('new', 'open') AND first_responded_at IS NULL AND merged_into_id IS NULL AND sla_next_due_at IS NOT NULL
        AND ($1::uuid IS NULL OR group_id = $1)
      ORDER BY 1 LIMIT ${BACKLOG_LIMIT}`, [groupId]);
  return { arrivals, backlog: backlogLoad(now.getTime(), dues.map((d) => new Date(d.due).getTime()), stats.handle, stats.agents) };
}

const signalsJson = (s: SurgeSignals) => ({
  arrivals: s.arrivals.map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), arrived: w.arrived, expected: w.expected, high: w.high })),
  backlog: s.backlog,
});

type CheckResult = { started: string | null; ended: string | null };

/** One scope's step: measure, decide with its thresholds, write (the active surge locked; a start only one transaction wins). */
async function checkScope(ctx: AppContext, groupId: string | null, t: SurgeThresholds, mayStart: boolean): Promise<CheckResult> {
  const now = ctx.now();
  const signals = await measureSurgeSignals(ctx.db, now, groupId);
  return ctx.db.transaction(async (tx) => {
    const active = await readActiveSurge(tx, true, groupId);
    if (!active && !mayStart) return { started: null, ended: null };
    const step = surgeStep(active && { cause: active.cause, startedAt: active.started_at.getTime(), calmSince: active.calm_since?.getTime() ?? null }, signals, now.getTime(), t);
    if (step.action === 'start') {
      const row = await startSurge(tx, { groupId, cause: step.cause, message: null, declaredBy: null, signals: signalsJson(signals) }, now);
      return { started: row?.id ?? null, ended: null };
    }
    if (active && step.action === 'end') return { started: null, ended: (await finishSurge(tx, active.id, { reason: 'calm', endedBy: null }, now)).id };
    if (active && step.action === 'calm') {
      await tx.query('UPDATE surges SET calm_since = $2 WHERE id = $1', [active.id, step.calmSince === null ? null : new Date(step.calmSince)]);
    }
    return { started: null, ended: null };
  });
}

/**
 * The worker's check (run by jobs/lifecycle-sweep every minute): for the whole team with the default thresholds,
 * then for every group an admin set thresholds for (surge-thresholds.ts) with its own — measure, decide
 * (core/planning/surge.ts), write. A group whose thresholds were removed or disabled while its automatic surge
 * lasts is still checked, with the defaults, until that surge ends; it starts no new one. Any number of workers
 * may run it: each scope's active surge is locked, and a start is an insert that only one transaction wins
 * (migration 0156: one active surge per scope), which is also the one that alerts.
 */
export async function checkSurge(ctx: AppContext): Promise<CheckResult & { groups: ({ group_id: string } & CheckResult)[] }> {
  const team = await checkScope(ctx, null, DEFAULT_SURGE_THRESHOLDS, true);
  const enabled = await enabledGroupThresholds(ctx.db);
  const lingering = await ctx.db.query<{ group_id: string }>(
    "SELECT group_id FROM surges WHERE ended_at IS NULL AND group_id IS NOT NULL AND cause <> 'manual' ORDER BY group_id");
  const scopes = [
    ...enabled.map((g) => ({ groupId: g.groupId, thresholds: g.thresholds, mayStart: true })),
    ...lingering.filter((l) => !enabled.some((g) => g.groupId === l.group_id)).map((l) => ({ groupId: l.group_id, thresholds: DEFAULT_SURGE_THRESHOLDS, mayStart: false })),
  ];
  const groups: ({ group_id: string } & CheckResult)[] = [];
  for (const s of scopes) groups.push({ group_id: s.groupId, ...(await checkScope(ctx, s.groupId, s.thresholds, s.mayStart)) });
  if (team.started || team.ended || groups.some((g) => g.started || g.ended)) surgeChanged(ctx);
  return { ...team, groups };
}
