import { describe, expect, it } from 'vitest';
import { bucketOf, timeBuckets } from './buckets.ts';

describe('trend buckets', () => {
  it("cuts local days of the viewer's zone, 23 hours on the spring DST day", () => {
    const b = timeBuckets(new Date('2025-03-29T12:00:00Z'), new Date('2025-04-01T00:00:00Z'), 'day', 'Europe/Berlin');
    expect(b?.map((x) => x.label)).toEqual(['2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01']);
    expect(b?.[0]?.start.toISOString()).toBe('2025-03-28T23:00:00.000Z');
    expect(b?.[1]?.start.toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(b?.[2]?.start.toISOString()).toBe('2025-03-30T22:00:00.000Z'); // after the change: UTC+2
    expect((b?.[1]?.end.getTime() ?? 0) - (b?.[1]?.start.getTime() ?? 0)).toBe(23 * 3_600_000);
  });

  it('starts weeks on Monday and finds the bucket of an instant', () => {
    const b = timeBuckets(new Date('2025-03-12T00:00:00Z'), new Date('2025-03-20T00:00:00Z'), 'week', 'UTC') ?? [];
    expect(b.map((x) => x.label)).toEqual(['2025-03-10', '2025-03-17']);
    expect(bucketOf(b, new Date('2025-03-16T23:59:59Z'))).toBe(0);
    expect(bucketOf(b, new Date('2025-03-17T00:00:00Z'))).toBe(1);
    expect(bucketOf(b, new Date('2025-03-24T00:00:00Z'))).toBe(-1);
    expect(bucketOf(b, new Date('2025-03-01T00:00:00Z'))).toBe(-1);
  });

  it('refuses an axis longer than five years of days', () => {
    expect(timeBuckets(new Date('2000-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 'day', 'UTC')).toBeNull();
    // Weeks from Monday 1999-12-27 (2000-01-01 was a Saturday) to the one holding 2026-01-01.
    const weeks = Math.ceil((Date.parse('2026-01-01T00:00:00Z') - Date.parse('1999-12-27T00:00:00Z')) / (7 * 86_400_000));
    expect(timeBuckets(new Date('2000-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 'week', 'UTC')).toHaveLength(weeks);
  });
});
