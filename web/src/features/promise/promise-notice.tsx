import type { TicketPromise } from './promise-api.ts';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useWords } from '../../i18n/i18n.ts';
import { describeTarget, formatPromiseTime, promiseLanguage } from './promise-format.ts';

type NoticeProps = { promise: TicketPromise | null | undefined; language?: string; timeZone?: string };

/**
 * The promise in the viewer's zone and language, exactly as the server stored it (the acknowledgement says
 * the same): the date, the "within …" that matches it, why it is later than usual, when the team is back —
 * and once answered, when it was answered and what comes next.
 */
export function PromiseNotice(props: NoticeProps) {
  // Its own boundary: fetching another language's words hides only the notice, not the page around it.
  return (
    <Suspense fallback={null}>
      <PromiseNoticeWords {...props} />
    </Suspense>
  );
}

function PromiseNoticeWords({ promise, language, timeZone }: NoticeProps) {
  const lang = promiseLanguage(language);
  useWords(lang, 'customer');
  const { i18n } = useTranslation('customer');
  const t = i18n.getFixedT(lang, 'customer', 'promise');
  if (!promise) {
    return <p className="promise-notice muted" data-testid="promise-notice">{t('noPromise')}</p>;
  }
  if (promise.answered_at) {
    return (
      <div className="promise-notice banner banner-ok" role="status" data-testid="promise-notice" lang={lang}>
        <p data-testid="promise-answered">{t('answeredAt')} <strong>{formatPromiseTime(promise.answered_at, lang, timeZone)}</strong>.</p>
        {promise.next_reply_by ? <p data-testid="promise-next">{t('nextReplyBy')} <strong>{formatPromiseTime(promise.next_reply_by, lang, timeZone)}</strong>.</p> : null}
      </div>
    );
  }
  const when = formatPromiseTime(promise.promised_at, lang, timeZone);
  const moved = promise.promised_at !== promise.original_promised_at;
  const busier = promise.basis === 'queue' && promise.ahead !== null && promise.ahead > 0 && promise.commitment_minutes !== null;
  return (
    <div className="promise-notice banner banner-ok" role="status" data-testid="promise-notice" lang={lang}>
      <p>
        {moved ? t('newEstimate') : t('promisedBy')} <strong data-testid="promised-at">{when}</strong>
        {promise.target_minutes !== null && !moved ? <span data-testid="promise-target"> ({describeTarget(t, promise.target_minutes, promise.clock)})</span> : null}
        {moved ? <span className="muted"> — {t('originally')} {formatPromiseTime(promise.original_promised_at, lang, timeZone)}</span> : null}
      </p>
      {busier && promise.commitment_minutes !== null ? <p data-testid="promise-reason">{t('busier', { count: promise.ahead ?? 0, usual: describeTarget(t, promise.commitment_minutes, promise.clock) })}</p> : null}
      {promise.back_at ? <p className="muted" data-testid="promise-back-at">{t('backAt')} {formatPromiseTime(promise.back_at, lang, timeZone)}.</p> : null}
      {promise.message ? <p data-testid="promise-message">{promise.message}</p> : null}
    </div>
  );
}
