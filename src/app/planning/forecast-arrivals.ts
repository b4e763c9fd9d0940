import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { compileHolidays, parseIsoDate } from '../../core/calendar/index.ts';
import { notFound } from '../../core/errors.ts';
import { forecastArrivals, type Forecast } from '../../core/planning/index.ts';
import { CHANNELS } from '../../core/tickets/ticket-model.ts';
import { findCalendar } from '../../store/repos/sla-repo.ts';
import type { AppContext } from '../context.ts';
import { timeZoneSchema } from '../people/locale-schemas.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';

export const forecastQuery = z.strictObject({
  group_id: z.string().uuid('must be a UUID').optional(),
  channel: z.enum(CHANNELS).optional(),
  interval_minutes: z.coerce.number().pipe(z.union([z.literal(30), z.literal(60)], { error: 'must be 30 or 60' })).default(60),
  history_weeks: z.coerce.number().int('must be a whole number of weeks').min(5, 'must be at least 5 (4 are held out for the backtest)').max(104).default(12),
  calendar_id: z.string().uuid('must be a UUID').optional(),
  zone: timeZoneSchema.optional(),
});

export type ArrivalForecast = Forecast & {
  group_id: string | null;
  channel: string | null;
  zone: string;
  interval_minutes: number;
  history: { from: string; to: string; arrivals: number };
};

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * Arrivals per interval for the week ahead, from the tickets that arrived in the last `history_weeks` weeks
 * (imported history included; merged-away duplicates are not arrivals). The season is the local week of
 * `calendar_id`'s zone (its holidays too) or of `zone` (default UTC).
 */
type Query = z.infer<typeof forecastQuery>;
type Season = { zone: string; isHoliday?: (d: string) => boolean };

async function seasonOf(ctx: AppContext, q: Query): Promise<Season> {
  if (!q.calendar_id) return { zone: q.zone ?? 'UTC' };
  const calendar = await findCalendar(ctx.db, q.calendar_id);
  if (!calendar) throw notFound('calendar');
  const holidays = compileHolidays(calendar.spec.holidays, calendar.spec.timezone);
  return {
    zone: q.zone ?? calendar.spec.timezone,
    isHoliday: (d) => {
      const day = parseIsoDate(d);
      return day !== null && holidays.isHoliday(day);
    },
  };
}

/**
 * Arrivals per interval of the last `history_weeks` weeks, per group (key: group id, '' for none) when
 * `perGroup`, else under the key ''. One statement either way: the plan reads every group's history at once.
 */
async function readCounts(ctx: AppContext, q: Query, perGroup: boolean) {
  const intervalMs = q.interval_minutes * 60_000;
  const endMs = Math.floor(ctx.now().getTime() / intervalMs) * intervalMs;
  const startMs = endMs - q.history_weeks * WEEK_MS;
  const rows = await ctx.db.query<{ group_id: string | null; bucket: string; n: number }>(
    `SELECT ${perGroup ? 'group_id' : 'NULL::uuid'} AS group_id, floor((extract(epoch FROM created_at) * 1000 - $3) / $4)::bigint::text AS bucket, count(*)::int AS n
       FROM tickets
      WHERE created_at >= $1 AND created_at < $2 AND merged_into_id IS NULL
        AND ($5::uuid IS NULL OR group_id = $5) AND ($6::text IS NULL OR channel = $6)
      GROUP BY 1, 2`,
    [new Date(startMs), new Date(endMs), startMs, intervalMs, q.group_id ?? null, q.channel ?? null]);
  const series = new Map<string, { counts: number[]; arrivals: number }>();
  for (const r of rows) {
    const key = r.group_id ?? '';
    let s = series.get(key);
    if (!s) series.set(key, (s = { counts: new Array<number>((endMs - startMs) / intervalMs).fill(0), arrivals: 0 }));
    const i = Number(r.bucket);
    if (i >= 0 && i < s.counts.length) { s.counts[i] = r.n; s.arrivals += r.n; }
  }
  return { startMs, endMs, series };
}

function toForecast(q: Query, season: Season, startMs: number, endMs: number, groupId: string | null, s: { counts: number[]; arrivals: number }): ArrivalForecast {
  const intervalMs = q.interval_minutes * 60_000;
  const forecast = forecastArrivals({ startMs, intervalMinutes: q.interval_minutes, counts: s.counts }, WEEK_MS / intervalMs, { zone: season.zone, ...(season.isHoliday ? { isHoliday: season.isHoliday } : {}) });
  return {
    group_id: groupId, channel: q.channel ?? null, zone: season.zone, interval_minutes: q.interval_minutes,
    history: { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString(), arrivals: s.arrivals },
    ...forecast,
  };
}

/**
 * Arrivals per interval for the week ahead, from the tickets that arrived in the last `history_weeks` weeks
 * (imported history included; merged-away duplicates are not arrivals). The season is the local week of
 * `calendar_id`'s zone (its holidays too) or of `zone` (default UTC).
 */
export async function forecastArrivalsFor(ctx: AppContext, actor: Principal, raw: unknown): Promise<ArrivalForecast> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(forecastQuery, raw);
  const season = await seasonOf(ctx, q);
  const { startMs, endMs, series } = await readCounts(ctx, q, false);
  const empty = { counts: new Array<number>((endMs - startMs) / (q.interval_minutes * 60_000)).fill(0), arrivals: 0 };
  return toForecast(q, season, startMs, endMs, q.group_id ?? null, series.get('') ?? empty);
}

/** The same forecast for every group that had arrivals, from one read (the plan's input). */
export async function forecastArrivalsPerGroup(ctx: AppContext, actor: Principal, raw: unknown): Promise<ArrivalForecast[]> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(forecastQuery, raw);
  const season = await seasonOf(ctx, q);
  const { startMs, endMs, series } = await readCounts(ctx, q, true);
  return [...series].sort(([a], [b]) => a.localeCompare(b)).map(([group, s]) => toForecast(q, season, startMs, endMs, group || null, s));
}
