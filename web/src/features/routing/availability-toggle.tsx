import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { agentApi, type Availability } from '../agent/agent-api.ts';
import { errorMessage } from '../../lib/api.ts';

// The agent's own availability (online / away / offline) for automatic assignment, in the staff shell's
// header. Going online at once hands the agent waiting tickets; away or offline stops new assignments.

const CHOICES: readonly Availability[] = ['online', 'away', 'offline'];

export function AvailabilityToggle({ userId }: { userId: string }) {
  const { t } = useTranslation('workspace');
  const current = useLoad(['routing', 'me', userId], () => agentApi.routing(userId));
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const value = current.data?.availability ?? null;

  async function choose(next: Availability) {
    setError(undefined);
    setBusy(true);
    try {
      current.setData(await agentApi.setAvailability(next));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="availability-toggle" role="group" aria-label={t('availability.label')} data-testid="availability" data-value={value ?? ''}>
      {CHOICES.map((c) => (
        <button key={c} type="button" className={`availability-${c}`} aria-pressed={value === c} disabled={value === null || busy}
          onClick={() => void choose(c)} data-testid={`availability-${c}`}>
          {t(`availability.${c}`)}
        </button>
      ))}
      {error || current.error ? <span role="alert" className="small"> {errorMessage(error ?? current.error)}</span> : null}
    </span>
  );
}
