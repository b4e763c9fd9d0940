import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from '../../core/calendar/index.ts';
import { policyMetricDefinitions } from '../../core/policies/ticket-sla-input.ts';
import type { PolicySubject } from '../../core/policies/policy-model.ts';
import { selectPolicy } from '../../core/policies/select-policy.ts';
import { metricCalendar } from '../../core/sla/index.ts';
import { modelForChannel, planChannel, rosteredIntervals, type ChannelPlanRow, type PlanModel } from '../../core/planning/index.ts';
import { toCsv } from '../../core/reports/csv.ts';
import { CHANNELS } from '../../core/tickets/ticket-model.ts';

type Channel = (typeof CHANNELS)[number];
import type { AppContext } from '../context.ts';
import { timeZoneSchema } from '../people/locale-schemas.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { groupStats } from '../promise/queue-load.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadSlaConfig, type SlaConfig } from '../sla/sla-config.ts';
import { forecastPerChannel } from './forecast-arrivals.ts';
import { rostersOf } from './on-duty.ts';

export const planQuery = z.strictObject({
  group: z.string().uuid('must be a UUID'),
  /** One channel's rows only: its arrivals, what it requires and its share of the rostered staff. */
  channel: z.enum(CHANNELS).optional(),
  week_start: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'must be a date like 2026-12-14').refine((d) => DateTime.fromISO(d).isValid, 'is not a calendar date').optional(),
  interval: z.coerce.number().pipe(z.union([z.literal(30), z.literal(60)], { error: 'must be 30 or 60' })).default(60),
  zone: timeZoneSchema.default('UTC'),
  history_weeks: z.coerce.number().int().min(5).max(104).default(12),
  shrinkage: z.coerce.number().min(0).max(0.9).default(0),
  /** Erlang channels: the promise's answer time and the share answered within it. */
  answer_seconds: z.coerce.number().min(0).max(86_400).default(20),
  target_sl: z.coerce.number().gt(0).lt(1).default(0.8),
  /**
   * Workload channels: wall-clock minutes from arrival to the promise's deadline. Left out (the default), each
   * channel's deadline is the first-response target of the SLA policy its tickets fall under, in that policy's
   * business time (its calendar's open hours and holidays); 1440 wall-clock minutes when no policy sets one.
   */
  deadline_minutes: z.coerce.number().int().min(1).max(60 * 24 * 14).optional(),
  /**
   * The calendar whose holidays the forecast keeps apart and forecasts with their own level (spec §2). Left out,
   * the calendar of the SLA policy over the group's busiest channel, if it has one.
   */
  calendar_id: z.string().uuid('must be a UUID').optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

const DEFAULT_AHT_SECONDS = 600;
const DEFAULT_DEADLINE_MINUTES = 1440;
const WEEK_MS = 7 * 86_400_000;

/** Where a workload channel's deadline came from (null for Erlang channels: they use `answer_seconds`). */
export type PlanDeadline = { source: 'policy' | 'parameter' | 'default'; minutes: number; clock: 'business' | 'calendar'; policy_id: string | null; calendar_id: string | null };
export type PlanChannel = { channel: string; model: PlanModel; forecast_model: string; backtest_error_pct: number | null; deadline: PlanDeadline | null };
export type PlanRow = { start: string; arrivals: number; required: number; rostered: number; gap: number; kept: number | null };
export type Plan = {
  group_id: string; zone: string; interval_minutes: number; from: string; to: string;
  handling: { seconds: number; source: 'booked' | 'observed' | 'assignment' | 'default' };
  channels: PlanChannel[];
  /** The calendar whose holidays the forecast used (null: none). */
  holidays_calendar_id: string | null;
  rostered_agents: number; unrostered_agents: number; intervals: PlanRow[];
};

/**
 * Handling time per ticket of the group (spec §2): booked time per ticket where agents book it (last
 * `history_weeks`); otherwise the observed time from the replying agent opening the ticket (their first open while
 * it awaited a reply, migration 0180) to their first public reply, the median over the same weeks; otherwise, for
 * history from before opens were noted, the median from assignment to first reply over the last 7 days (the live
 * prediction's figure); otherwise 10 minutes.
 */
async function handlingTime(ctx: AppContext, groupId: string, since: Date): Promise<Plan['handling']> {
  const [booked] = await ctx.db.query<{ s: number | null }>(
    `SELECT (sum(te.minutes) * 60.0 / NULLIF(count(DISTINCT te.ticket_id), 0))::float8 AS s
       FROM time_entries te JOIN tickets t ON t.id = te.ticket_id WHERE t.group_id = $1 AND te.created_at >= $2`, [groupId, since]);
  if (booked?.s) return { seconds: booked.s, source: 'booked' };
  const [opened] = await ctx.db.query<{ s: number | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.created_at - o.opened_at))::float8 AS s
       FROM ticket_opens o
       JOIN tickets t ON t.id = o.ticket_id AND t.group_id = $1 AND t.first_responded_at >= $2 AND t.first_responded_at <= $3
       JOIN LATERAL (SELECT m.author_id, m.created_at FROM messages m
                      WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_kind = 'user' ORDER BY m.created_at LIMIT 1) r
         ON r.author_id = o.user_id AND o.opened_at <= r.created_at
      WHERE o.opened_at < $3`, [groupId, since, ctx.now()]);
  if (opened?.s) return { seconds: opened.s, source: 'observed' };
  const assigned = (await groupStats(ctx.db, groupId, ctx.now())).handle;
  if (assigned) return { seconds: assigned * 60, source: 'assignment' };
  return { seconds: DEFAULT_AHT_SECONDS, source: 'default' };
}

type ChannelDeadline = { view: PlanDeadline; business?: { calendar: BusinessCalendar } };

/**
 * A workload channel's deadline (issue 19): the first-response target of the policy that the group's usual
 * ticket on that channel (its most frequent type and priority in the history) falls under, counted by the SLA
 * engine's metric calendar — the policy's calendar in business time, or wall clock for a `calendar` metric.
 */
function deadlineFor(config: SlaConfig, subject: PolicySubject | undefined, override: number | undefined): ChannelDeadline {
  if (override !== undefined) return { view: { source: 'parameter', minutes: override, clock: 'calendar', policy_id: null, calendar_id: null } };
  const policy = subject ? selectPolicy(config.policies, subject) : null;
  const def = policy && subject ? policyMetricDefinitions(policy, subject.priority).find((m) => m.name === 'first_response') : undefined;
  if (!policy || !def) return { view: { source: 'default', minutes: DEFAULT_DEADLINE_MINUTES, clock: 'calendar', policy_id: null, calendar_id: null } };
  const calendar = policy.calendar_id ? config.calendars.get(policy.calendar_id)?.compiled ?? ALWAYS_OPEN : ALWAYS_OPEN;
  const clock = def.clock === 'calendar' ? 'calendar' : 'business';
  return {
    view: { source: 'policy', minutes: def.target_minutes, clock, policy_id: policy.id, calendar_id: policy.calendar_id },
    business: { calendar: metricCalendar(def, calendar) },
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The week's plan for one group: per interval the forecast arrivals of all its channels, the staff they need
 * (Erlang C or workload, per channel), the staff rostered, the gap (rostered − required) and the predicted
 * share of promises kept. Live channels take rostered staff first (a chat cannot wait); the rest share what is
 * left in proportion to what they need.
 */
export async function buildPlan(ctx: AppContext, actor: Principal, raw: unknown): Promise<Plan | { csv: string }> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(planQuery, raw);
  const [group] = await ctx.db.query('SELECT 1 FROM groups WHERE id = $1', [q.group]);
  if (!group) throw notFound('group');
  const now = ctx.now();
  const since = new Date(now.getTime() - q.history_weeks * WEEK_MS);
  // The usual ticket per channel (most frequent type and priority): the policy subject its deadline comes from;
  // one row per channel that had arrivals, so it is also the list of channels to plan.
  const usual = await ctx.db.query<{ channel: string; type: string; priority: string; total: number }>(
    `SELECT DISTINCT ON (channel) channel, type, priority, (sum(count(*)) OVER (PARTITION BY channel))::int AS total
       FROM tickets WHERE group_id = $1 AND created_at >= $2 AND merged_into_id IS NULL
      GROUP BY channel, type, priority ORDER BY channel, count(*) DESC, type, priority`, [q.group, since]);
  const known = usual.map((r) => r.channel).filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
  const subjectOf = new Map(usual.map((u): [string, PolicySubject] => [u.channel, { type: u.type, priority: u.priority, tier: null, organization_id: null, channel: u.channel, group_id: q.group, tags: [] }]));
  const config = await loadSlaConfig(ctx.db);
  // The holidays: the calendar asked for, else that of the policy over the busiest channel's usual ticket.
  const busiest = [...usual].sort((a, b) => b.total - a.total || a.channel.localeCompare(b.channel))[0];
  const busiestSubject = busiest ? subjectOf.get(busiest.channel) : undefined;
  const holidaysCalendar = q.calendar_id ?? (busiestSubject ? selectPolicy(config.policies, busiestSubject)?.calendar_id ?? null : null);
  // Every channel's arrivals from one read of the group's history (not one read per channel).
  const perChannel = await forecastPerChannel(ctx, { group_id: q.group, interval_minutes: q.interval, history_weeks: q.history_weeks, zone: q.zone, ...(holidaysCalendar ? { calendar_id: holidaysCalendar } : {}) }, known);
  const forecasts = known.flatMap((channel) => {
    const forecast = perChannel.get(channel);
    return forecast ? [{ channel, forecast }] : [];
  });
  const step = q.interval * 60_000;
  const firstForecast = Math.floor(now.getTime() / step) * step;
  const from = q.week_start ? DateTime.fromISO(q.week_start, { zone: q.zone }).toMillis() : firstForecast;
  const to = q.week_start ? DateTime.fromISO(q.week_start, { zone: q.zone }).plus({ days: 7 }).toMillis() : from + WEEK_MS;
  const n = Math.ceil((to - from) / step);
  const starts = Array.from({ length: n }, (_, i) => from + i * step);
  // The forecast is a seasonal week from the current interval; each later week repeats it slot by slot.
  const slot = (t: number) => Math.floor((((t - firstForecast) % WEEK_MS) + WEEK_MS) % WEEK_MS / step);

  const members = await ctx.db.query<{ id: string }>(
    "SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active AND u.role <> 'admin'", [q.group]);
  const rosters = await rostersOf(ctx.db, members.map((m) => m.id));
  const rostered = rosteredIntervals([...rosters.values()], from, from + n * step, q.interval).map((r) => r.staff);
  const handling = await handlingTime(ctx, q.group, since);

  const common = { intervalMinutes: q.interval, ahtSeconds: handling.seconds, shrinkage: q.shrinkage, answerSeconds: q.answer_seconds, targetSl: q.target_sl };
  const channels = forecasts.map(({ channel, forecast }) => {
    const model = modelForChannel(channel);
    const deadline = model === 'workload' ? deadlineFor(config, subjectOf.get(channel), q.deadline_minutes) : null;
    return {
      channel, model, forecast, deadline,
      arrivals: starts.map((t) => forecast.intervals[slot(t)]?.expected ?? 0),
      timing: {
        deadlineMinutes: deadline?.view.minutes ?? DEFAULT_DEADLINE_MINUTES,
        ...(deadline?.business ? { business: { calendar: deadline.business.calendar, startMs: from } } : {}),
      },
    };
  });
  const needs = channels.map((c) => planChannel({ ...common, ...c.timing, model: c.model, arrivals: c.arrivals, rostered: c.arrivals.map(() => 0) }).map((r) => r.required));
  // Rostered staff per channel: live channels first, the rest in proportion to need.
  const share = channels.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    let left = rostered[i] ?? 0;
    channels.forEach((c, k) => {
      if (c.model !== 'erlang') return;
      const give = Math.min(left, needs[k]?.[i] ?? 0);
      (share[k] as number[])[i] = give;
      left -= give;
    });
    const workload = channels.map((c, k) => (c.model === 'workload' ? k : -1)).filter((k) => k >= 0);
    const need = workload.reduce((s, k) => s + (needs[k]?.[i] ?? 0), 0);
    for (const k of workload) (share[k] as number[])[i] = need > 0 ? left * (needs[k]?.[i] ?? 0) / need : left / workload.length;
  }
  const planned: ChannelPlanRow[][] = channels.map((c, k) => planChannel({ ...common, ...c.timing, model: c.model, arrivals: c.arrivals, rostered: share[k] ?? [] }));
  // With `channel`, only that channel's rows and its share of the roster; otherwise every channel and the whole roster.
  const shown = channels.map((c, k) => k).filter((k) => !q.channel || channels[k]?.channel === q.channel);
  const intervals: PlanRow[] = starts.map((t, i) => {
    const arrivals = shown.reduce((s, k) => s + (channels[k]?.arrivals[i] ?? 0), 0);
    const required = shown.reduce((s, k) => s + (planned[k]?.[i]?.required ?? 0), 0);
    const staff = q.channel ? shown.reduce((s, k) => s + (share[k]?.[i] ?? 0), 0) : rostered[i] ?? 0;
    const keptWeight = shown.reduce((s, k) => s + (channels[k]?.arrivals[i] ?? 0) * (planned[k]?.[i]?.kept ?? 0), 0);
    return { start: new Date(t).toISOString(), arrivals: round(arrivals), required: round(required), rostered: round(staff), gap: round(staff - required), kept: arrivals > 0 ? round(keptWeight / arrivals) : null };
  });
  const plan: Plan = {
    group_id: q.group, zone: q.zone, interval_minutes: q.interval, from: new Date(from).toISOString(), to: new Date(from + n * step).toISOString(), handling,
    channels: channels.filter((c) => !q.channel || c.channel === q.channel).map((c) => ({ channel: c.channel, model: c.model, forecast_model: c.forecast.model, backtest_error_pct: c.forecast.backtestErrorPct, deadline: c.deadline?.view ?? null })),
    holidays_calendar_id: holidaysCalendar, rostered_agents: rosters.size, unrostered_agents: members.length - rosters.size, intervals,
  };
  if (q.format === 'csv') {
    return { csv: toCsv(['start', 'arrivals', 'required', 'rostered', 'gap', 'kept'], intervals.map((r) => [r.start, r.arrivals, r.required, r.rostered, r.gap, r.kept])) };
  }
  return plan;
}
