import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { notify } from '../notifications/notify.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { filterParams, kpiFilter, periodOf, ticketFilter } from './kpi-filter.ts';
import { pct } from './kpi-sql.ts';

// CSAT low-score follow-up (docs/kpis.md "CSAT"): a rating of 1 or 2 (of 5) opens a follow-up in the rating's own
// transaction, and the group's supervisors are notified once (in-app, and by mail through the outbox); a supervisor
// notes what was done and marks it done. The CSAT report counts ratings, the satisfied share and the follow-up rate.

/** Ratings at or below this (of 5) are low scores. */
export const LOW_SCORE = 2;

/**
 * Called by confirmed closure with each rating it stores. Once per rating (the follow-up's primary key is the answer):
 * the supervisors who are members of the ticket's group, or every active supervisor when the group has none.
 */
export async function followUpLowRating(tx: Queryable, a: { answerId: string; ticketId: string; rating: number | null }, now: Date): Promise<void> {
  if (a.rating === null || a.rating > LOW_SCORE) return;
  const [row] = await tx.query<{ number: number; subject: string; group_id: string | null }>(
    `WITH f AS (INSERT INTO csat_follow_ups (answer_id, ticket_id, rating, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (answer_id) DO NOTHING RETURNING ticket_id)
     SELECT t.number, t.subject, t.group_id FROM f JOIN tickets t ON t.id = f.ticket_id`, [a.answerId, a.ticketId, a.rating, now]);
  if (!row) return;
  const members = await tx.query<{ id: string }>(
    `SELECT u.id FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = $1 AND u.role = 'supervisor' AND u.active ORDER BY u.id`, [row.group_id]);
  const recipients = members.length ? members : await tx.query<{ id: string }>("SELECT id FROM users WHERE role = 'supervisor' AND active ORDER BY id");
  await notify(tx, {
    event: 'csat.low_score', ticketId: a.ticketId, urgent: false, recipients: recipients.map((r) => r.id),
    title: `Low satisfaction score (${a.rating} of 5) on #${row.number}`,
    body: `The customer rated "${row.subject}" ${a.rating} of 5. Note the follow-up under Reports → Low scores.`,
    data: { answer_id: a.answerId, rating: a.rating, number: row.number },
  }, now);
}

export const lowScoresQuery = z.strictObject({
  ...kpiFilter,
  state: z.enum(['open', 'done', 'all'], { error: 'must be open, done or all' }).default('all'),
  format: z.enum(['json', 'csv']).default('json'),
});

export type LowScore = {
  id: string; number: number; subject: string; group_name: string | null; rating: number; comment: string | null; rated_at: string;
  note: string; noted_by: string | null; noted_at: string | null; done_at: string | null;
};

type LowScoreRow = Omit<LowScore, 'rated_at' | 'noted_at' | 'done_at'> & { rated_at: Date; noted_at: Date | null; done_at: Date | null };
const LOW_SCORE_SELECT = `
  SELECT f.answer_id::text AS id, t.number, t.subject, g.name AS group_name, f.rating, a.comment, f.created_at AS rated_at,
         f.note, u.name AS noted_by, f.noted_at, f.done_at
  FROM csat_follow_ups f JOIN closure_answers a ON a.id = f.answer_id JOIN tickets t ON t.id = f.ticket_id
  LEFT JOIN groups g ON g.id = t.group_id LEFT JOIN users u ON u.id = f.noted_by`;
const toLowScore = (r: LowScoreRow): LowScore => ({ ...r, rated_at: r.rated_at.toISOString(), noted_at: r.noted_at?.toISOString() ?? null, done_at: r.done_at?.toISOString() ?? null });

