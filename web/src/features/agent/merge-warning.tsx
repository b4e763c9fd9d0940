import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../lib/api.ts';

/** What the warning needs of a ticket: its number and who asked. */
export type MergeParty = Pick<Ticket, 'display_number'> & { requester: Pick<Ticket['requester'], 'id' | 'name' | 'email'> };

/** The merged tickets whose requester is not the survivor's: merging them needs the server's explicit confirmation. */
export function otherRequesters(sources: readonly MergeParty[], survivor: MergeParty): MergeParty[] {
  return sources.filter((s) => s.requester.id !== survivor.requester.id);
}

const requesterText = (p: MergeParty) => (p.requester.name && p.requester.name !== p.requester.email ? `${p.requester.name} <${p.requester.email}>` : p.requester.email);

/**
 * Shown in the merge dialog before the agent confirms when the requesters differ (review 2026-12-07 item 8):
 * names each customer, and says what happens to their messages. The dialog's button then reads "Merge anyway"
 * and the request carries `confirm_different_requesters`.
 */
export function RequesterWarning({ others, survivor }: { others: readonly MergeParty[]; survivor: MergeParty }) {
  const { t } = useTranslation('merge');
  if (others.length === 0) return null;
  return (
    <div className="banner banner-warn merge-warning" role="alert" data-testid="merge-requester-warning">
      <strong>{t('warning.title')}</strong>
      <ul>
        <li>{t('warning.survivor', { ticket: survivor.display_number, requester: requesterText(survivor) })}</li>
        {others.map((o) => <li key={o.display_number}>{t('warning.merged', { ticket: o.display_number, requester: requesterText(o) })}</li>)}
      </ul>
      <p className="small">{t('warning.note')}</p>
    </div>
  );
}
