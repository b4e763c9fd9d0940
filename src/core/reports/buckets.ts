import { DateTime } from 'luxon';

// The trend's time axis: local days or ISO weeks (Monday first) of a zone, as UTC instants. A local day is not 24
// hours on a DST change, so buckets are cut by the zone's calendar, never by adding milliseconds.

export type Interval = 'day' | 'week';
export type Bucket = { label: string; start: Date; end: Date };

/** At most this many buckets (five years of days): a wider request is refused rather than computed. */
export const MAX_BUCKETS = 1900;

/**
 * The buckets that meet [from, to): each a whole local day/week, the first starting at or before `from` and the last
 * ending at or after `to`, labelled by its first local day (yyyy-MM-dd). Null when there would be more than MAX_BUCKETS.
 */
export function timeBuckets(from: Date, to: Date, interval: Interval, zone: string): Bucket[] | null {
  const out: Bucket[] = [];
  let start = DateTime.fromJSDate(from, { zone }).startOf(interval === 'week' ? 'week' : 'day');
  while (start.toMillis() < to.getTime()) {
    if (out.length >= MAX_BUCKETS) return null;
    const end = start.plus(interval === 'week' ? { weeks: 1 } : { days: 1 });
    out.push({ label: start.toISODate() ?? '', start: start.toJSDate(), end: end.toJSDate() });
    start = end;
  }
  return out;
}

/** The index of the bucket holding `at`, or -1 (binary search: buckets are sorted and contiguous). */
export function bucketOf(buckets: readonly Bucket[], at: Date): number {
  const ms = at.getTime();
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid] as Bucket;
    if (ms < b.start.getTime()) hi = mid - 1;
    else if (ms >= b.end.getTime()) lo = mid + 1;
    else return mid;
  }
  return -1;
}
