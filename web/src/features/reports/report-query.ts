// The Reports screen's filter as URL search parameters (so a filtered view can be bookmarked, shared and reloaded),
// and the API queries and links built from it: the tickets behind a number, and each table as CSV. Pure functions.

export const FILTER_KEYS = ['group_id', 'assignee_id', 'type', 'priority', 'channel', 'tier'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export const PERIOD_DAYS = [7, 30, 90] as const;

export type ReportFilter = { days: number; zone: string } & Partial<Record<FilterKey, string>>;

/** The filter a URL asks for; unknown periods fall back to 30 days, the zone to the viewer's. */
export function filterFromSearch(search: URLSearchParams, viewerZone: string): ReportFilter {
  const days = Number(search.get('days'));
  const out: ReportFilter = { days: (PERIOD_DAYS as readonly number[]).includes(days) ? days : 30, zone: search.get('zone') || viewerZone };
  for (const k of FILTER_KEYS) {
    const v = search.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** The URL parameters of a filter, leaving out what is the default. */
export function filterToSearch(f: ReportFilter, viewerZone: string): URLSearchParams {
  const s = new URLSearchParams();
  if (f.days !== 30) s.set('days', String(f.days));
  if (f.zone !== viewerZone) s.set('zone', f.zone);
  for (const k of FILTER_KEYS) if (f[k]) s.set(k, f[k] as string);
  return s;
}

/**
 * The period: the local day boundaries `days` days back in the viewer's zone up to the end of today, so day buckets
 * are whole days and the key is stable for the day. `now` is a parameter (no clock here).
 */
export function periodOf(days: number, zone: string, now: number): { from: string; to: string } {
  const today = localMidnight(now, zone);
  const to = localMidnight(today + 36 * 3_600_000, zone); // the next local midnight (a day is 23–25 hours)
  let from = today;
  for (let i = 1; i < days; i++) from = localMidnight(from - 12 * 3_600_000, zone);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The instant of the local midnight starting the day that holds `ms` in `zone` (Intl only; no Luxon on the client). */
export function localMidnight(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const sinceMidnight = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + (ms % 1000);
  const guess = ms - sinceMidnight;
  // A DST change between midnight and now moves the wall clock by its size: step to the instant whose local time is 00:00.
  const offsetAt = (at: number) => {
    const p = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(at));
    const h = Number(p.find((x) => x.type === 'hour')?.value);
    const m = Number(p.find((x) => x.type === 'minute')?.value);
    return (h * 60 + m) * 60_000;
  };
  const drift = offsetAt(guess);
  if (drift === 0) return guess;
  return drift > 12 * 3_600_000 ? guess + (24 * 3_600_000 - drift) : guess - drift;
}

/** The query every report endpoint takes: the period and the filter. */
export function reportQuery(f: ReportFilter, period: { from: string; to: string }): Record<string, string> {
  const q: Record<string, string> = { from: period.from, to: period.to };
  for (const k of FILTER_KEYS) if (f[k]) q[k] = f[k] as string;
  return q;
}

/** The in-app page listing the tickets behind one number: the report's query, the KPI, and the row's own filter. */
export function drillHref(query: Record<string, string>, kpi: string, extra: Record<string, string> = {}): string {
  return `/reports/tickets?${new URLSearchParams({ ...query, ...extra, kpi })}`;
}

/** A report endpoint's CSV download (same period and filter); GET with the session cookie. */
export function csvHref(path: string, query: Record<string, string>): string {
  return `/api/v1/reports/${path}?${new URLSearchParams({ ...query, format: 'csv' })}`;
}

/** 0…4: the shade of a heatmap cell relative to the busiest cell (0 only for an empty cell). */
export function heatLevel(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((n / max) * 4));
}
