// Property tests on random valid calendars, and a cross-check against a slow, obviously-correct
// reference that walks UTC minutes with Luxon. The reference lives only here.

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compileCalendar, WEEKDAYS } from './index.ts';
import type { BusinessCalendar, CalendarSpec, HoursInterval, Weekday } from './index.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo', 'Pacific/Chatham'] as const;
const RANGE_FROM = Date.UTC(2017, 0, 1);
const RANGE_TO = Date.UTC(2027, 0, 1);

// ---------- random calendars ----------

type Range = { start: number; end: number };
type RandomWeek = readonly (readonly Range[])[];

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Keeps the intervals that do not overlap earlier ones, as validation would demand. */
function normalizeDay(raw: readonly (readonly [number, number])[]): Range[] {
  const kept: Range[] = [];
  for (const [s, e] of raw) {
    const range = { start: s, end: e > s ? e : e + 1440 };
    if (!kept.some((k) => k.start < range.end && range.start < k.end)) kept.push(range);
  }
  return kept;
}

// Quarter hours hit the DST edges (02:00, 02:30, 03:00) often; any minute hits everything else.
const minuteArb = fc.oneof(fc.integer({ min: 0, max: 95 }).map((q) => q * 15), fc.integer({ min: 0, max: 1439 }));
const endArb = fc.oneof(minuteArb, fc.constant(1440));
const dayArb = fc.array(fc.tuple(minuteArb, endArb), { maxLength: 3 }).map(normalizeDay);
const weekArb: fc.Arbitrary<RandomWeek> = fc.array(dayArb, { minLength: 7, maxLength: 7 }).map((week) =>
  week.every((d) => d.length === 0) ? [[{ start: 540, end: 1020 }], ...week.slice(1)] : week,
);

function toSpec(zone: string, week: RandomWeek, holidays: readonly string[]): CalendarSpec {
  const hours: Partial<Record<Weekday, HoursInterval[]>> = {};
  week.forEach((ranges, i) => {
    const day = WEEKDAYS[i];
    if (day === undefined || ranges.length === 0) return;
    hours[day] = ranges.map((r): HoursInterval => [hhmm(r.start), r.end === 1440 ? '24:00' : hhmm(r.end % 1440)]);
  });
  return { timezone: zone, hours, holidays };
}

// ---------- DST transitions (so random instants land near them often) ----------

const luxonOffsetMs = (zone: string, t: number): number => DateTime.fromMillis(t, { zone }).offset * MIN;

function transitionsOf(zone: string): number[] {
  const found: number[] = [];
  for (let t = RANGE_FROM; t < RANGE_TO; t += DAY) {
    if (luxonOffsetMs(zone, t) === luxonOffsetMs(zone, t + DAY)) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > MIN) {
      const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
      if (luxonOffsetMs(zone, mid) === luxonOffsetMs(zone, t)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}

const TRANSITIONS = new Map<string, number[]>(ZONES.map((z) => [z, transitionsOf(z)]));

function instantArb(zone: string, granularity: number): fc.Arbitrary<number> {
  const transitions = TRANSITIONS.get(zone) ?? [];
  const uniform = fc.integer({ min: RANGE_FROM / granularity, max: RANGE_TO / granularity }).map((k) => k * granularity);
  if (transitions.length === 0) return uniform;
  const nearTransition = fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: (-2 * DAY) / granularity, max: HOUR / granularity }))
    .map(([tr, k]) => tr + k * granularity);
  return fc.oneof(uniform, nearTransition);
}

const holidayDatesArb = (t: number): fc.Arbitrary<string[]> =>
  fc.array(fc.integer({ min: -3, max: 5 }), { maxLength: 3 }).map((ks) => ks.map((k) => new Date(t + k * DAY).toISOString().slice(0, 10)));

// ---------- algebraic laws ----------

const caseArb = (zone: string) =>
  fc
    .record({
      week: weekArb,
      t: instantArb(zone, 1),
      dt: fc.integer({ min: 0, max: 3 * DAY }),
      m1: fc.integer({ min: 0, max: 2 * DAY }),
      m2: fc.integer({ min: 0, max: 2 * DAY }),
      holidaySeed: fc.integer({ min: 0, max: 1 }),
    })
    .chain((c) => holidayDatesArb(c.t).map((holidays) => ({ ...c, holidays: c.holidaySeed === 0 ? [] : holidays })));

function checkLaws(cal: BusinessCalendar, t: number, dt: number, m1: number, m2: number): void {
  const add = (x: number, m: number): number => cal.addBusinessMs(x, m);
  const between = (a: number, b: number): number => cal.businessMsBetween(a, b);
  const due = add(t, m1);
  expect(between(t, due)).toBe(m1);
  expect(add(t, 0)).toBe(t);
  expect(add(t, m1)).toBeLessThanOrEqual(add(t + dt, m1));
  expect(add(t, Math.min(m1, m2))).toBeLessThanOrEqual(add(t, Math.max(m1, m2)));
  expect(add(due, m2)).toBe(add(t, m1 + m2));
  const [a, b, c] = [t, t + dt, t + dt + m2];
  expect(between(a, b) + between(b, c)).toBe(between(a, c));
  expect(between(a, b)).toBeLessThanOrEqual(b - a);
  expect(between(b, a)).toBe(0);
  const next = cal.nextOpening(t);
  expect(next).not.toBeNull();
  expect(cal.isOpen(t)).toBe(next === t);
  if (next !== null) {
    expect(between(t, next)).toBe(0);
    expect(cal.isOpen(next)).toBe(true);
  }
  // The due instant is the earliest: a millisecond earlier the target is not yet reached.
  if (m1 > 0) expect(between(t, due - 1)).toBe(m1 - 1);
}

