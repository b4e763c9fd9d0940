import type { TicketPromise } from './promise-api.ts';
import { useTranslation } from 'react-i18next';
import { describeTarget, formatPromiseTime, promiseLanguage } from './promise-format.ts';

/** The promised reply time in the viewer's zone and language, with how it was counted and any change. */
export function PromiseNotice({ promise, language, timeZone }: { promise: TicketPromise | null | undefined; language?: string; timeZone?: string }) {
  const lang = promiseLanguage(language);
  const { i18n } = useTranslation('customer');
  const t = i18n.getFixedT(lang, 'customer', 'promise');
  if (!promise) {
    return <p className="promise-notice muted" data-testid="promise-notice">{t('noPromise')}</p>;
  }
  const when = formatPromiseTime(promise.promised_at, lang, timeZone);
  const moved = promise.promised_at !== promise.original_promised_at;
  return (
    <div className="promise-notice banner banner-ok" role="status" data-testid="promise-notice" lang={lang}>
      <p>
        {moved ? t('newEstimate') : t('promisedBy')}: <strong data-testid="promised-at">{when}</strong>
        {promise.target_minutes !== null && !moved ? <span data-testid="promise-target"> ({describeTarget(t, promise.target_minutes, promise.clock)})</span> : null}
        {moved ? <span className="muted"> — {t('originally')} {formatPromiseTime(promise.original_promised_at, lang, timeZone)}</span> : null}
      </p>
      {promise.back_at ? <p className="muted" data-testid="promise-back-at">{t('backAt')} {formatPromiseTime(promise.back_at, lang, timeZone)}.</p> : null}
      {promise.message ? <p data-testid="promise-message">{promise.message}</p> : null}
    </div>
  );
}
