import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { compileHolidays, parseIsoDate } from '../../core/calendar/index.ts';
import { notFound } from '../../core/errors.ts';
import { forecastArrivals, type Forecast } from '../../core/planning/index.ts';
import { CHANNELS } from '../../core/tickets/ticket-model.ts';
import { findCalendar } from '../../store/repos/sla-repo.ts';
import type { Queryable } from '../../store/db.ts';
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

type Query = z.infer<typeof forecastQuery>;
type Season = { zone: string; isHoliday?: (d: string) => boolean };
type Series = { counts: number[]; arrivals: number; first: number | null };

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

type CountsRequest = { startMs: number; endMs: number; intervalMs: number; groupId: string | null; channel: string | null; perGroup: boolean; perChannel?: boolean };

/**
 * Arrivals per interval in [startMs, endMs), per group (key: group id, '' for none) when `perGroup`, per channel
 * (key: the channel) when `perChannel`, else under the key ''. One statement either way: the bench's plan reads
 * every group's history at once, a group's plan every channel's.
 */
async function readCounts(q: Queryable, r: CountsRequest): Promise<Map<string, Series>> {
  // date_bin over the arrivals index (migration 0155, index-only): extract(epoch …) is numeric arithmetic per row,
  // three times the cost of the scan itself at 500,000 tickets.
  const rows = await q.query<{ group_id: string | null; bucket: Date | string; n: number }>(
    `SELECT ${r.perGroup ? 'group_id::text' : r.perChannel ? 'channel' : 'NULL::text'} AS group_id, date_bin($3::interval, created_at, $1) AS bucket, count(*)::int AS n
       FROM tickets
      WHERE created_at >= $1 AND created_at < $2 AND merged_into_id IS NULL
        AND ($4::uuid IS NULL OR group_id = $4) AND ($5::text IS NULL OR channel = $5)
      GROUP BY 1, 2`,
    [new Date(r.startMs), new Date(r.endMs), `${r.intervalMs / 1000} seconds`, r.groupId, r.channel]);
  const series = new Map<string, Series>();
  for (const row of rows) {
    const key = row.group_id ?? '';
    let s = series.get(key);
    if (!s) series.set(key, (s = emptySeries(r)));
    const i = Math.round((new Date(row.bucket).getTime() - r.startMs) / r.intervalMs);
    if (i >= 0 && i < s.counts.length) { s.counts[i] = row.n; s.arrivals += row.n; s.first = s.first === null ? i : Math.min(s.first, i); }
  }
  return series;
}

function emptySeries(r: { startMs: number; endMs: number; intervalMs: number }): Series {
  return { counts: new Array<number>((r.endMs - r.startMs) / r.intervalMs).fill(0), arrivals: 0, first: null };
}

function historyWindow(ctx: AppContext, q: Query) {
  const intervalMs = q.interval_minutes * 60_000;
  const endMs = Math.floor(ctx.now().getTime() / intervalMs) * intervalMs;
  return { intervalMs, endMs, startMs: endMs - q.history_weeks * WEEK_MS };
}

function toForecast(q: Query, season: Season, startMs: number, endMs: number, groupId: string | null, s: Series): ArrivalForecast {
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
  return forecastFor(ctx, parseInput(forecastQuery, raw));
}

/** The forecast for already-validated parameters (the plan asks it once per channel). */
export async function forecastFor(ctx: AppContext, q: Query): Promise<ArrivalForecast> {
  const season = await seasonOf(ctx, q);
  const w = historyWindow(ctx, q);
  const series = await readCounts(ctx.db, { ...w, groupId: q.group_id ?? null, channel: q.channel ?? null, perGroup: false });
  return toForecast(q, season, w.startMs, w.endMs, q.group_id ?? null, series.get('') ?? emptySeries(w));
}

/** A group's forecast for each of `channels` (none in the window: a forecast of none), from one read (the plan's input). */
export async function forecastPerChannel(ctx: AppContext, q: Query & { group_id: string }, channels: readonly NonNullable<Query['channel']>[]): Promise<Map<string, ArrivalForecast>> {
  const season = await seasonOf(ctx, q);
  const w = historyWindow(ctx, q);
  const series = await readCounts(ctx.db, { ...w, groupId: q.group_id, channel: null, perGroup: false, perChannel: true });
  return new Map(channels.map((channel) => [channel, toForecast({ ...q, channel }, season, w.startMs, w.endMs, q.group_id, series.get(channel) ?? emptySeries(w))]));
}

/** The same forecast for every group that had arrivals, from one read (the bench's plan floor). */
export async function forecastArrivalsPerGroup(ctx: AppContext, actor: Principal, raw: unknown): Promise<ArrivalForecast[]> {
  requireStaff(actor, MANAGERS);
  const q = parseInput(forecastQuery, raw);
  const season = await seasonOf(ctx, q);
  const w = historyWindow(ctx, q);
  const series = await readCounts(ctx.db, { ...w, groupId: q.group_id ?? null, channel: q.channel ?? null, perGroup: true });
  return [...series].sort(([a], [b]) => a.localeCompare(b)).map(([group, s]) => toForecast(q, season, w.startMs, w.endMs, group || null, s));
}

export type ForecastRequest = {
  /** The end of the history (an interval boundary): the forecast starts here. */
  endMs: number;
  intervalMinutes: number;
  historyWeeks: number;
  horizonIntervals: number;
  groupId: string | null;
  channel: string | null;
  zone: string;
  isHoliday?: (localDate: string) => boolean;
};

/** The arrivals of the `historyWeeks` before `endMs`, counted per interval in one query, and their forecast (the surge check's). */
export async function forecastFrom(q: Queryable, r: ForecastRequest): Promise<{ forecast: Forecast; startMs: number; arrivals: number; firstArrivalMs: number | null }> {
  const intervalMs = r.intervalMinutes * 60_000;
  const w = { intervalMs, endMs: r.endMs, startMs: r.endMs - r.historyWeeks * WEEK_MS };
  const s = (await readCounts(q, { ...w, groupId: r.groupId, channel: r.channel, perGroup: false })).get('') ?? emptySeries(w);
  const forecast = forecastArrivals({ startMs: w.startMs, intervalMinutes: r.intervalMinutes, counts: s.counts }, r.horizonIntervals, { zone: r.zone, ...(r.isHoliday ? { isHoliday: r.isHoliday } : {}) });
  return { forecast, startMs: w.startMs, arrivals: s.arrivals, firstArrivalMs: s.first === null ? null : w.startMs + s.first * intervalMs };
}
