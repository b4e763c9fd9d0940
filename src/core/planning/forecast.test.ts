import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { forecastArrivals, type ArrivalSeries } from './index.ts';

const HOUR = 3_600_000;
const WEEK = 168;

/** Hourly counts from `start` for `weeks` weeks, each interval's count from its local time. */
function series(startIso: string, weeks: number, zone: string, count: (local: DateTime, week: number) => number): ArrivalSeries {
  const startMs = Date.parse(startIso);
  const counts: number[] = [];
  for (let i = 0; i < weeks * WEEK; i += 1) {
    const local = DateTime.fromMillis(startMs + i * HOUR, { zone });
    counts.push(count(local, Math.floor(i / WEEK)));
  }
  return { startMs, intervalMinutes: 60, counts };
}

// Office pattern: weekdays 09–17 local, a peak at 10, a little at the weekend.
const office = (local: DateTime) => {
  if (local.weekday >= 6) return local.hour >= 10 && local.hour < 14 ? 1 : 0;
  if (local.hour === 10) return 12;
  return local.hour >= 9 && local.hour < 17 ? 6 : 0;
};

describe('forecast of arrivals (planning spec §2)', () => {
  it('repeats an unchanging week exactly, with a backtest error of 0, for the week that follows the history', () => {
    const s = series('2026-01-05T00:00:00Z', 10, 'UTC', office);
    const f = forecastArrivals(s, WEEK, { zone: 'UTC' });
    expect(f.backtestErrorPct).toBe(0);
    expect(f.model).toBe('seasonal_naive'); // ties go to the simplest model
    expect(f.intervals).toHaveLength(WEEK);
    expect(f.intervals[0]?.start).toBe('2026-03-16T00:00:00.000Z');
    for (const [i, interval] of f.intervals.entries()) {
      expect(interval.expected).toBeCloseTo(office(DateTime.fromMillis(Date.parse('2026-03-16T00:00:00Z') + i * HOUR, { zone: 'UTC' })), 9);
      expect(interval.low).toBeLessThanOrEqual(interval.expected);
      expect(interval.high).toBeGreaterThan(interval.expected);
      expect(interval.low).toBeGreaterThanOrEqual(0);
    }
  });

  it('follows a growing volume with the trend model, chosen because its backtest error is lowest', () => {
    // +10 % of the first week's volume every week.
    const s = series('2026-01-05T00:00:00Z', 12, 'UTC', (l, w) => office(l) * 10 * (1 + 0.1 * w));
    const f = forecastArrivals(s, WEEK, { zone: 'UTC' });
    expect(f.model).toBe('seasonal_trend');
    expect(f.backtest.seasonal_trend).toBeLessThan(f.backtest.seasonal_naive ?? 0);
    expect(f.backtest.seasonal_trend).toBeLessThan(0.5);
    const weekTotal = f.intervals.reduce((sum, i) => sum + i.expected, 0);
    const firstWeek = s.counts.slice(0, WEEK).reduce((a, b) => a + b, 0);
    expect(weekTotal).toBeCloseTo(firstWeek * (1 + 0.1 * 12), 6); // week 12 (0-based), the next one
  });

  it("keeps the season in local time across a DST change: 10:00 Berlin is 09:00Z in winter and 08:00Z in summer", () => {
    const zone = 'Europe/Berlin';
    const s = series('2026-01-05T00:00:00Z', 11, zone, office); // ends 2026-03-23T00:00Z; DST starts 2026-03-29
    const f = forecastArrivals(s, 2 * WEEK, { zone });
    const peak = (iso: string) => f.intervals.find((i) => i.start === iso)?.expected;
    expect(peak('2026-03-23T09:00:00.000Z')).toBeCloseTo(12, 9); // Monday before the change
    expect(peak('2026-03-30T08:00:00.000Z')).toBeCloseTo(12, 9); // Monday after it
    expect(peak('2026-03-30T09:00:00.000Z')).toBeCloseTo(6, 9);
    expect(f.backtestErrorPct).toBe(0);
  });

  it('learns what a holiday does from past holidays, and keeps holidays out of the ordinary week', () => {
    // Mondays 2026-02-16 and 2026-03-02 were holidays with a fifth of the usual volume; 2026-03-23 will be one.
    const holidays = new Set(['2026-02-16', '2026-03-02', '2026-03-23']);
    const isHoliday = (d: string) => holidays.has(d);
    const s = series('2026-01-05T00:00:00Z', 11, 'UTC', (l) => (isHoliday(l.toISODate() ?? '') ? office(l) * 0.2 : office(l)) * 5);
    const f = forecastArrivals(s, WEEK, { zone: 'UTC', isHoliday });
    expect(f.holidayFactor).toBeCloseTo(0.2, 9);
    const monday10 = f.intervals.find((i) => i.start === '2026-03-23T10:00:00.000Z');
    expect(monday10).toMatchObject({ holiday: true });
    expect(monday10?.expected).toBeCloseTo(12, 9); // 60 × 0.2
    const tuesday10 = f.intervals.find((i) => i.start === '2026-03-24T10:00:00.000Z');
    expect(tuesday10).toMatchObject({ holiday: false });
    expect(tuesday10?.expected).toBeCloseTo(60, 9);
    expect(f.backtestErrorPct).toBe(0); // holidays are scored apart, so they do not count as misses
  });

  it('says it cannot backtest a history shorter than the holdout plus a week', () => {
    const s = series('2026-01-05T00:00:00Z', 3, 'UTC', office);
    const f = forecastArrivals(s, 24, { zone: 'UTC' });
    expect(f.backtestErrorPct).toBeNull();
    expect(f.intervals).toHaveLength(24);
    expect(f.intervals[10]?.expected).toBeCloseTo(12, 9); // Monday 10:00, the mean of what was seen
  });

  it('widens the band with noisy history', () => {
    let seed = 7;
    const noise = () => { seed = (seed * 48271) % 2147483647; return (seed / 2147483647 - 0.5) * 20; };
    const quiet = forecastArrivals(series('2026-01-05T00:00:00Z', 10, 'UTC', (l) => office(l) * 5), WEEK, { zone: 'UTC' });
    const noisy = forecastArrivals(series('2026-01-05T00:00:00Z', 10, 'UTC', (l) => Math.max(0, Math.round(office(l) * 5 + noise()))), WEEK, { zone: 'UTC' });
    const width = (f: typeof quiet) => (f.intervals[10]?.high ?? 0) - (f.intervals[10]?.low ?? 0);
    expect(width(noisy)).toBeGreaterThan(width(quiet));
    expect(noisy.backtestErrorPct).toBeGreaterThan(0);
  });
});
