// Forecast of arrivals per interval for the week ahead (planning spec §2): seasonal models over the local
// weekday × time of day, with and without a trend, the one with the lowest backtest error chosen, holidays
// handled apart. Pure: the series, the zone and "is this local date a holiday" are parameters.
//
// Backtest: rolling origin over the last `backtestWeeks` whole weeks of history — each held-out week is
// forecast from the data before it only — scored by WAPE (Σ|actual − forecast| / Σ actual, in percent) over
// every interval of those weeks, holidays included (forecast with the holiday factor known at the time).
// The chosen model is then fitted on all history for the week ahead.

import { DateTime } from 'luxon';

export const FORECAST_MODELS = ['seasonal_naive', 'seasonal_mean_4w', 'seasonal_mean_8w', 'seasonal_trend', 'day_profile', 'day_profile_blend'] as const;
export type ForecastModel = (typeof FORECAST_MODELS)[number];

/** Contiguous arrival counts: counts[i] arrived in [startMs + i·interval, startMs + (i+1)·interval). */
export type ArrivalSeries = { startMs: number; intervalMinutes: number; counts: readonly number[] };

export type ForecastOptions = {
  /** IANA zone whose weekday and time of day define the season (the group's calendar zone). */
  zone: string;
  /** Local dates ("YYYY-MM-DD") on which the team is closed; their arrivals follow their own level. */
  isHoliday?: (localDate: string) => boolean;
  /** Whole weeks held out for the backtest (default 4). */
  backtestWeeks?: number;
};

export type ForecastInterval = { start: string; expected: number; low: number; high: number; holiday: boolean };

export type Forecast = {
  model: ForecastModel;
  /** WAPE in percent of each candidate over the held-out weeks (null: not enough history to backtest it). */
  backtest: Record<ForecastModel, number | null>;
  /** The chosen model's WAPE (percent); null when the history is shorter than one week plus the holdout. */
  backtestErrorPct: number | null;
  backtestWeeks: number;
  /** Ratio of arrivals on past holidays to what the model expected for those days (1 when none were seen). */
  holidayFactor: number;
  intervals: ForecastInterval[];
};

type Slot = { key: string; holiday: boolean; date: string };

const WEEK_MS = 7 * 24 * 3_600_000;

function slotOf(ms: number, zone: string, isHoliday: (d: string) => boolean): Slot {
  const local = DateTime.fromMillis(ms, { zone });
  const date = local.toISODate() ?? '';
  // Weekday × minute of the local day: a DST day's repeated hour shares its key, its missing hour has none.
  return { key: `${local.weekday}:${local.hour * 60 + local.minute}`, holiday: isHoliday(date), date };
}

type Observation = { slot: Slot; count: number; index: number };

/** Per seasonal key, the counts of ordinary (non-holiday) days, oldest first. */
function bySlot(obs: readonly Observation[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const o of obs) {
    if (o.slot.holiday) continue;
    const list = m.get(o.slot.key);
    if (list) list.push(o.count);
    else m.set(o.slot.key, [o.count]);
  }
  return m;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

/** Least-squares line through (0, y0), (1, y1), …; the value at x. */
function linearAt(ys: readonly number[], x: number): number {
  const n = ys.length;
  if (n < 2) return ys[0] ?? 0;
  const mx = (n - 1) / 2;
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, i) => { sxy += (i - mx) * (y - my); sxx += (i - mx) ** 2; });
  return my + (sxy / sxx) * (x - mx);
}

type Fitted = (slot: Slot, weeksAhead: number) => number;

/** Monday…Friday share one shape of the day; Saturday and Sunday each have their own. */
const dayType = (weekday: number) => (weekday <= 5 ? 0 : weekday);

/**
 * The day-profile model: a slot's expected arrivals = the mean total of its weekday over the last 8 weeks × the
 * slot's share of its day, the share pooled over every day of the same type (the five weekdays together) in those
 * weeks. A slot mean rests on one count per week; the pooled shape on five, so its Poisson noise is a fraction —
 * at the price of a bias where weekdays differ in shape, which the backtest weighs.
 */
