import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Loading, SelectField } from '../../app/ui.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { ListEdit } from './list-edit.tsx';

type AuditQuery = NonNullable<paths['/api/v1/audit-log']['get']['parameters']['query']>;
type TargetType = NonNullable<AuditQuery['target_type']>;
export type AuditRow = { id: string; at: string; actor_email: string | null; address: string | null; action: string; target_type: string; target_id: string | null; before: unknown; after: unknown };

// The filter's choices, in the order an admin thinks of them (the API validates the same names).
const TARGETS: readonly TargetType[] = ['sla_policy', 'calendar', 'group', 'group_routing', 'agent_routing', 'roster', 'surge_thresholds', 'surge', 'trigger', 'macro',
  'template', 'diagnosis_field', 'classifier', 'support_address', 'list_entry', 'organization', 'settings', 'user', 'api_token', 'webhook', 'webhook_delivery',
  'channel', 'import', 'contact', 'ticket'];

/** What changed, as `field: before → after` for the top-level fields that differ (the CSV has the whole rows). */
export function changedFields(before: unknown, after: unknown): string {
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const b = obj(before);
  const a = obj(after);
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => `${k}: ${show(b[k])} → ${show(a[k])}`)
    .join('; ');
}

/** Admin → Audit log: every admin and configuration change, newest first, filtered by what it touched; pages by cursor; CSV. */
export function AuditLogAdmin() {
  const { t } = useTranslation('admin2');
  const [target, setTarget] = useState<TargetType | ''>('');
  // The cursors of the pages loaded after the first ("Show more" adds the last page's next_cursor).
  const [cursors, setCursors] = useState<string[]>([]);
  const query: AuditQuery = target ? { target_type: target, limit: 50 } : { limit: 50 };
  const log = useLoad(['admin', 'audit-log', target, ...cursors], async () => {
    const rows: AuditRow[] = [];
    let next: string | null = null;
    for (const cursor of [undefined, ...cursors]) {
      const page = await call<{ data: AuditRow[]; next_cursor: string | null }>(client.GET('/api/v1/audit-log', { params: { query: cursor ? { ...query, cursor } : query } }));
      rows.push(...page.data);
      next = page.next_cursor;
    }
    return { rows, next };
  });
  if (!log.data) return log.error ? <ErrorBanner error={log.error} /> : <Loading />;
  const { rows, next } = log.data;
  const csv = `/api/v1/audit-log?${new URLSearchParams({ ...(target ? { target_type: target } : {}), format: 'csv' })}`;
  return (
    <ListEdit<AuditRow> testId="audit-log" title={t('audit.title')} intro={<p>{t('audit.intro')}</p>} rows={rows} reload={log.reload}
      rowKey={(r) => r.id} rowTestId={(r) => `audit-row-${r.id}`} rowName={(r) => `${r.target_type} ${r.target_id ?? ''}`} empty={t('audit.none')}
      toolbar={(
        <div className="toolbar">
          <SelectField label={t('audit.target')} value={target} onChange={(v) => { setTarget(v as TargetType | ''); setCursors([]); }}>
            <option value="">{t('audit.allTargets')}</option>
            {TARGETS.map((k) => <option key={k} value={k}>{t(`audit.targets.${k}`)}</option>)}
          </SelectField>
          <a className="button small" href={csv} download data-testid="audit-csv">{t('audit.csv')}</a>
        </div>
      )}
      columns={[
        { header: t('audit.at'), cell: (r) => formatDateTime(r.at), rowHeader: true },
        { header: t('audit.actor'), cell: (r) => r.actor_email ?? t('audit.system') },
        { header: t('audit.address'), cell: (r) => r.address ?? '—' },
        { header: t('audit.action'), cell: (r) => t(`audit.actions.${r.action}`, { defaultValue: r.action }) },
        { header: t('audit.targetCol'), cell: (r) => <>{t(`audit.targets.${r.target_type}`, { defaultValue: r.target_type })} <code>{r.target_id ?? ''}</code></> },
        { header: t('audit.changes'), cell: (r) => changedFields(r.before, r.after) || '—' },
      ]}
      footer={next ? (
        <button type="button" className="button small" data-testid="audit-more" onClick={() => setCursors([...cursors, next])}>{t('audit.more')}</button>
      ) : null} />
  );
}
