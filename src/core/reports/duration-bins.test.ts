import { describe, expect, it } from 'vitest';
import { binnedPercentile, binOf, DURATION_BOUNDS, locateRank, percentileRanks } from './duration-bins.ts';

/** percentile_cont over every value, as PostgreSQL computes it. */
function plain(q: number, xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + (pos - lo) * ((s[hi] as number) - (s[lo] as number));
}

function binned(q: number, xs: number[]): number | null {
  const byBin = new Map<number, number[]>();
  for (const x of xs) byBin.set(binOf(x), [...(byBin.get(binOf(x)) ?? []), x]);
  const counts = new Map([...byBin].map(([b, v]) => [b, v.length]));
  return binnedPercentile(q, counts, (b) => byBin.get(b) ?? []);
}

describe('duration bins', () => {
  it('are increasing and place each value between its bounds', () => {
    for (let i = 1; i < DURATION_BOUNDS.length; i++) expect(DURATION_BOUNDS[i]).toBeGreaterThan(DURATION_BOUNDS[i - 1] as number);
    expect(binOf(-5)).toBe(0);
    expect(binOf(0)).toBe(1);
    for (const v of [0.05, 0.1, 1, 59.99, 60, 1440, 123_456.7, 9e9]) {
      const b = binOf(v);
      expect(DURATION_BOUNDS[b - 1]).toBeLessThanOrEqual(v);
      if (b < DURATION_BOUNDS.length) expect(DURATION_BOUNDS[b]).toBeGreaterThan(v);
    }
  });

  it('give exactly percentile_cont of every value, ties, negatives and one value included', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const sets = [
      [42],
      [3, 3, 3, 3],
      [-2, 0, 0.5, 7, 7, 7, 1e6],
      Array.from({ length: 1001 }, () => Math.round(rnd() * 5000) / 7),
      Array.from({ length: 2000 }, () => Math.exp(rnd() * 12) - 1),
    ];
    for (const xs of sets) for (const q of [0, 0.1, 0.5, 0.9, 1]) expect(binned(q, xs), `${q} of ${xs.length}`).toBe(plain(q, xs));
    expect(binned(0.5, [])).toBeNull();
  });

  it('locate a rank in its bin', () => {
    const bins = new Map([[9, 2], [3, 5]]);
    expect(locateRank(bins, 0)).toEqual({ bin: 3, offset: 0 });
    expect(locateRank(bins, 5)).toEqual({ bin: 9, offset: 0 });
    expect(locateRank(bins, 6)).toEqual({ bin: 9, offset: 1 });
    expect(locateRank(bins, 7)).toBeNull();
    expect(percentileRanks(0.9, 11)).toEqual({ lo: 9, hi: 9, frac: 0 });
  });
});