function fitDayProfile(history: readonly Observation[], intervalsPerWeek: number): (slot: Slot) => number {
  const recent = history.slice(Math.max(0, history.length - 8 * intervalsPerWeek));
  const perDay = intervalsPerWeek / 7;
  const days = new Map<string, { weekday: number; total: number; n: number; slots: Observation[] }>();
  for (const o of recent) {
    if (o.slot.holiday) continue;
    const weekday = Number(o.slot.key.split(':')[0]);
    let d = days.get(o.slot.date);
    if (!d) days.set(o.slot.date, (d = { weekday, total: 0, n: 0, slots: [] }));
    d.total += o.count;
    d.n += 1;
    d.slots.push(o);
  }
  // Whole days only (a daylight-saving day is an hour short or long); the history's first local day may be cut.
  const whole = [...days.values()].filter((d) => d.n >= perDay - perDay / 24 - 1e-9);
  const totals = new Map<number, number[]>();
  const shapeCount = new Map<string, number>();
  const typeTotal = new Map<number, number>();
  for (const d of whole) {
    const list = totals.get(d.weekday) ?? [];
    list.push(d.total);
    totals.set(d.weekday, list);
    const t = dayType(d.weekday);
    typeTotal.set(t, (typeTotal.get(t) ?? 0) + d.total);
    for (const o of d.slots) {
      const key = `${t}:${o.slot.key.split(':')[1] ?? ''}`;
      shapeCount.set(key, (shapeCount.get(key) ?? 0) + o.count);
    }
  }
  return (slot) => {
    const [wd, minute] = slot.key.split(':');
    const weekday = Number(wd);
    const t = dayType(weekday);
    const total = typeTotal.get(t) ?? 0;
    if (total <= 0) return 0;
    return mean(totals.get(weekday) ?? []) * ((shapeCount.get(`${t}:${minute ?? ''}`) ?? 0) / total);
  };
}

/**
 * A model fitted on `history` (the intervals before the origin), predicting an interval by its slot and by
 * how many weeks after the origin it falls (0 for the first week). `intervalsPerWeek` tells whole weeks apart.
 */
function fit(model: ForecastModel, history: readonly Observation[], intervalsPerWeek: number): Fitted {
  const slots = bySlot(history);
  const lastOf = (key: string, k: number) => (slots.get(key) ?? []).slice(-k);
  switch (model) {
    case 'seasonal_naive':
      return (slot) => lastOf(slot.key, 1)[0] ?? 0;
    case 'seasonal_mean_4w':
      return (slot) => mean(lastOf(slot.key, 4));
    case 'seasonal_mean_8w':
      return (slot) => mean(lastOf(slot.key, 8));
    case 'seasonal_trend': {
      // The shape of the week from the last 8 weeks; its level from a line through the weekly totals.
      const weeks: number[] = [];
      for (let end = history.length; end - intervalsPerWeek >= 0 && weeks.length < 8; end -= intervalsPerWeek) {
        weeks.unshift(history.slice(end - intervalsPerWeek, end).reduce((s, o) => s + o.count, 0));
      }
      const recentMean = mean(weeks);
      return (slot, weeksAhead) => {
        const shape = mean(lastOf(slot.key, 8));
        if (recentMean <= 0) return shape;
        const level = Math.max(0, linearAt(weeks, weeks.length - 1 + 1 + weeksAhead));
        return shape * (level / recentMean);
      };
    }
    case 'day_profile':
      return fitDayProfile(history, intervalsPerWeek);
    case 'day_profile_blend': {
      // Half the slot's own 8-week mean, half the pooled day profile: half the profile's bias, less than the
      // slot mean's noise.
      const profile = fitDayProfile(history, intervalsPerWeek);
      return (slot) => (mean(lastOf(slot.key, 8)) + profile(slot)) / 2;
    }
  }
}

/** What arrived on the holidays of `history` against what `fitted` expects of such slots (1 when none were seen). */
function holidayFactorOf(history: readonly Observation[], fitted: Fitted): number {
  let actual = 0;
  let expected = 0;
  for (const o of history) if (o.slot.holiday) { actual += o.count; expected += fitted(o.slot, -1); }
  return expected > 0 ? actual / expected : 1;
}