/** The low scores rated in the period on the filtered tickets, newest first (at most 1,000), with their follow-up state. */
export async function listLowScores(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: LowScore[] } | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const { state, format, ...filter } = parseInput(lowScoresQuery, raw);
  const { from, to } = periodOf(filter, ctx.now());
  const rows = await ctx.db.query<LowScoreRow>(
    `${LOW_SCORE_SELECT}
     WHERE f.created_at >= $1 AND f.created_at < $2 AND ${ticketFilter('t')}
       AND ($11 = 'all' OR ($11 = 'open' AND f.done_at IS NULL) OR ($11 = 'done' AND f.done_at IS NOT NULL))
     ORDER BY f.created_at DESC, f.answer_id DESC LIMIT 1000`, [from, to, ...filterParams(filter), state]);
  const data = rows.map(toLowScore);
  if (format === 'csv') {
    const prefix = ctx.settings.ticketPrefix;
    return { csv: toCsv(['ticket', 'subject', 'group', 'rating', 'comment', 'rated_at', 'note', 'noted_by', 'done_at'],
      data.map((r) => [`${prefix}${r.number}`, r.subject, r.group_name, r.rating, r.comment, r.rated_at, r.note, r.noted_by, r.done_at])) };
  }
  return { data };
}

export const followUpInput = z.strictObject({
  note: z.string().trim().min(1, 'must not be empty').max(4000).optional(),
  done: z.boolean().optional(),
}).refine((v) => v.note !== undefined || v.done !== undefined, { message: 'give a note or done', path: ['note'] });

/** A supervisor records what was done about a low score and/or marks it done (done: false reopens it). */
export async function recordFollowUp(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<LowScore> {
  const me = requireStaff(actor, MANAGERS);
  const input = parseInput(followUpInput, raw);
  if (!/^[0-9]{1,18}$/.test(id)) throw notFound('low score');
  const now = ctx.now();
  const [row] = await ctx.db.query<{ id: string }>(
    `UPDATE csat_follow_ups SET note = COALESCE($2, note), noted_by = CASE WHEN $2::text IS NULL THEN noted_by ELSE $3::uuid END,
            noted_at = CASE WHEN $2::text IS NULL THEN noted_at ELSE $4 END,
            done_at = CASE WHEN $5::boolean IS NULL THEN done_at WHEN $5 THEN COALESCE(done_at, $4) ELSE NULL END
     WHERE answer_id = $1 RETURNING answer_id::text AS id`, [id, input.note ?? null, me.id, now, input.done ?? null]);
  if (!row) throw notFound('low score');
  const [found] = await ctx.db.query<LowScoreRow>(`${LOW_SCORE_SELECT} WHERE f.answer_id = $1`, [id]);
  if (!found) throw notFound('low score');
  return toLowScore(found);
}

export type CsatReport = {
  from: string; to: string; responses: number; average: number | null; satisfied: number; satisfied_pct: number | null;
  low_scores: number; followed_up: number; follow_up_rate_pct: number | null;
};

/**
 * CSAT of the period: ratings given in it on the filtered tickets (the KPI summary's `csat`), the satisfied share (4
 * and 5), the low scores and the share of them marked done (the follow-up rate).
 */
export async function csatReport(ctx: AppContext, actor: Principal, raw: unknown): Promise<CsatReport> {
  requireStaff(actor, MANAGERS);
  const filter = parseInput(z.strictObject(kpiFilter), raw);
  const { from, to } = periodOf(filter, ctx.now());
  const [r] = await ctx.db.query<{ n: number; avg: number | null; good: number; low: number; done: number }>(
    `SELECT count(a.rating)::int AS n, avg(a.rating)::float8 AS avg, count(*) FILTER (WHERE a.rating >= 4)::int AS good,
            count(f.answer_id)::int AS low, count(f.done_at)::int AS done
     FROM closure_answers a JOIN tickets t ON t.id = a.ticket_id LEFT JOIN csat_follow_ups f ON f.answer_id = a.id
     WHERE a.rating IS NOT NULL AND a.created_at >= $1 AND a.created_at < $2 AND ${ticketFilter('t')}`, [from, to, ...filterParams(filter)]);
  if (!r) throw new Error('the CSAT query returned no row');
  return {
    from: from.toISOString(), to: to.toISOString(), responses: r.n, average: r.n ? r.avg : null, satisfied: r.good, satisfied_pct: pct(r.good, r.n),
    low_scores: r.low, followed_up: r.done, follow_up_rate_pct: pct(r.done, r.low),
  };
}
