import { describe, expect, it } from 'vitest';
import { archiveCutoff, newEstimate, promiseAboutToPass, silenceCutoff } from './lifecycle.ts';

const T = Date.parse('2025-03-11T12:00:00Z');
const M = 60_000;

describe('lifecycle decisions', () => {
  it('cutoffs count wall time', () => {
    expect(new Date(silenceCutoff(T, 96)).toISOString()).toBe('2025-03-07T12:00:00.000Z');
    expect(new Date(archiveCutoff(T, 30)).toISOString()).toBe('2025-02-09T12:00:00.000Z');
  });
  it('a promise is about to pass only inside the lead, in the future, unanswered', () => {
    expect(promiseAboutToPass(T, T + 30 * M, 30, false)).toBe(true);
    expect(promiseAboutToPass(T, T + 31 * M, 30, false)).toBe(false);
    expect(promiseAboutToPass(T, T - M, 30, false)).toBe(false);
    expect(promiseAboutToPass(T, T + 10 * M, 30, true)).toBe(false);
  });
  it('the new estimate is the later of the queue prediction and one lead past the promise, rounded up to 5 minutes', () => {
    expect(new Date(newEstimate(T, 30, null)).toISOString()).toBe('2025-03-11T12:30:00.000Z');
    expect(new Date(newEstimate(T, 30, T + 10 * M)).toISOString()).toBe('2025-03-11T12:30:00.000Z');
    expect(new Date(newEstimate(T, 30, T + 92 * M)).toISOString()).toBe('2025-03-11T13:35:00.000Z');
  });
});
