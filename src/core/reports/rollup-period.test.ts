import { describe, expect, it } from 'vitest';
import { hoursAreLocalHours, splitDays, splitPeriod } from './rollup-period.ts';

const d = (s: string) => new Date(s);

describe('splitPeriod', () => {
  it('reads whole hours from the rollup and the partial hours at both edges from the base tables', () => {
    expect(splitPeriod(d('2026-03-01T10:15:00Z'), d('2026-03-02T08:40:00Z'))).toEqual({
      hourFrom: d('2026-03-01T11:00:00Z'), hourTo: d('2026-03-02T08:00:00Z'),
      edges: [[d('2026-03-01T10:15:00Z'), d('2026-03-01T11:00:00Z')], [d('2026-03-02T08:00:00Z'), d('2026-03-02T08:40:00Z')]],
    });
  });
  it('has no edges for a period of whole hours (a Berlin day on the DST change: 23 hours)', () => {
    const s = splitPeriod(d('2026-03-28T23:00:00Z'), d('2026-03-29T22:00:00Z'));
    expect(s.edges).toEqual([]);
    expect((s.hourTo.getTime() - s.hourFrom.getTime()) / 3_600_000).toBe(23);
  });
  it('reads a period within one hour from the base tables only', () => {
    const s = splitPeriod(d('2026-03-01T10:15:00Z'), d('2026-03-01T10:45:00Z'));
    expect(s.hourFrom).toEqual(s.hourTo);
    expect(s.edges).toEqual([[d('2026-03-01T10:15:00Z'), d('2026-03-01T10:45:00Z')]]);
    expect(splitPeriod(d('2026-03-01T10:15:00Z'), d('2026-03-01T10:15:00Z')).edges).toEqual([]);
  });
});

describe('splitDays', () => {
  it('reads whole UTC days from the day level, the hours around them hourly, the partial hours from the base tables', () => {
    expect(splitDays(d('2026-03-01T10:15:00Z'), d('2026-03-04T08:40:00Z'))).toEqual({
      dayFrom: d('2026-03-02T00:00:00Z'), dayTo: d('2026-03-04T00:00:00Z'),
      hours: [[d('2026-03-01T11:00:00Z'), d('2026-03-02T00:00:00Z')], [d('2026-03-04T00:00:00Z'), d('2026-03-04T08:00:00Z')]],
      edges: [[d('2026-03-01T10:15:00Z'), d('2026-03-01T11:00:00Z')], [d('2026-03-04T08:00:00Z'), d('2026-03-04T08:40:00Z')]],
    });
  });
  it('has no day part for a period without a whole UTC day, and nothing hourly within one hour', () => {
    const s = splitDays(d('2026-03-28T23:00:00Z'), d('2026-03-29T22:00:00Z'));
    expect(s.dayFrom).toEqual(s.dayTo);
    expect(s.hours).toEqual([[d('2026-03-28T23:00:00Z'), d('2026-03-29T22:00:00Z')]]);
    expect(splitDays(d('2026-03-01T10:15:00Z'), d('2026-03-01T10:45:00Z')).hours).toEqual([]);
    expect(splitDays(d('2026-03-01T00:00:00Z'), d('2026-03-02T00:00:00Z'))).toEqual({
      dayFrom: d('2026-03-01T00:00:00Z'), dayTo: d('2026-03-02T00:00:00Z'), hours: [], edges: [] });
  });
});

describe('hoursAreLocalHours', () => {
  it('is true for zones with whole-hour offsets, across DST', () => {
    expect(hoursAreLocalHours('Europe/Berlin', d('2026-01-01T00:00:00Z'), d('2027-01-01T00:00:00Z'))).toBe(true);
    expect(hoursAreLocalHours('UTC', d('2026-01-01T00:00:00Z'), d('2026-02-01T00:00:00Z'))).toBe(true);
  });
  it('is false where an offset has half or quarter hours, even for part of the period', () => {
    expect(hoursAreLocalHours('Asia/Kolkata', d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'))).toBe(false);
    expect(hoursAreLocalHours('Asia/Kathmandu', d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'))).toBe(false);
    // Lord Howe: +11 in summer, +10:30 in winter.
    expect(hoursAreLocalHours('Australia/Lord_Howe', d('2026-01-01T00:00:00Z'), d('2026-02-01T00:00:00Z'))).toBe(true);
    expect(hoursAreLocalHours('Australia/Lord_Howe', d('2026-01-01T00:00:00Z'), d('2027-01-01T00:00:00Z'))).toBe(false);
  });
});