describe.each(ZONES)('laws on random calendars in %s', (zone) => {
  it('add/between are inverse, monotone, compose, additive, bounded', () => {
    fc.assert(
      fc.property(caseArb(zone), ({ week, t, dt, m1, m2, holidays }) => {
        checkLaws(compileCalendar(toSpec(zone, week, holidays)), t, dt, m1, m2);
      }),
      { numRuns: 120 },
    );
  });
});

// ---------- reference: walk UTC minutes with Luxon ----------

type Reference = { from: number; open: Uint8Array };

/** Luxon's offset for each minute; asked per minute only in hours whose two ends differ. */
function minuteOffsets(zone: string, from: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let h = 0; h < n; h += 60) {
    const o1 = luxonOffsetMs(zone, from + h * MIN);
    const o2 = luxonOffsetMs(zone, from + (h + 60) * MIN);
    for (let i = h; i < Math.min(h + 60, n); i++) out[i] = o1 === o2 ? o1 : luxonOffsetMs(zone, from + i * MIN);
  }
  return out;
}

/**
 * Marks every open UTC minute of [from, to). Local times resolve by scanning: the first minute
 * whose wall clock equals L (first occurrence); if none (a DST gap), L read with the offset in
 * force before the gap (moved forward by the gap). Each local date's intervals are laid down
 * unless the date is a holiday.
 */
function buildReference(spec: CalendarSpec, week: RandomWeek, from: number, to: number): Reference {
  const n = (to - from) / MIN;
  const offsets = minuteOffsets(spec.timezone, from, n);
  const wallOf = new Float64Array(n);
  const firstAt = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const u = from + i * MIN;
    const local = u + (offsets[i] ?? 0);
    wallOf[i] = local;
    if (!firstAt.has(local)) firstAt.set(local, u);
  }
  const resolve = (local: number): number => {
    const exact = firstAt.get(local);
    if (exact !== undefined) return exact;
    for (let i = 1; i < n; i++) {
      if ((wallOf[i] ?? 0) > local) return local - (offsets[i - 1] ?? 0);
    }
    throw new Error('reference window too small');
  };
  const holidays = new Set(spec.holidays ?? []);
  const open = new Uint8Array(n);
  // Local dates whose intervals (up to two days long) fall inside the window with room to spare.
  for (let day = Math.floor(from / DAY) + 2; day <= Math.floor(to / DAY) - 3; day++) {
    const date = DateTime.fromMillis(day * DAY, { zone: 'UTC' });
    if (holidays.has(date.toISODate() ?? '')) continue;
    const ranges = week[date.weekday - 1] ?? [];
    for (const r of ranges) {
      const s = resolve(day * DAY + r.start * MIN);
      const e = resolve(day * DAY + r.end * MIN);
      for (let u = s; u < e; u += MIN) open[(u - from) / MIN] = 1;
    }
  }
  return { from, open };
}

const refIsOpen = (ref: Reference, u: number): boolean => ref.open[(u - ref.from) / MIN] === 1;

function refBetween(ref: Reference, a: number, b: number): number {
  let sum = 0;
  for (let u = a; u < b; u += MIN) if (refIsOpen(ref, u)) sum += MIN;
  return sum;
}

function refAdd(ref: Reference, t: number, minutes: number, limit: number): number | null {
  if (minutes === 0) return t;
  let left = minutes;
  for (let u = t; u < limit; u += MIN) {
    if (refIsOpen(ref, u) && --left === 0) return u + MIN;
  }
  return null;
}

describe('cross-check against a minute-walking Luxon reference', () => {
  const refCaseArb = fc
    .constantFrom(...ZONES)
    .chain((zone) =>
      fc.record({
        zone: fc.constant(zone),
        week: weekArb,
        t: instantArb(zone, MIN),
        minutes: fc.integer({ min: 0, max: 600 }),
        span: fc.integer({ min: 0, max: 2 * 24 * 60 }),
        probes: fc.array(fc.integer({ min: 0, max: 2 * 24 * 60 }), { minLength: 1, maxLength: 5 }),
        withHolidays: fc.boolean(),
      }),
    )
    .chain((c) => holidayDatesArb(c.t).map((holidays) => ({ ...c, holidays: c.withHolidays ? holidays : [] })));

  it('agrees on isOpen, businessMsBetween and addBusinessMs', () => {
    fc.assert(
      fc.property(refCaseArb, ({ zone, week, t, minutes, span, probes, holidays }) => {
        const spec = toSpec(zone, week, holidays);
        const cal = compileCalendar(spec);
        // Complete from t to about t + 2.4 days (see the day range in buildReference).
        const ref = buildReference(spec, week, t - 4 * DAY, t + 6 * DAY);
        const limit = t + 2 * DAY;
        for (const p of probes) expect(cal.isOpen(t + p * MIN)).toBe(refIsOpen(ref, t + p * MIN));
        expect(cal.businessMsBetween(t, t + span * MIN)).toBe(refBetween(ref, t, t + span * MIN));
        expect(cal.businessMsBetween(t, limit)).toBe(refBetween(ref, t, limit));
        const expected = refAdd(ref, t, minutes, limit);
        if (expected !== null) expect(cal.addBusinessMs(t, minutes * MIN)).toBe(expected);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