function wape(actual: readonly number[], predicted: readonly number[]): number | null {
  const total = actual.reduce((s, a) => s + a, 0);
  if (total <= 0) return null;
  let err = 0;
  actual.forEach((a, i) => { err += Math.abs(a - (predicted[i] ?? 0)); });
  return (err / total) * 100;
}

/** The forecast for the `horizonIntervals` intervals that follow the series. */
export function forecastArrivals(series: ArrivalSeries, horizonIntervals: number, options: ForecastOptions): Forecast {
  const isHoliday = options.isHoliday ?? (() => false);
  const intervalMs = series.intervalMinutes * 60_000;
  if (!Number.isInteger(WEEK_MS / intervalMs)) throw new RangeError('intervalMinutes must divide a week');
  const perWeek = WEEK_MS / intervalMs;
  const backtestWeeks = options.backtestWeeks ?? 4;
  const obs: Observation[] = series.counts.map((count, index) => ({ count, index, slot: slotOf(series.startMs + index * intervalMs, options.zone, isHoliday) }));

  // Backtest each model: each held-out week is forecast from everything before it, holidays included — a holiday in
  // a held-out week is forecast as the forecaster would have then (the ordinary slot × the holiday factor of the
  // weeks before it), so the score is the spec's WAPE over every interval of the last weeks.
  const backtest = {} as Record<ForecastModel, number | null>;
  const canBacktest = obs.length >= perWeek * (backtestWeeks + 1);
  const predictions = new Map<ForecastModel, number[]>();
  const heldOut: number[] = [];
  if (canBacktest) for (const o of obs.slice(obs.length - backtestWeeks * perWeek)) heldOut.push(o.count);
  for (const model of FORECAST_MODELS) {
    if (!canBacktest) { backtest[model] = null; continue; }
    const predicted: number[] = [];
    for (let w = backtestWeeks; w >= 1; w -= 1) {
      const origin = obs.length - w * perWeek;
      const train = obs.slice(0, origin);
      const fitted = fit(model, train, perWeek);
      const factor = holidayFactorOf(train, fitted);
      for (const o of obs.slice(origin, origin + perWeek)) predicted.push(fitted(o.slot, 0) * (o.slot.holiday ? factor : 1));
    }
    backtest[model] = wape(heldOut, predicted);
    predictions.set(model, predicted);
  }
  // The lowest error wins; on a tie, the simpler model (earlier in the list).
  let chosen: ForecastModel = 'seasonal_mean_4w';
  let best = Number.POSITIVE_INFINITY;
  for (const model of FORECAST_MODELS) {
    const e = backtest[model];
    if (e !== null && e < best - 1e-9) { best = e; chosen = model; }
  }

  const fitted = fit(chosen, obs, perWeek);
  const holidayFactor = holidayFactorOf(obs, fitted);

  // The band: backtest residuals relative to a Poisson spread (overdispersion k), 95 % two-sided.
  const chosenPredictions = predictions.get(chosen) ?? [];
  const k = heldOut.length === 0 ? 1 : Math.max(1, Math.sqrt(mean(heldOut.map((a, i) => (a - (chosenPredictions[i] ?? 0)) ** 2 / Math.max(chosenPredictions[i] ?? 0, 1)))));

  const intervals: ForecastInterval[] = [];
  const firstMs = series.startMs + obs.length * intervalMs;
  for (let i = 0; i < horizonIntervals; i += 1) {
    const ms = firstMs + i * intervalMs;
    const slot = slotOf(ms, options.zone, isHoliday);
    const base = fitted(slot, Math.floor(i / perWeek));
    const expected = slot.holiday ? base * holidayFactor : base;
    const spread = 1.96 * k * Math.sqrt(Math.max(expected, 1));
    intervals.push({ start: new Date(ms).toISOString(), expected, low: Math.max(0, expected - spread), high: expected + spread, holiday: slot.holiday });
  }
  return { model: chosen, backtest, backtestErrorPct: canBacktest ? backtest[chosen] : null, backtestWeeks, holidayFactor, intervals };
}
