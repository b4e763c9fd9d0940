import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, formatIsoDate, parseIsoDate, weekdayIndex } from './civil-date.ts';

describe('civil dates', () => {
  it('round-trips every day from 1600 to 2400 and agrees with Date', () => {
    let mismatches = 0;
    for (let d = daysFromCivil(1600, 1, 1); d <= daysFromCivil(2400, 12, 31); d += 1) {
      const c = civilFromDays(d);
      if (daysFromCivil(c.year, c.month, c.day) !== d) mismatches++;
    }
    expect(mismatches).toBe(0);
    for (let d = -200_000; d < 200_000; d += 997) {
      const date = new Date(d * 86_400_000);
      expect(civilFromDays(d)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      expect(weekdayIndex(d)).toBe((date.getUTCDay() + 6) % 7);
    }
  });
  it.each([
    ['2025-01-06', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-02-30', false],
    ['2025-13-01', false],
    ['2025-1-6', false],
    ['20250106', false],
  ])('parseIsoDate(%s) valid=%s', (text, valid) => {
    const day = parseIsoDate(text);
    expect(day !== null).toBe(valid);
    if (day !== null) expect(formatIsoDate(day)).toBe(text);
  });
});
