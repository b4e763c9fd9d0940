import { call, client } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';

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

export type Durations = { n: number; mean_minutes: number | null; p50_minutes: number | null; p90_minutes: number | null };
export type KpiSummary = {
  from: string; to: string; volume: number;
  first_response: Durations & { unanswered: number }; average_response: Durations & { unanswered: number }; resolution: Durations;
  sla: { metric: string; met: number; breached: number; compliance_pct: number | null }[];
  reopen: { solved: number; reopened: number; rate_pct: number | null };
  repeat_contacts: { n: number; rate_pct: number | null };
  reassignments: { tickets: number; changes: number };
  csat: { responses: number; average: number | null; satisfied_pct: number | null };
};
export const BREAKDOWN_BY = ['group', 'agent', 'type', 'priority', 'channel', 'policy', 'metric', 'root_cause'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];
export type BreakdownRow = {
  key: string; label: string | null; volume: number | null;
  first_response: (Durations & { unanswered: number }) | null; resolution: Durations | null;
  sla: { met: number; breached: number; compliance_pct: number | null }; drill: Record<string, string>;
};
export type TrendPoint = { label: string; from: string; to: string; arrivals: number; solved: number; backlog: number };
export type Heatmap = { from: string; to: string; zone: string; arrivals: number[][]; breaches: number[][] };
export type KpiTicket = { number: number; subject: string; status: string; priority: string; type: string | null; channel: string; created_at: string; solved_at: string | null; minutes: number | null };
type QueryOf<P> = P extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
type TicketsQuery = QueryOf<paths['/api/v1/reports/kpis/tickets']>;
export type DrillKpi = TicketsQuery['kpi'];
export const DRILL_KPIS: readonly DrillKpi[] = ['volume', 'first_response', 'first_response_unanswered', 'resolution', 'reopened', 'backlog', 'repeat_contacts', 'sla_breached', 'breached_in_period', 'sla_met'];
/**
 * The period and filter as the screen holds them (URL parameters, report-query.ts). The server checks each value
 * (a bad one is a 400 naming it, shown in the section's error banner), so this is the one cast of the screen's
 * strings to the endpoints' declared query.
 */
const typed = (query: Record<string, string>) => query as QueryOf<paths['/api/v1/reports/kpis']>;

export const reportsApi = {
  kpis: (query: Record<string, string>) => call<KpiSummary>(client.GET('/api/v1/reports/kpis', { params: { query: typed(query) } })),
  breakdown: (query: Record<string, string>, by: BreakdownBy) =>
    call<{ rows: BreakdownRow[] }>(client.GET('/api/v1/reports/breakdown', { params: { query: { ...typed(query), by } } })),
  trend: (query: Record<string, string>, interval: 'day' | 'week', zone: string) =>
    call<{ points: TrendPoint[] }>(client.GET('/api/v1/reports/trend', { params: { query: { ...typed(query), interval, zone } } })),
  heatmap: (query: Record<string, string>, zone: string) => call<Heatmap>(client.GET('/api/v1/reports/heatmap', { params: { query: { ...typed(query), zone } } })),
  kpiTickets: (query: Record<string, string>, kpi: DrillKpi) =>
    call<{ data: KpiTicket[] }>(client.GET('/api/v1/reports/kpis/tickets', { params: { query: { ...typed(query), kpi } } })),
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
