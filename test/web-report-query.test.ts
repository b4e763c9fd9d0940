import { describe, expect, it } from 'vitest';
import { csvHref, drillHref, filterFromSearch, filterToSearch, heatLevel, localMidnight, periodOf, reportQuery } from '../web/src/features/reports/report-query.ts';

// The Reports screen's filter ↔ URL and the links it builds (web/src/features/reports/report-query.ts).

describe('report filter in the URL', () => {
  it('reads back what it writes, leaving defaults out, and ignores unknown periods', () => {
    const f = filterFromSearch(new URLSearchParams('days=7&group_id=none&channel=phone&zone=Asia/Shanghai&bogus=1'), 'Europe/Berlin');
    expect(f).toEqual({ days: 7, zone: 'Asia/Shanghai', group_id: 'none', channel: 'phone' });
    expect(filterFromSearch(filterToSearch(f, 'Europe/Berlin'), 'Europe/Berlin')).toEqual(f);
    expect(filterToSearch({ days: 30, zone: 'Europe/Berlin' }, 'Europe/Berlin').toString()).toBe('');
    expect(filterFromSearch(new URLSearchParams('days=13'), 'UTC').days).toBe(30);
  });

  it("cuts the period at the viewer's local midnights, across a DST change", () => {
    // 31 March 2025 10:00 in Berlin (UTC+2 since the 30th): 7 days back to Tuesday 25 March 00:00 (UTC+1).
    const p = periodOf(7, 'Europe/Berlin', Date.parse('2025-03-31T08:00:00Z'));
    expect(p).toEqual({ from: '2025-03-24T23:00:00.000Z', to: '2025-03-31T22:00:00.000Z' });
    expect(localMidnight(Date.parse('2025-03-30T12:00:00Z'), 'Europe/Berlin')).toBe(Date.parse('2025-03-29T23:00:00Z'));
    expect(localMidnight(Date.parse('2025-10-26T12:00:00Z'), 'Europe/Berlin')).toBe(Date.parse('2025-10-25T22:00:00Z'));
    expect(localMidnight(Date.parse('2025-03-30T12:00:00Z'), 'UTC')).toBe(Date.parse('2025-03-30T00:00:00Z'));
  });

  it('builds the API query, the drill-down link with the row filter and the CSV link', () => {
    const q = reportQuery({ days: 7, zone: 'UTC', tier: 'enterprise' }, { from: 'A', to: 'B' });
    expect(q).toEqual({ from: 'A', to: 'B', tier: 'enterprise' });
    const drill = new URL(drillHref(q, 'first_response', { group_id: 'none' }), 'http://x');
    expect(drill.pathname).toBe('/reports/tickets');
    expect(Object.fromEntries(drill.searchParams)).toEqual({ from: 'A', to: 'B', tier: 'enterprise', group_id: 'none', kpi: 'first_response' });
    expect(csvHref('breakdown', { ...q, by: 'agent' })).toBe('/api/v1/reports/breakdown?from=A&to=B&tier=enterprise&by=agent&format=csv');
  });

  it('shades heatmap cells 0–4 against the busiest cell', () => {
    expect([0, 1, 5, 6, 10].map((n) => heatLevel(n, 10))).toEqual([0, 1, 2, 3, 4]);
    expect(heatLevel(3, 0)).toBe(0);
  });
});
