import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../lib/api.ts';
// Loaded on demand already (with the first selection): it takes Headless UI's menus and dialog directly.
import { ActionMenu, ConfirmDialog } from '../../app/widgets.tsx';
import { otherRequesters, RequesterWarning, type MergeParty } from './merge-warning.tsx';

/** What to do with the tickets selected in the queue (loaded with the first selection, see queue-page.tsx). */
export function BulkBar({ count, onAssignMe, onApply, mergeCandidates, onMerge, onClear }: {
  count: number;
  onAssignMe: () => void;
  onApply: (c: { status?: (typeof TICKET_STATUSES)[number]; priority?: string; add_tags?: string[] }) => void;
  /** The selected tickets on screen, any of which can be the survivor of a merge. */
  mergeCandidates: readonly (MergeParty & { number: number; label: string })[];
  onMerge: (into: number, confirmDifferentRequesters: boolean) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation('workspace');
  const [tag, setTag] = useState('');
  const [mergeInto, setMergeInto] = useState<(MergeParty & { number: number; label: string }) | null>(null);
  const mergeOthers = mergeInto ? otherRequesters(mergeCandidates.filter((c) => c.number !== mergeInto.number), mergeInto) : [];
  return (
    <div className="bulk-bar" role="region" aria-label={t('bulk.label')} data-testid="bulk-bar">
      <strong>{t('bulk.selected', { count })}</strong>
      <button type="button" className="button" onClick={onAssignMe} data-testid="bulk-assign-me">{t('bulk.assignMe')}</button>
      <ActionMenu label={t('bulk.status')} testId="bulk-status"
        actions={TICKET_STATUSES.map((st) => ({ key: st, label: t(`status.${st}`), testId: `bulk-status-${st}`, onSelect: () => onApply({ status: st }) }))} />
      <ActionMenu label={t('bulk.priority')} testId="bulk-priority"
        actions={TICKET_PRIORITIES.map((p) => ({ key: p, label: t(`priority.${p}`), testId: `bulk-priority-${p}`, onSelect: () => onApply({ priority: p }) }))} />
      <form className="inline" onSubmit={(e) => {
        e.preventDefault();
        if (tag.trim()) onApply({ add_tags: [tag.trim()] });
        setTag('');
      }}>
        <label className="inline">
          <span>{t('bulk.addTag')}</span>
          <input value={tag} onChange={(e) => setTag(e.target.value)} size={10} data-testid="bulk-tag" />
        </label>
      </form>
      {mergeCandidates.length > 1 ? (
        <ActionMenu label={t('bulk.mergeInto')} testId="bulk-merge"
          actions={mergeCandidates.map((c) => ({ key: String(c.number), label: c.label, testId: `bulk-merge-${c.number}`, onSelect: () => setMergeInto(c) }))} />
      ) : null}
      <button type="button" className="link-button" onClick={onClear}>{t('bulk.clear')}</button>
      <ConfirmDialog open={mergeInto !== null} title={t('bulk.mergeTitle')} confirmLabel={mergeOthers.length > 0 ? t('merge:warning.confirm') : t('bulk.mergeConfirm')}
        onCancel={() => setMergeInto(null)}
        onConfirm={() => {
          if (mergeInto) onMerge(mergeInto.number, mergeOthers.length > 0);
          setMergeInto(null);
        }}>
        <p>{t('bulk.mergeText', { count: count - 1, survivor: mergeInto?.label ?? '' })}</p>
        {mergeInto ? <RequesterWarning others={mergeOthers} survivor={mergeInto} /> : null}
      </ConfirmDialog>
    </div>
  );
}
