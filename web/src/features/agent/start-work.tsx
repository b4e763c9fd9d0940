import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { ErrorBanner } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { notificationsApi } from '../notifications/notifications-api.ts';

/**
 * "Start work" (review 2026-12-07, item 13): the moment the customer hears that someone is working on the
 * request — takes the ticket if nobody has it and moves it from New to Open. Shown on new tickets that are
 * the agent's or nobody's; an assignment alone tells the customer nothing.
 */
export function StartWorkButton({ ticket, onDone }: { ticket: Ticket; onDone: () => Promise<void> | void }) {
  const { t } = useTranslation('agentday');
  const { principal } = useSession();
  const { busy, error, run } = useSubmit();
  const [result, setResult] = useState<string | null>(null);
  const mine = !ticket.assignee || ticket.assignee.id === principal?.id;
  if (ticket.status !== 'new' || !mine || principal?.kind !== 'user') return result ? <span className="muted small" role="status" data-testid="start-work-done">{result}</span> : null;
  return (
    <span className="start-work">
      <button type="button" className="button primary" disabled={busy} data-testid="start-work" title={t('startWork.hint')}
        onClick={() => void run(async () => {
          const r = await notificationsApi.startWork(ticket.number);
          setResult(t(`startWork.${r.notice}`));
          await onDone();
        })}>
        {t('startWork.button')}
      </button>
      <ErrorBanner error={error} />
    </span>
  );
}
