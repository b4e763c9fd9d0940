import { z } from 'zod';
import type { Principal, StaffPrincipal } from '../../core/auth/principal.ts';
import { renderWeeklyReport, weeklyWindow } from '../../core/reports/weekly-report.ts';
import type { Role } from '../../core/tickets/ticket-model.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { csatReport } from './csat-follow-up.ts';
import { kpiSummary } from './kpi-summary.ts';

// The weekly report by e-mail (docs/kpis.md "Weekly report"): supervisors and admins opt in; the worker's minute
// sweep sends each of them last week's KPIs once Monday 08:00 has passed in their zone, in their language, through
// the outbox (a `mail.staff` job), exactly once per supervisor per week: the send's row (user, Monday) and the job
// are written in one transaction, and the row's primary key refuses a second.

export const weeklyReportOptInInput = z.strictObject({ enabled: z.boolean({ error: 'must be true or false' }) });

export async function weeklyReportStatus(ctx: AppContext, actor: Principal): Promise<{ enabled: boolean }> {
  const me = requireStaff(actor, MANAGERS);
  const [row] = await ctx.db.query('SELECT 1 FROM weekly_report_subscriptions WHERE user_id = $1', [me.id]);
  return { enabled: Boolean(row) };
}

export async function weeklyReportOptIn(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ enabled: boolean }> {
  const me = requireStaff(actor, MANAGERS);
  const { enabled } = parseInput(weeklyReportOptInInput, raw);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const changed = enabled
      ? await tx.query('INSERT INTO weekly_report_subscriptions (user_id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [me.id, now])
      : await tx.query('DELETE FROM weekly_report_subscriptions WHERE user_id = $1 RETURNING 1', [me.id]);
    if (changed.length) {
      await recordAudit(tx, actor, { action: 'update', target: 'settings', targetId: `weekly_report:${me.id}`, before: { enabled: !enabled }, after: { enabled } }, now);
    }
    return { enabled };
  });
}

type Subscriber = { id: string; email: string; name: string; role: Role; language: string; time_zone: string; subscribed_at: Date };

/**
 * The sweep's step: for each active subscriber whose Monday 08:00 has passed (and who had opted in by then), last
 * week's report, unless this week's was sent. Returns how many were queued.
 */
export async function sendWeeklyReports(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const subscribers = await ctx.db.query<Subscriber>(
    `SELECT u.id, u.email, u.name, u.role, u.language, u.time_zone, s.created_at AS subscribed_at
     FROM weekly_report_subscriptions s JOIN users u ON u.id = s.user_id WHERE u.active AND u.role IN ('supervisor', 'admin') ORDER BY u.id`);
  let sent = 0;
  for (const s of subscribers) {
    const w = weeklyWindow(now, s.time_zone);
    if (s.subscribed_at > w.sendAt) continue;
    const [done] = await ctx.db.query('SELECT 1 FROM weekly_report_sends WHERE user_id = $1 AND week_start = $2', [s.id, w.weekStart]);
    if (done) continue;
    const actor: StaffPrincipal = { kind: 'user', id: s.id, email: s.email, name: s.name, role: s.role, language: s.language, time_zone: s.time_zone, groupIds: [] };
    const period = { from: w.from.toISOString(), to: w.to.toISOString() };
    const [k, c] = await Promise.all([kpiSummary(ctx, actor, period), csatReport(ctx, actor, period)]);
    const met = k.sla.reduce((sum, m) => sum + m.met, 0);
    const breached = k.sla.reduce((sum, m) => sum + m.breached, 0);
    const mail = renderWeeklyReport(s.language, s.time_zone, w, {
      volume: k.volume, solved: k.resolution.n, firstResponseP50: k.first_response.p50_minutes, averageResponseMean: k.average_response.mean_minutes,
      resolutionP50: k.resolution.p50_minutes, compliancePct: met + breached ? (met / (met + breached)) * 100 : null,
      csatResponses: c.responses, satisfiedPct: c.satisfied_pct, lowScores: c.low_scores, followUpRatePct: c.follow_up_rate_pct,
    }, `${ctx.settings.publicUrl}/reports?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`);
    sent += await ctx.db.transaction(async (tx) => {
      const claimed = await tx.query('INSERT INTO weekly_report_sends (user_id, week_start, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1', [s.id, w.weekStart, now]);
      if (!claimed.length) return 0;
      await enqueue(tx, 'mail.staff', { to: s.email, subject: mail.subject, text: mail.text, weekly_report: w.weekStart }, now);
      return 1;
    });
  }
  return sent;
}
