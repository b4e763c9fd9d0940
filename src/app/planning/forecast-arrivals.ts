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
export async function forecastArrivalsFor(ctx: AppContext, actor: Principal, raw: unknown): Promise<ArrivalForecast> {
  requireStaff(actor, MANAGERS);
  return forecastFor(ctx, parseInput(forecastQuery, raw));
}

/** The forecast for already-validated parameters (the plan asks it once per channel). */
export async function forecastFor(ctx: AppContext, q: z.output<typeof forecastQuery>): Promise<ArrivalForecast> {
  let zone = q.zone ?? 'UTC';
  let isHoliday: ((d: string) => boolean) | undefined;
  if (q.calendar_id) {
    const calendar = await findCalendar(ctx.db, q.calendar_id);
    if (!calendar) throw notFound('calendar');
    zone = q.zone ?? calendar.spec.timezone;
    const holidays = compileHolidays(calendar.spec.holidays, calendar.spec.timezone);
    isHoliday = (d) => {
      const day = parseIsoDate(d);
      return day !== null && holidays.isHoliday(day);
    };
  }
  const intervalMs = q.interval_minutes * 60_000;
  const endMs = Math.floor(ctx.now().getTime() / intervalMs) * intervalMs;
  const startMs = endMs - q.history_weeks * WEEK_MS;
  const rows = await ctx.db.query<{ bucket: string; n: number }>(
    `SELECT floor((extract(epoch FROM created_at) * 1000 - $3) / $4)::bigint::text AS bucket, count(*)::int AS n
       FROM tickets
      WHERE created_at >= $1 AND created_at < $2 AND merged_into_id IS NULL
        AND ($5::uuid IS NULL OR group_id = $5) AND ($6::text IS NULL OR channel = $6)
      GROUP BY 1`,
    [new Date(startMs), new Date(endMs), startMs, intervalMs, q.group_id ?? null, q.channel ?? null]);
  const counts = new Array<number>((endMs - startMs) / intervalMs).fill(0);
  let arrivals = 0;
  for (const r of rows) {
    const i = Number(r.bucket);
    if (i >= 0 && i < counts.length) { counts[i] = r.n; arrivals += r.n; }
  }
  const forecast = forecastArrivals({ startMs, intervalMinutes: q.interval_minutes, counts }, WEEK_MS / intervalMs, { zone, ...(isHoliday ? { isHoliday } : {}) });
  return {
    group_id: q.group_id ?? null, channel: q.channel ?? null, zone, interval_minutes: q.interval_minutes,
    history: { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString(), arrivals },
    ...forecast,
  };
}
