import { call, client } from '../../lib/api.ts';

// Surge, degraded mode and the printable queue (docs/surge.md): thin wrappers over the typed client.

export type ServiceStatus = {
  read_only: { enabled: boolean; message: string | null; since: string | null };
  surge: { active: boolean; message: string | null; started_at: string | null };
};
export type SurgeReport = {
  id: string; group_id: string | null; group_name: string | null; cause: 'arrivals' | 'backlog' | 'manual'; started_at: string; ended_at: string | null; end_reason: 'calm' | 'manual' | null; message: string | null;
  arrived: number; promises: { made: number; kept: number; broken: number; waiting: number; later_because_of_surge: number };
};
export type SurgeThresholds = { enabled: boolean; min_extra_arrivals: number; backlog_start: number; backlog_calm: number; calm_minutes: number };
export type GroupSurgeThresholds = SurgeThresholds & { group_id: string; group_name: string; configured: boolean; updated_at: string | null };
export type ReadOnlyMode = { enabled: boolean; message: string | null; since: string | null; by: string | null };

export const statusApi = {
  status: () => call<ServiceStatus>(client.GET('/api/v1/status')),
  surges: () => call<{ surges: SurgeReport[] }>(client.GET('/api/v1/planning/surges')),
  declare: (message: string) => call<unknown>(client.POST('/api/v1/planning/surges', { body: { message: message.trim() || null } })),
  end: () => call<unknown>(client.POST('/api/v1/planning/surges/end', { body: {} })),
  thresholds: () => call<{ defaults: SurgeThresholds; groups: GroupSurgeThresholds[] }>(client.GET('/api/v1/planning/surge-thresholds')),
  setThresholds: (groupId: string, body: SurgeThresholds) =>
    call<GroupSurgeThresholds>(client.PUT('/api/v1/planning/surge-thresholds/{group_id}', { params: { path: { group_id: groupId } }, body })),
  removeThresholds: (groupId: string) => call<unknown>(client.DELETE('/api/v1/planning/surge-thresholds/{group_id}', { params: { path: { group_id: groupId } } })),
  readOnly: () => call<ReadOnlyMode>(client.GET('/api/v1/admin/read-only')),
  setReadOnly: (body: { enabled: boolean; message?: string | null }) => call<ReadOnlyMode>(client.PUT('/api/v1/admin/read-only', { body })),
};

export const STATUS_KEY = ['service-status'] as const;
