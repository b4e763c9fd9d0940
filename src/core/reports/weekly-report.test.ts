import { describe, expect, it } from 'vitest';
import { renderWeeklyReport, weeklyWindow, WEEKLY_LANGUAGES } from './weekly-report.ts';

const numbers = { volume: 12, solved: 9, firstResponseP50: 42.25, averageResponseMean: 61, resolutionP50: 300, compliancePct: 87.5, csatResponses: 4, satisfiedPct: 75, lowScores: 1, followUpRatePct: null };

describe('weeklyWindow', () => {
  it('turns at Monday 08:00 local, and last week is Monday 00:00 to Monday 00:00 local', () => {
    const before = weeklyWindow(new Date('2025-03-17T06:59:00Z'), 'Europe/Berlin');
    expect(before.weekStart).toBe('2025-03-10');
    const after = weeklyWindow(new Date('2025-03-17T07:00:00Z'), 'Europe/Berlin');
    expect(after).toEqual({
      weekStart: '2025-03-17', sendAt: new Date('2025-03-17T07:00:00Z'),
      from: new Date('2025-03-09T23:00:00Z'), to: new Date('2025-03-16T23:00:00Z'),
    });
    // Sunday evening in New York is already Monday in Tokyo.
    expect(weeklyWindow(new Date('2025-03-16T23:30:00Z'), 'Asia/Tokyo').weekStart).toBe('2025-03-17');
    expect(weeklyWindow(new Date('2025-03-16T23:30:00Z'), 'America/New_York').weekStart).toBe('2025-03-10');
  });

  it('a week across the spring DST change is 167 hours', () => {
    // Berlin moved its clocks on Sunday 2025-03-30.
    const w = weeklyWindow(new Date('2025-03-31T12:00:00Z'), 'Europe/Berlin');
    expect(w.weekStart).toBe('2025-03-31');
    expect((w.to.getTime() - w.from.getTime()) / 3_600_000).toBe(167);
    expect(w.sendAt.toISOString()).toBe('2025-03-31T06:00:00.000Z');
  });
});

describe('renderWeeklyReport', () => {
  it('speaks each of the four languages, and English otherwise', () => {
    const w = weeklyWindow(new Date('2025-03-17T08:00:00Z'), 'UTC');
    const subjects = WEEKLY_LANGUAGES.map((l) => renderWeeklyReport(l, 'UTC', w, numbers, 'https://x.test/reports').subject);
    expect(new Set(subjects).size).toBe(4);
    const bg = renderWeeklyReport('bg', 'UTC', w, numbers, 'https://x.test/reports');
    expect(bg.text).toContain('Създадени заявки: 12');
    expect(bg.text).toContain('Първи отговор (медиана): 42,3 мин');
    expect(bg.text).toContain('Проследени ниски оценки: —');
    expect(renderWeeklyReport('de', 'UTC', w, numbers, 'u').subject).toBe(renderWeeklyReport('en', 'UTC', w, numbers, 'u').subject);
    expect(renderWeeklyReport('en', 'UTC', w, numbers, 'u').text).toContain('Tickets created: 12');
  });
});
