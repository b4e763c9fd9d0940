import { DateTime, Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { intlOffsetFn, isValidTimeZone, localToUtc, offsetTimeline } from './zone-offsets.ts';

/** A wall-clock time read as if it were UTC ("local ms"). */
const wall = (text: string): number => Date.parse(`${text}Z`);
const iso = (t: number): string => new Date(t).toISOString();

type ResolveCase = { name: string; zone: string; local: string; expected: string };

describe('localToUtc', () => {
  const cases: ResolveCase[] = [
    { name: 'Berlin ordinary time', zone: 'Europe/Berlin', local: '2025-06-01T12:00:00', expected: '2025-06-01T12:00:00+02:00' },
    { name: 'Berlin gap 02:30 moves forward to 03:30 CEST', zone: 'Europe/Berlin', local: '2025-03-30T02:30:00', expected: '2025-03-30T03:30:00+02:00' },
    { name: 'Berlin gap start 02:00 is the transition instant', zone: 'Europe/Berlin', local: '2025-03-30T02:00:00', expected: '2025-03-30T03:00:00+02:00' },
    { name: 'Berlin 03:00 after the gap', zone: 'Europe/Berlin', local: '2025-03-30T03:00:00', expected: '2025-03-30T03:00:00+02:00' },
    { name: 'Berlin overlap 02:30 is the first occurrence (CEST)', zone: 'Europe/Berlin', local: '2025-10-26T02:30:00', expected: '2025-10-26T02:30:00+02:00' },
    { name: 'Berlin overlap 02:00 is the first occurrence', zone: 'Europe/Berlin', local: '2025-10-26T02:00:00', expected: '2025-10-26T02:00:00+02:00' },
    { name: 'Berlin 03:00 after the overlap exists once (CET)', zone: 'Europe/Berlin', local: '2025-10-26T03:00:00', expected: '2025-10-26T03:00:00+01:00' },
    { name: 'New York gap 02:30 → 03:30 EDT', zone: 'America/New_York', local: '2025-03-09T02:30:00', expected: '2025-03-09T03:30:00-04:00' },
    { name: 'New York overlap 01:30 → first (EDT)', zone: 'America/New_York', local: '2025-11-02T01:30:00', expected: '2025-11-02T01:30:00-04:00' },
    { name: 'Lord Howe 30-min gap 02:15 → 02:45 (+11:00)', zone: 'Australia/Lord_Howe', local: '2025-10-05T02:15:00', expected: '2025-10-05T02:45:00+11:00' },
    { name: 'Lord Howe 30-min overlap 01:45 → first (+11:00)', zone: 'Australia/Lord_Howe', local: '2025-04-06T01:45:00', expected: '2025-04-06T01:45:00+11:00' },
    { name: 'Kathmandu +05:45', zone: 'Asia/Kathmandu', local: '2025-01-01T09:00:00', expected: '2025-01-01T09:00:00+05:45' },
    { name: 'Chatham +13:45 in summer', zone: 'Pacific/Chatham', local: '2025-01-01T09:00:00', expected: '2025-01-01T09:00:00+13:45' },
    { name: 'São Paulo 2018 midnight gap: 00:30 → 01:30 (-02:00)', zone: 'America/Sao_Paulo', local: '2018-11-04T00:30:00', expected: '2018-11-04T01:30:00-02:00' },
  ];
  it.each(cases)('$name', ({ zone, local, expected }) => {
    const base = intlOffsetFn(zone);
    expect(iso(localToUtc(base, wall(local)))).toBe(iso(Date.parse(expected)));
    const timeline = offsetTimeline(base, wall(local) - 10 * 86_400_000, wall(local) + 10 * 86_400_000);
    expect(iso(localToUtc(timeline, wall(local)))).toBe(iso(Date.parse(expected)));
  });
});

describe('Luxon, checked both ways', () => {
  afterEach(() => {
    Settings.now = () => Date.now();
  });
  const fromParts = (): string | null =>
    DateTime.fromObject({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, { zone: 'Europe/Berlin' }).toISO();

  it('moves a gap time forward by the gap, like us', () => {
    expect(DateTime.fromObject({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 }, { zone: 'Europe/Berlin' }).toISO()).toBe(
      '2025-03-30T03:30:00.000+02:00',
    );
  });
  // This is why resolution does not go through DateTime.fromObject: its guess starts from the
  // offset at Settings.now(), so the overlap resolves differently in summer and in winter.
  it('resolves an overlap to the first occurrence only when "now" is in summer time', () => {
    Settings.now = () => Date.UTC(2025, 6, 1);
    expect(fromParts()).toBe('2025-10-26T02:30:00.000+02:00');
    Settings.now = () => Date.UTC(2025, 0, 1);
    expect(fromParts()).toBe('2025-10-26T02:30:00.000+01:00');
  });
  it('agrees with our offsets for UTC → local', () => {
    const base = intlOffsetFn('Australia/Lord_Howe');
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 7 * 3_600_000) {
      expect(base(t)).toBe(DateTime.fromMillis(t, { zone: 'Australia/Lord_Howe' }).offset * 60_000);
    }
  });
});

describe('offsetTimeline', () => {
  it('matches the Intl offsets every 10 minutes through a year with two transitions', () => {
    const base = intlOffsetFn('America/New_York');
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2026, 0, 1);
    const timeline = offsetTimeline(base, from, to);
    for (let t = from; t <= to; t += 600_000) expect(timeline(t)).toBe(base(t));
  });
  it('puts the transition on the exact second', () => {
    const base = intlOffsetFn('Europe/Berlin');
    const change = Date.parse('2025-03-30T01:00:00Z');
    const timeline = offsetTimeline(base, change - 86_400_000 * 3, change + 86_400_000 * 3);
    expect(timeline(change - 1)).toBe(3_600_000);
    expect(timeline(change)).toBe(7_200_000);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/Argentina/Buenos_Aires', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['Mars/Olympus_Mons', false],
    ['+02:00', false],
    ['', false],
  ])('%s → %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});
