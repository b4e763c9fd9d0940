import { describe, expect, it } from 'vitest';
import { formatPromiseTime } from './templates.ts';

// Review 2026-12-07 item 18: the Bulgarian acknowledgement read "ср 9 12, 03:15" (CLDR has no short
// Bulgarian month name, so a short month came out as its number).
describe('promised time names the month in every language', () => {
  const at = new Date('2026-12-09T01:15:00Z');
  it('Bulgarian spells the month', () => {
    expect(formatPromiseTime(at, 'Europe/Sofia', 'bg')).toBe('ср 9 декември, 03:15 (Europe/Sofia)');
  });
  it('no language shows the month as a bare number', () => {
    for (const language of ['en', 'ru', 'bg'] as const) {
      expect(formatPromiseTime(at, 'Europe/Sofia', language)).not.toMatch(/\b9 12\b/);
    }
  });
});
