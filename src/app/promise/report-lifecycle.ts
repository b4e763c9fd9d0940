import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { promiseReportInput } from './report-promises.ts';

const window = (ctx: AppContext, raw: unknown): { from: Date; to: Date } => {
  const input = parseInput(promiseReportInput, raw);
  const to = input.to ? new Date(input.to) : ctx.now();
  return { from: input.from ? new Date(input.from) : new Date(to.getTime() - 30 * 86_400_000), to };
};

export type ClosureReport = {
  from: string; to: string;
  confirmed: number; reopened: number; closed_after_silence: number; archived: number;
  /** Ratings given (1–5), their mean, and CSAT: the share of 4s and 5s, one decimal; null when none. */
  rated: number; average_rating: number | null; csat_percent: number | null;
};

/** Confirmed closure and satisfaction in [from, to) (default: the last 30 days). */
export async function reportClosures(ctx: AppContext, actor: Principal, raw: unknown): Promise<ClosureReport> {
  requireStaff(actor);
  const { from, to } = window(ctx, raw);
  const [row] = await ctx.db.query<{ confirmed: number; reopened: number; rated: number; avg: number | null; happy: number; silent: number; archived: number }>(
    `SELECT
       (SELECT count(*)::int FROM closure_answers WHERE outcome = 'solved' AND created_at >= $1 AND created_at < $2) AS confirmed,
       (SELECT count(*)::int FROM closure_answers WHERE outcome = 'not_solved' AND created_at >= $1 AND created_at < $2) AS reopened,
       (SELECT count(*)::int FROM closure_answers WHERE rating IS NOT NULL AND created_at >= $1 AND created_at < $2) AS rated,
       (SELECT round(avg(rating)::numeric, 2)::float8 FROM closure_answers WHERE rating IS NOT NULL AND created_at >= $1 AND created_at < $2) AS avg,
       (SELECT count(*)::int FROM closure_answers WHERE rating >= 4 AND created_at >= $1 AND created_at < $2) AS happy,
       (SELECT count(*)::int FROM ticket_events WHERE kind = 'closed_after_silence' AND created_at >= $1 AND created_at < $2) AS silent,
       (SELECT count(*)::int FROM tickets WHERE archived_at >= $1 AND archived_at < $2) AS archived`, [from, to]);
  const rated = row?.rated ?? 0;
  return {
    from: from.toISOString(), to: to.toISOString(), confirmed: row?.confirmed ?? 0, reopened: row?.reopened ?? 0,
    closed_after_silence: row?.silent ?? 0, archived: row?.archived ?? 0, rated, average_rating: row?.avg ?? null,
    csat_percent: rated === 0 ? null : Math.round(((row?.happy ?? 0) / rated) * 1000) / 10,
  };
}

export type StageDeadlineRow = { metric: string; started: number; met: number; breached: number; running: number; met_percent: number | null; avg_minutes: number | null };

/**
 * The stage deadlines: every policy metric named `stage_*` (e.g. stage_triage), per metric, over
 * tickets created in [from, to): met (completed in time), breached (late, done or not), still running.
 * Read from each ticket's evaluated SLA state — the engine's own result, so the report agrees with
 * the ticket's SLA panel and the simulator; a running clock past its due counts as breached.
 */
export async function reportStageDeadlines(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ from: string; to: string; metrics: StageDeadlineRow[] }> {
  requireStaff(actor);
  const { from, to } = window(ctx, raw);
  const rows = await ctx.db.query<{ metric: string; started: number; met: number; breached: number; running: number; avg_minutes: number | null }>(
    `WITH m AS (
       SELECT e.key AS metric, e.value AS v FROM tickets t, jsonb_each(t.sla_state->'result'->'metrics') e
       WHERE t.created_at >= $1 AND t.created_at < $2 AND e.key LIKE 'stage\\_%' AND e.value->>'started_at' IS NOT NULL),
     f AS (
       SELECT metric, v->>'completed_at' IS NOT NULL AS done,
              (v->>'breached')::boolean OR (v->>'completed_at' IS NULL AND (v->>'due_at')::timestamptz < $3) AS late,
              (v->>'elapsed_business_minutes')::float8 AS elapsed FROM m)
     SELECT metric, count(*)::int AS started,
            count(*) FILTER (WHERE done AND NOT late)::int AS met,
            count(*) FILTER (WHERE late)::int AS breached,
            count(*) FILTER (WHERE NOT done AND NOT late)::int AS running,
            round(avg(elapsed) FILTER (WHERE done)::numeric, 1)::float8 AS avg_minutes
     FROM f GROUP BY metric ORDER BY metric`, [from, to, ctx.now()]);
  return {
    from: from.toISOString(), to: to.toISOString(),
    metrics: rows.map((r) => ({ ...r, met_percent: r.met + r.breached === 0 ? null : Math.round((r.met / (r.met + r.breached)) * 1000) / 10 })),
  };
}
