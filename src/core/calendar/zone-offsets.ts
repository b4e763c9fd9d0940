// UTC offsets and the local-time → instant resolution. We do not use Luxon's
// DateTime.fromObject for resolution: its first offset guess is the zone's offset at
// Settings.now(), so an ambiguous (DST overlap) wall time resolves to the first or the second
// occurrence depending on the date the code runs (see zone-offsets.test.ts). Our rule is fixed:
// overlap → first occurrence, gap → moved forward by the gap.

import { DAY_MS } from './civil-date.ts';

/** Milliseconds to add to a UTC instant to get the zone's wall clock at that instant. */
export type OffsetFn = (utcMs: number) => number;

// Modern IANA names only; Intl would also accept raw offsets such as "+02:00", which are not zones.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

export function isValidTimeZone(zone: string): boolean {
  if (!ZONE_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function partValue(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): number {
  for (const p of parts) if (p.type === type) return Number(p.value);
  return Number.NaN;
}

/** Exact offsets from the platform's tz database (whole seconds, so LMT offsets are exact too). */
export function intlOffsetFn(zone: string): OffsetFn {
  const dtf = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (utcMs) => {
    const whole = Math.floor(utcMs / 1000) * 1000;
    const parts = dtf.formatToParts(whole);
    const eraYear = partValue(parts, 'year');
    const isBc = parts.some((p) => p.type === 'era' && p.value.startsWith('B'));
    const asUtc = new Date(0);
    asUtc.setUTCFullYear(isBc ? 1 - eraYear : eraYear, partValue(parts, 'month') - 1, partValue(parts, 'day'));
    asUtc.setUTCHours(partValue(parts, 'hour'), partValue(parts, 'minute'), partValue(parts, 'second'), 0);
    return asUtc.getTime() - whole;
  };
}

/**
 * The instant of a local wall-clock time, given as "local ms" (the wall clock read as if it were
 * UTC). Assumes at most one transition within a day either side, true of every real zone.
 */
export function localToUtc(offsetAt: OffsetFn, localMs: number): number {
  const before = offsetAt(localMs - DAY_MS);
  const after = offsetAt(localMs + DAY_MS);
  const early = localMs - before;
  if (before === after) return early;
  const late = localMs - after;
  const earlyValid = offsetAt(early) === before;
  const lateValid = offsetAt(late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // In a gap neither reading exists; the pre-transition offset lands the gap's length later.
  return early;
}

const SAMPLE_STEP_MS = DAY_MS;

/**
 * A piecewise-constant copy of `base` over [fromMs, toMs]: sampled daily, transitions bisected to
 * the second. Compiling a year then costs a few hundred Intl calls instead of thousands.
 * Two transitions less than a day apart would be missed; no zone in the tz database has those.
 */
export function offsetTimeline(base: OffsetFn, fromMs: number, toMs: number): OffsetFn {
  const transitions: number[] = [];
  const offsets: number[] = [];
  let prevT = Math.floor(fromMs / 1000) * 1000;
  let prevO = base(prevT);
  offsets.push(prevO);
  while (prevT < toMs) {
    const t = Math.min(prevT + SAMPLE_STEP_MS, Math.ceil(toMs / 1000) * 1000);
    const o = base(t);
    if (o !== prevO) {
      transitions.push(bisectTransition(base, prevT, t, prevO));
      offsets.push(o);
    }
    prevT = t;
    prevO = o;
  }
  const lo = fromMs;
  const hi = toMs;
  return (utcMs) => {
    if (utcMs < lo || utcMs > hi) return base(utcMs);
    let k = 0;
    while (k < transitions.length && (transitions[k] ?? Infinity) <= utcMs) k++;
    return offsets[k] ?? base(utcMs);
  };
}

/** The first whole second in (lo, hi] whose offset differs from `loOffset`. */
function bisectTransition(base: OffsetFn, lo: number, hi: number, loOffset: number): number {
  let a = lo / 1000;
  let b = hi / 1000;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (base(mid * 1000) === loOffset) a = mid;
    else b = mid;
  }
  return b * 1000;
}
