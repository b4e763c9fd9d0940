import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner, Loading } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { useLoad } from '../../lib/query.ts';
import { useSession } from '../../lib/session.tsx';
import { statusApi, type GroupSurgeThresholds, type SurgeThresholds } from './status-api.ts';

const THRESHOLDS_KEY = ['planning', 'surge-thresholds'] as const;
const FIELDS = ['min_extra_arrivals', 'backlog_start', 'backlog_calm', 'calm_minutes'] as const;

/**
 * Reports → Surges, per group (docs/surge.md "Per group"): which groups the worker watches on their own and how
 * hot is hot for each. Admins edit (PUT /api/v1/planning/surge-thresholds/:group_id); supervisors read.
 */
export function SurgeThresholdsPanel() {
  const { t } = useTranslation('surgegroups');
  const data = useLoad(THRESHOLDS_KEY, statusApi.thresholds);
  const isAdmin = useSession().principal?.role === 'admin';
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  return (
    <div data-testid="surge-thresholds">
      <h3>{t('title')}</h3>
      <p className="muted">{t('intro')}</p>
      <table className="table surge-thresholds">
        <caption className="visually-hidden">{t('title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('group')}</th><th scope="col">{t('enabled')}</th>
            {FIELDS.map((f) => <th scope="col" key={f}>{t(`field.${f}`)}</th>)}
            <th scope="col"><span className="visually-hidden">{t('save')}</span></th>
          </tr>
        </thead>
        <tbody>
          {data.data.groups.map((row) => <ThresholdRow key={row.group_id} row={row} editable={isAdmin} onSaved={() => void data.reload()} />)}
        </tbody>
      </table>
    </div>
  );
}

function ThresholdRow({ row, editable, onSaved }: { row: GroupSurgeThresholds; editable: boolean; onSaved: () => void }) {
  const { t } = useTranslation('surgegroups');
  const [draft, setDraft] = useState<SurgeThresholds>({
    enabled: row.configured && row.enabled, min_extra_arrivals: row.min_extra_arrivals, backlog_start: row.backlog_start, backlog_calm: row.backlog_calm, calm_minutes: row.calm_minutes,
  });
  const { busy, error, run } = useSubmit();
  return (
    <tr data-testid={`surge-thresholds-${row.group_name}`}>
      <th scope="row">{row.group_name}</th>
      <td>
        <input type="checkbox" aria-label={t('enabledFor', { group: row.group_name })} checked={draft.enabled} disabled={!editable}
          onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
      </td>
      {FIELDS.map((f) => (
        <td key={f}>
          <input type="number" aria-label={`${t(`field.${f}`)} (${row.group_name})`} value={draft[f]} disabled={!editable}
            step={f === 'backlog_start' || f === 'backlog_calm' ? 0.05 : 1} min={0} onChange={(e) => setDraft({ ...draft, [f]: Number(e.target.value) })} />
        </td>
      ))}
      <td>
        {editable ? (
          <button type="button" className="button" disabled={busy} onClick={() => void run(async () => { await statusApi.setThresholds(row.group_id, draft); onSaved(); })}>
            {t('save')}
          </button>
        ) : null}
        {error ? <ErrorBanner error={error} /> : null}
      </td>
    </tr>
  );
}
