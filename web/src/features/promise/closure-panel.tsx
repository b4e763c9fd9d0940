import { Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useWords } from '../../i18n/i18n.ts';
import { ErrorBanner } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import type { ClosureAnswer, ClosureOutcome, ClosureResult } from './closure-api.ts';
import { promiseLanguage } from './promise-format.ts';
import { StarRating } from './star-rating.tsx';

/**
 * "Is your problem solved?" with the two answers; "solved" may carry a 1–5 rating and a comment.
 * Choosing an answer only opens the form: nothing is sent until the customer presses the button.
 */
export function ClosurePanel(props: ClosurePanelProps) {
  // Its own boundary: fetching another language's words hides only the panel, not the page around it.
  return (
    <Suspense fallback={null}>
      <ClosureForm {...props} />
    </Suspense>
  );
}

type ClosurePanelProps = {
  initial?: ClosureOutcome | null; language?: string;
  submit: (answer: ClosureAnswer) => Promise<ClosureResult>; onDone?: (r: ClosureResult) => void;
};

function ClosureForm({ initial, language, submit, onDone }: ClosurePanelProps) {
  const lang = promiseLanguage(language);
  useWords(lang, 'customer');
  const { i18n } = useTranslation('customer');
  const t = i18n.getFixedT(lang, 'customer', 'closure');
  const [outcome, setOutcome] = useState<ClosureOutcome | null>(initial ?? null);
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<ClosureResult | null>(null);
  const { busy, error, run } = useSubmit();

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!outcome) return;
    await run(async () => {
      const r = await submit({ outcome, ...(outcome === 'solved' && rating ? { rating } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setResult(r);
      onDone?.(r);
    });
  }

  if (result) {
    return (
      <p className="banner banner-ok" role="status" data-testid="closure-done" lang={lang}>
        {result.outcome === 'solved' ? t('thanksSolved') : t('thanksReopened')}
      </p>
    );
  }
  return (
    <form className="panel closure-panel" onSubmit={send} data-testid="closure-panel" lang={lang}>
      <h2>{t('question')}</h2>
      <p className="muted">{t('intro')}</p>
      <div className="actions" role="group" aria-label={t('question')}>
        <button type="button" className={`button${outcome === 'solved' ? ' primary' : ''}`} aria-pressed={outcome === 'solved'} data-testid="closure-solved" onClick={() => setOutcome('solved')}>
          {t('solved')}
        </button>
        <button type="button" className={`button${outcome === 'not_solved' ? ' primary' : ''}`} aria-pressed={outcome === 'not_solved'} data-testid="closure-not-solved" onClick={() => setOutcome('not_solved')}>
          {t('notSolved')}
        </button>
      </div>
      {outcome === 'solved' ? (
        <StarRating value={rating} onChange={setRating} language={lang} legend={t('rating')} hint={t('ratingHint')} />
      ) : null}
      {outcome ? (
        <label className="field">
          <span>{outcome === 'solved' ? t('comment') : t('whatIsWrong')}</span>
          <textarea name="comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="closure-comment" />
        </label>
      ) : null}
      <ErrorBanner error={error} />
      {outcome ? (
        <div className="actions">
          <button className="button primary" type="submit" disabled={busy} data-testid="closure-submit">{t('send')}</button>
        </div>
      ) : null}
    </form>
  );
}
