import { call, client } from '../../lib/api.ts';

// The supervisor's reports: thin wrappers over the typed client (paths and queries checked against the OpenAPI types).

export type Period = { from: string; to: string };
export type PromiseReport = { from: string; to: string; due: number; kept: number; broken: number; extended: number; kept_percent: number | null };
export type ClosureReport = {
  from: string; to: string; confirmed: number; reopened: number; closed_after_silence: number; archived: number;
  rated: number; average_rating: number | null; csat_percent: number | null;
};
export type StageDeadlineRow = { metric: string; started: number; met: number; breached: number; running: number; met_percent: number | null; avg_minutes: number | null };
export type StageRow = { stage: string; current: number; exits: number; avg_minutes: number | null; max_minutes: number | null };
export type TimeRow = { user_id: string; user_name: string; minutes: number; tickets: number };

export const reportsApi = {
  promises: (p: Period) => call<PromiseReport>(client.GET('/api/v1/reports/promises', { params: { query: p } })),
  closures: (p: Period) => call<ClosureReport>(client.GET('/api/v1/reports/closures', { params: { query: p } })),
  stageDeadlines: (p: Period) => call<{ metrics: StageDeadlineRow[] }>(client.GET('/api/v1/reports/stage-deadlines', { params: { query: p } })),
  stages: () => call<{ stages: StageRow[] }>(client.GET('/api/v1/reports/stages')),
  time: (p: Period) => call<{ data: TimeRow[]; total_minutes: number }>(client.GET('/api/v1/reports/time', { params: { query: p } })),
};

/**
 * The reporting window: the last `days` days up to `now`, `to` rounded up to the next whole minute (a stable cache
 * key that still includes what happened in the last seconds — rounding down left out the time just booked).
 */
export function lastDays(days: number, now: number): Period {
  const to = new Date(Math.ceil((now + 1) / 60_000) * 60_000);
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
}
