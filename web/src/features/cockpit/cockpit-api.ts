import { call, client } from '../../lib/api.ts';
import type { Period } from '../reports/reports-api.ts';

// The cockpit's measures (docs/kpis.md): thin wrappers over the typed client.

export type CostRow = { key: string; label: string; resolutions: number; booked: number; estimated: number; unknown_time: number; unpriced: number; minutes: number; cost: number; cost_per_resolution: number | null; drill: Record<string, string> };
export type CostReport = { method: string; rows: CostRow[]; total: Omit<CostRow, 'key' | 'label' | 'drill'> };
export type CostBy = 'group' | 'agent' | 'type';
export type Csat = { responses: number; average: number | null; satisfied: number; satisfied_pct: number | null; low_scores: number; followed_up: number; follow_up_rate_pct: number | null };
export type LowScore = { id: string; number: number; subject: string; group_name: string | null; rating: number; comment: string | null; rated_at: string; note: string; noted_by: string | null; done_at: string | null };
export type Durations = { n: number; mean_minutes: number | null; p50_minutes: number | null; p90_minutes: number | null };
export type ResolutionTimes = { calendar: Durations; business: Durations };
/** `text` names the file line and the field (docs/import.md), e.g. `line 12: opened_at: … is not a date`. */
export type ImportError = { line: string; field: string; message: string; text: string };
export type ImportRun = {
  id: string; status: string; done: boolean; dry_run: boolean; rows_read: number; rows_total: number | null; tickets_total: number | null;
  tickets_written: number; tickets_existing: number; tickets_rejected: number; rows_rejected: number; errors: ImportError[] | null; errors_total: number; exit_code: number | null;
};

export const cockpitApi = {
  cost: (p: Period, by: CostBy) => call<CostReport>(client.GET('/api/v1/reports/cost', { params: { query: { ...p, by } } })),
  csat: (p: Period) => call<Csat>(client.GET('/api/v1/reports/csat', { params: { query: p } })),
  lowScores: (p: Period) => call<{ data: LowScore[] }>(client.GET('/api/v1/reports/csat/low-scores', { params: { query: p } })),
  followUp: (id: string, body: { note?: string; done?: boolean }) =>
    call<LowScore>(client.PATCH('/api/v1/reports/csat/low-scores/{id}', { params: { path: { id } }, body })),
  resolution: (p: Period) => call<ResolutionTimes>(client.GET('/api/v1/reports/resolution-time', { params: { query: p } })),
  weekly: () => call<{ enabled: boolean }>(client.GET('/api/v1/reports/weekly-email')),
  setWeekly: (enabled: boolean) => call<{ enabled: boolean }>(client.PUT('/api/v1/reports/weekly-email', { body: { enabled } })),
  startImport: (body: { kind: 'events' | 'tickets'; file_name: string; file: string; mapping: string; dry_run: boolean }) =>
    call<{ id: string }>(client.POST('/api/v1/imports', { body })),
  importRun: (id: string) => call<ImportRun>(client.GET('/api/v1/imports/{id}', { params: { path: { id } } })),
};
