// API calls of personal data (docs/security.md "Personal data"): a contact's export and erasure, the
// retention rule and its dry run, typed by the server's OpenAPI document through openapi-fetch.

import { call, client } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';

export type RetentionRule = { enabled: boolean; months: number | null; per_type: Record<string, number> };
export type RetentionPatch = paths['/api/v1/admin/retention-settings']['patch']['requestBody']['content']['application/json'];
export type RetentionDryRun = { enabled: boolean; due: number; per_type: Record<string, number>; cutoffs: { type: string | null; before: string }[] };
export type EraseResult = { contact_id: string; erased_at: string; already_erased: boolean; counts: Record<string, number> };

export const privacyApi = {
  exportContact: (id: string) => call<Record<string, unknown>>(client.GET('/api/v1/contacts/{id}/export', { params: { path: { id } } })),
  eraseContact: (id: string) => call<EraseResult>(client.POST('/api/v1/contacts/{id}/erase', { params: { path: { id } }, body: { confirm: 'ERASE' } })),
  retention: () => call<RetentionRule>(client.GET('/api/v1/admin/retention-settings')),
  updateRetention: (patch: RetentionPatch) => call<RetentionRule>(client.PATCH('/api/v1/admin/retention-settings', { body: patch })),
  retentionDryRun: () => call<RetentionDryRun>(client.GET('/api/v1/admin/retention/dry-run')),
};

/** Saves a JSON value as a file the browser downloads. */
export function downloadJson(value: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
