// Exact percentiles from binned durations (docs/kpis.md, "The rollup"): the rollup's day level keeps each duration in
// a fine bin (bounds below, 10 % apart), so a percentile needs the bins' counts to find which bin holds its rank and
// then only that bin's values, sorted, for the exact value — never every value of the period.

/**
 * Bin bounds in minutes: 0, then 0.1 × 1.1^k (six significant digits) up to beyond three years. Bin b holds the
 * values v with BOUNDS[b-1] <= v < BOUNDS[b] — PostgreSQL's `width_bucket(v, bounds)`, which `binOf` mirrors with
 * the same comparisons of the same doubles, so a value lands in the same bin on both sides. Changing them needs a
 * rebuild of the rollup (the stored bins would no longer match).
 */
export const DURATION_BOUNDS: readonly number[] = (() => {
  const bounds = [0];
  for (let x = 0.1; x < 2_000_000; x *= 1.1) bounds.push(Number(x.toPrecision(6)));
  return bounds;
})();

/** The bounds as a PostgreSQL float8[] literal (each double printed so that it reads back as itself). */
export const DURATION_BOUNDS_SQL = `'{${DURATION_BOUNDS.map(String).join(',')}}'::float8[]`;

/** `width_bucket(v, DURATION_BOUNDS)`: how many bounds are <= v (0 below the first). */
export function binOf(v: number): number {
  let lo = 0;
  let hi = DURATION_BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((DURATION_BOUNDS[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The two 0-based ranks `percentile_cont(q)` interpolates between over n values, and the weight of the second. */
export function percentileRanks(q: number, n: number): { lo: number; hi: number; frac: number } {
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  return { lo, hi: Math.ceil(pos), frac: pos - lo };
}

/** Which bin holds the value of 0-based rank `rank`, and its rank among that bin's values (bins: bin → count). */
export function locateRank(bins: ReadonlyMap<number, number>, rank: number): { bin: number; offset: number } | null {
  let before = 0;
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    const n = bins.get(bin) ?? 0;
    if (rank < before + n) return { bin, offset: rank - before };
    before += n;
  }
  return null;
}

/** PostgreSQL's interpolation (float8_lerp): lo + frac × (hi − lo). */
export const lerp = (lo: number, hi: number, frac: number): number => lo + frac * (hi - lo);

/**
 * percentile_cont(q) of n values whose bin counts are `bins`, given `valuesOf(bin)` — every value of that bin.
 * Null for no values.
 */
export function binnedPercentile(q: number, bins: ReadonlyMap<number, number>, valuesOf: (bin: number) => readonly number[]): number | null {
  const n = [...bins.values()].reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const { lo, hi, frac } = percentileRanks(q, n);
  const at = (rank: number): number => {
    const where = locateRank(bins, rank);
    if (!where) throw new Error(`rank ${rank} is outside ${n} binned values`);
    const values = [...valuesOf(where.bin)].sort((a, b) => a - b);
    const v = values[where.offset];
    if (v === undefined) throw new Error(`bin ${where.bin} holds ${values.length} values, counted ${bins.get(where.bin)}`);
    return v;
  };
  const first = at(lo);
  return hi === lo ? first : lerp(first, at(hi), frac);
}
