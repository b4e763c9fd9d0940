import { Suspense, useEffect, useState } from 'react';
import { loadCommitments, type Commitments } from './promise-api.ts';
import { useTranslation } from 'react-i18next';
import { useWords } from '../../i18n/i18n.ts';
import { describeTarget, promiseLanguage } from './promise-format.ts';

/** Fetches the published commitments once (the form and the portal show them before submission). */
export function useCommitments(signedIn: boolean): Commitments | null {
  const [data, setData] = useState<Commitments | null>(null);
  useEffect(() => {
    let live = true;
    loadCommitments(signedIn).then((c) => live && setData(c), () => undefined);
    return () => {
      live = false;
    };
  }, [signedIn]);
  return data;
}

/** "When you will hear from us": first-reply commitments by type (and critical urgency), in the viewer's language. */
export function CommitmentsPanel(props: { commitments: Commitments | null; language?: string }) {
  // Its own boundary: fetching another language's words hides only the panel, not the form around it.
  return (
    <Suspense fallback={null}>
      <CommitmentsList {...props} />
    </Suspense>
  );
}

function CommitmentsList({ commitments, language }: { commitments: Commitments | null; language?: string }) {
  const lang = promiseLanguage(language);
  useWords(lang, 'customer');
  const { i18n } = useTranslation('customer');
  const t = i18n.getFixedT(lang, 'customer', 'promise');
  if (!commitments || commitments.by_type.length === 0) return null;
  return (
    <aside className="commitments panel" data-testid="commitments" lang={lang}>
      <h2>{t('commitmentsTitle')}</h2>
      <p className="muted small">
        {t('commitmentsIntro')}
        {commitments.tier ? ` (${t('yourTier')}: ${commitments.tier})` : ''}
      </p>
      <ul>
        {commitments.by_type.map((c) => (
          <li key={c.type} data-testid={`commitment-${c.type}`}>
            {t(`types.${c.type}`, { defaultValue: c.label })}: <strong>{describeTarget(t, c.target_minutes, c.clock)}</strong>
          </li>
        ))}
        {commitments.by_urgency.filter((u) => u.urgency === 'critical').map((c) => (
          <li key={c.urgency} data-testid="commitment-critical">
            {t('critical')}: <strong>{describeTarget(t, c.target_minutes, c.clock)}</strong>
          </li>
        ))}
      </ul>
    </aside>
  );
}

export const URGENCY_KEYS = ['low', 'normal', 'high', 'critical'] as const;
export type UrgencyKey = (typeof URGENCY_KEYS)[number];
