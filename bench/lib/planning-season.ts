// bench:planning's generative process for arrivals (issue 19 item 8): one process for the whole history, the last
// week included — every seeded ticket, settled or still open, arrives by it. Per group and channel, the rate of an
// hour is (the group's weekday weight) × (the channel's time-of-day profile in the group's local time) × (a holiday's
// dip), flat from week to week; the seed draws each ticket's hour from that density (multinomial counts: Poisson noise
// per interval). The bench knows the true rates, so it can say what an oracle forecaster would score.
//
// The shapes are those of a helpdesk, not of the forecaster: weekdays heavier on Monday, a weekend tenth; phone in
// office hours with a late-morning and an early-afternoon peak; web forms into the evening; e-mail spread wider;
// API tickets around the clock. Customers write in their own local time: the seed's requesters are in London (en),
// Moscow (ru), Sofia (bg) and Shanghai (zh), drawn 60/15/15/10 % — their winter offsets from UTC are used all along
// (the history's first two weeks are in European summer time; a fixed offset keeps the process one process).

export const SEASON_CHANNELS = ['email', 'web_form', 'phone', 'api'] as const;
export type SeasonChannel = (typeof SEASON_CHANNELS)[number];

/** Day indexes (0 = the first day of the history, a Monday) on which the team is closed and arrivals fall to HOLIDAY_LEVEL. */
export const HOLIDAY_DAYS_FROM_START = [10, 45] as const; // Thursdays of the 2nd and 7th weeks of 8
export const HOLIDAY_LEVEL = 0.25;

const gauss = (h: number, mu: number, sigma: number) => Math.exp(-(((h - mu) / sigma) ** 2) / 2);

/** Relative rate of a local hour of the day (its middle, h + 0.5). */
export function dailyProfile(channel: SeasonChannel, hour: number): number {
  const h = hour + 0.5;
  switch (channel) {
    case 'phone': return 0.01 + gauss(h, 10.5, 1.6) + 0.8 * gauss(h, 14.5, 1.8);
    case 'web_form': return 0.04 + gauss(h, 11, 2.5) + 0.6 * gauss(h, 20, 2.2);
    case 'email': return 0.06 + gauss(h, 10, 2.2) + 0.7 * gauss(h, 15, 2.6);
    case 'api': return 0.35 + 0.4 * gauss(h, 13, 4);
  }
}

const WEEKDAY = [1.25, 1.15, 1.1, 1.05, 0.95, 0.12, 0.1]; // Monday … Sunday

/** The seed's requester languages, their share of tickets (seed-scale's r_lang thresholds) and UTC offset in hours. */
export const SEASON_LANGUAGES = [
  { language: 'en', share: 0.6, offset: 0 },
  { language: 'ru', share: 0.15, offset: 3 },
  { language: 'bg', share: 0.15, offset: 2 },
  { language: 'zh', share: 0.1, offset: 8 },
] as const;

/** Group k (0-based, in the seed's group order): its weekday weights and channel mix. */
export function groupShape(k: number): { weekday: number[]; channels: Record<SeasonChannel, number> } {
  const tilt = ((k * 37) % 11) / 10 - 0.5; // −0.5 … +0.5: how much heavier the start of the week is
  return {
    weekday: WEEKDAY.map((w, d) => (d < 5 ? w * (1 + 0.15 * tilt * (2 - d)) : w * (1 + 0.3 * (((k * 13) % 5) / 4 - 0.5)))),
    channels: {
      email: 0.45 - 0.04 * (k % 4),
      web_form: 0.22 + 0.03 * (k % 3),
      phone: 0.18 + 0.02 * (k % 5),
      api: 0.15 - 0.01 * (k % 4),
    },
  };
}

export type SeasonRow = { k: number; gk: number; language: string; channel: SeasonChannel; lo: number; hi: number; days: number[]; hours: number[][] };

/**
 * Per group (0 … groups − 1), language and channel: the channel's share of the group's tickets as [lo, hi) of a
 * uniform draw, and the distribution of the hour of arrival over the `weeks` × 168 hours of the history in two
 * stages, the day and then the hour of that day — cumulative inner thresholds, for PostgreSQL's width_bucket (two
 * short arrays per draw rather than one of 1,344 that the seed would read from TOAST for every ticket). Also the
 * true expected share of all tickets per hour, `rate`.
 */
export function seasonTable(groups: number, weeks: number, groupShare: (k: number) => number): { rows: SeasonRow[]; rate: number[] } {
  const hours = weeks * 168;
  const rate = new Array<number>(hours).fill(0);
  const rows: SeasonRow[] = [];
  for (let k = 0; k < groups; k += 1) {
    const shape = groupShape(k);
    const total = SEASON_CHANNELS.reduce((s, c) => s + shape.channels[c], 0);
    for (const lang of SEASON_LANGUAGES) {
    let lo = 0;
    for (const channel of SEASON_CHANNELS) {
      const share = shape.channels[channel] / total;
      const w: number[] = [];
      for (let s = 0; s < hours; s += 1) {
        const local = s + lang.offset;
        const day = Math.floor(local / 24);
        const weekday = ((day % 7) + 7) % 7;
        const hour = ((local % 24) + 24) % 24;
        const holiday = (HOLIDAY_DAYS_FROM_START as readonly number[]).includes(day) ? HOLIDAY_LEVEL : 1;
        w.push((shape.weekday[weekday] ?? 0) * dailyProfile(channel, hour) * holiday);
      }
      const sum = w.reduce((a, b) => a + b, 0);
      for (let s = 0; s < hours; s += 1) rate[s] = (rate[s] ?? 0) + groupShare(k) * lang.share * share * ((w[s] ?? 0) / sum);
      const dayTotals = Array.from({ length: hours / 24 }, (_, d) => w.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0));
      const days = inner(dayTotals);
      const hourCums = dayTotals.map((_, d) => inner(w.slice(d * 24, d * 24 + 24)));
      // The last channel's upper bound is past 1, so rounding never leaves a draw without a channel.
      rows.push({ k: rows.length, gk: k, language: lang.language, channel, lo, hi: channel === SEASON_CHANNELS[SEASON_CHANNELS.length - 1] ? 2 : lo + share, days, hours: hourCums });
      lo += share;
    }
    }
  }
  return { rows, rate };
}

/** The inner thresholds of a weight list's cumulative distribution: width_bucket(u, them) draws index i ∝ weights[i]. */
function inner(weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  for (let i = 0; i < weights.length - 1; i += 1) { acc += (weights[i] ?? 0) / sum; out.push(acc); }
  return out;
}

/** P(gk = k) for the seed's group draw, floor(r^1.6 × groups). */
export function seedGroupShare(groups: number): (k: number) => number {
  return (k) => ((k + 1) / groups) ** (1 / 1.6) - (k / groups) ** (1 / 1.6);
}

/** E|X − λ| for X ~ Poisson(λ): the least miss of a forecaster that knows the rate. */
export function poissonMeanAbsDeviation(lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 400) return Math.sqrt((2 * lambda) / Math.PI);
  // E|X − λ| = 2 λ P(X = ⌊λ⌋) · (⌊λ⌋ + 1) / λ … in closed form: 2 e^{−λ} λ^{⌊λ⌋+1} / ⌊λ⌋!
  const m = Math.floor(lambda);
  let logFact = 0;
  for (let i = 2; i <= m; i += 1) logFact += Math.log(i);
  return 2 * Math.exp(-lambda + (m + 1) * Math.log(lambda) - logFact);
}
