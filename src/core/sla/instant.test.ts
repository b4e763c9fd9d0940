import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from './instant.ts';

describe('parseInstant', () => {
  it.each([
    ['2025-03-10T10:00:00Z', Date.UTC(2025, 2, 10, 10)],
    ['2025-03-10T10:00Z', Date.UTC(2025, 2, 10, 10)],
    ['2025-03-10T11:00:00+01:00', Date.UTC(2025, 2, 10, 10)],
    ['2025-03-10T05:30:00-04:30', Date.UTC(2025, 2, 10, 10)],
    ['2025-03-10T10:00:00.250Z', Date.UTC(2025, 2, 10, 10, 0, 0, 250)],
    ['2025-03-10T10:00:00.123456Z', Date.UTC(2025, 2, 10, 10, 0, 0, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2025-03-10t10:00:00z', Date.UTC(2025, 2, 10, 10)],
    // ISO 8601 also writes offsets as ±HHMM and ±HH.
    ['2025-03-10T11:00:00+0100', Date.UTC(2025, 2, 10, 10)],
    ['2025-03-10T12:00:00+02', Date.UTC(2025, 2, 10, 10)],
    ['2025-03-10T04:30:00-0530', Date.UTC(2025, 2, 10, 10)],
  ])('%s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each([
    '2025-03-10T10:00:00', // no offset
    '2025-03-10',
    '2025-03-10 10:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-03-10T25:00:00Z',
    '2025-03-10T24:00:00Z',
    '2025-03-10T10:60:00Z',
    '2025-03-10T10:00:61Z',
    '2025-03-10T10:00:00+1',
    '2025-03-10T10:00:00+01:0',
    '2025-03-10T10:00:00+2400',
    '2025-03-10T10:00:00+24:00',
    'yesterday',
    '',
  ])('rejects %s', (text) => {
    expect(parseInstant(text)).toBeNull();
  });
});

describe('formatInstant', () => {
  it('prints UTC with Z and no milliseconds when they are zero', () => {
    expect(formatInstant(Date.UTC(2025, 2, 11, 12))).toBe('2025-03-11T12:00:00Z');
  });
  it('prints milliseconds when non-zero', () => {
    expect(formatInstant(Date.UTC(2025, 2, 11, 12, 0, 0, 5))).toBe('2025-03-11T12:00:00.005Z');
  });
});
