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

/** A seeded uniform generator (Park–Miller), so the noisy series are the same on every run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => { x = (x * 48271) % 2147483647; return x / 2147483647; };
}

/** A Poisson draw by Knuth's product of uniforms (rates here stay below a few hundred). */
function poisson(lambda: number, rng: () => number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) { k += 1; p *= rng(); }
  return k;
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
    // The held-out 2026-03-02 is scored too, forecast with the factor learnt from 2026-02-16 before it.
    expect(f.backtestErrorPct).toBeCloseTo(0, 9);
  });

  it("scores every held-out interval, a holiday too: the spec's WAPE, Σ|actual − forecast| / Σ actual", () => {
    // One holiday (2026-03-02, in the held-out weeks) with a fifth of the volume and none before it: a forecaster at
    // the time could only expect an ordinary Monday, and that miss is part of the score.
    const isHoliday = (d: string) => d === '2026-03-02';
    const s = series('2026-01-05T00:00:00Z', 11, 'UTC', (l) => (isHoliday(l.toISODate() ?? '') ? office(l) * 0.2 : office(l)) * 5);
    const f = forecastArrivals(s, WEEK, { zone: 'UTC', isHoliday });
    const heldOut = s.counts.slice(7 * WEEK);
    const missed = s.counts.slice(8 * WEEK, 8 * WEEK + 24).reduce((sum, c) => sum + c * 4, 0); // forecast 5×, came 1×
    expect(f.backtest.seasonal_naive).toBeCloseTo((100 * missed) / heldOut.reduce((a, b) => a + b, 0), 9);
    expect(f.holidayFactor).toBeCloseTo(0.2, 9); // learnt for the week ahead from the one holiday seen
  });

  it('pools the shape of the day across weekdays when that beats the slot means in the backtest, close to what the true rates score', () => {
    // Poisson arrivals: each weekday its own level, one shape of the day for Monday–Friday, a weekend trickle.
    const rng = lcg(11);
    const level = [0, 1.3, 1.1, 1.05, 1, 0.85, 0.15, 0.1];
    const shape = (h: number) => 0.05 + Math.exp(-(((h + 0.5 - 11) / 2.5) ** 2) / 2);
    const rate = (l: DateTime) => 40 * (level[l.weekday] ?? 0) * shape(l.hour);
    const s = series('2026-01-05T00:00:00Z', 10, 'UTC', (l) => poisson(rate(l), rng));
    const f = forecastArrivals(s, WEEK, { zone: 'UTC' });
    expect(['day_profile', 'day_profile_blend']).toContain(f.model);
    expect(f.backtestErrorPct).toBeLessThan((f.backtest.seasonal_mean_8w ?? 0) - 1);
    // What a forecaster that knew the rates would have scored on the same held-out weeks.
    const heldOut = s.counts.slice(6 * WEEK);
    let miss = 0;
    heldOut.forEach((c, i) => { miss += Math.abs(c - rate(DateTime.fromMillis(Date.parse('2026-01-05T00:00:00Z') + (6 * WEEK + i) * HOUR, { zone: 'UTC' }))); });
    const oracle = (100 * miss) / heldOut.reduce((a, b) => a + b, 0);
    expect(f.backtestErrorPct).toBeLessThan(oracle * 1.15);
  });

  it('keeps the slot means when the weekdays differ in shape (the pooled profile would be biased)', () => {
    const rng = lcg(5);
    // Mondays peak at 09:00, Fridays at 16:00, the rest at noon: one shape of the weekday does not fit.
    const peak = [0, 9, 12, 12, 12, 16, 12, 12];
    const rate = (l: DateTime) => (l.weekday <= 5 ? 200 : 20) * (0.05 + Math.exp(-(((l.hour + 0.5 - (peak[l.weekday] ?? 12)) / 1.5) ** 2) / 2));
    const f = forecastArrivals(series('2026-01-05T00:00:00Z', 10, 'UTC', (l) => poisson(rate(l), rng)), WEEK, { zone: 'UTC' });
    expect(f.model).not.toBe('day_profile');
    expect(f.backtest.day_profile).toBeGreaterThan(f.backtestErrorPct ?? 0);
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
