import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { STATUS_KEY, statusApi } from './status-api.ts';
import { SurgeThresholdsPanel } from './surge-thresholds.tsx';

const SURGES_KEY = ['planning', 'surges'] as const;

/**
 * Reports → Surges: declare or end a surge by hand (with the message customers see), and per surge its start,
 * end, cause, what arrived during it and what became of the promises made then (GET /api/v1/planning/surges).
 */
export function SurgePanel() {
  const { t } = useTranslation('operations');
  const { t: g } = useTranslation('surgegroups');
  const qc = useQueryClient();
  const surges = useLoad(SURGES_KEY, statusApi.surges);
  const [message, setMessage] = useState('');
  const { busy, error, run } = useSubmit();
  // The team-wide surge is declared and ended here; a group's surge is listed with its group's name.
  const active = surges.data?.surges.find((s) => s.ended_at === null && s.group_id === null) ?? null;
  const refresh = async () => {
    await Promise.all([surges.reload(), qc.invalidateQueries({ queryKey: STATUS_KEY })]);
  };
  function declare(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await statusApi.declare(message);
      setMessage('');
      await refresh();
    });
  }
  return (
    <section className="panel" aria-labelledby="surges-h" data-testid="surge-panel">
      <h2 id="surges-h">{t('panel.title')}</h2>
      <p className="muted">{t('panel.intro')}</p>
      {error ? <ErrorBanner error={error} /> : null}
      {active ? (
        <p className="banner banner-warn" data-testid="surge-active">
          {t('panel.active', { since: formatDateTime(active.started_at), cause: t(`cause.${active.cause}`) })}{' '}
          <button type="button" className="button" disabled={busy} data-testid="surge-end" onClick={() => void run(async () => { await statusApi.end(); await refresh(); })}>
            {t('panel.end')}
          </button>
        </p>
      ) : (
        <form onSubmit={declare} noValidate aria-label={t('panel.declare')}>
          <TextField label={t('panel.message')} hint={t('panel.messageHint')} value={message} onChange={setMessage} maxLength={1000} data-testid="surge-message" />
          <button type="submit" className="button primary" disabled={busy} data-testid="surge-declare">{t('panel.declare')}</button>
        </form>
      )}
      {!surges.data ? (surges.error ? <ErrorBanner error={surges.error} /> : <Loading />) : surges.data.surges.length === 0 ? (
        <p className="muted" data-testid="surges-none">{t('panel.none')}</p>
      ) : (
        <table className="table" data-testid="surges-table">
          <caption className="visually-hidden">{t('panel.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('panel.started')}</th><th scope="col">{t('panel.ended')}</th><th scope="col">{g('group')}</th><th scope="col">{t('panel.cause')}</th>
              <th scope="col">{t('panel.arrived')}</th><th scope="col">{t('panel.made')}</th><th scope="col">{t('panel.kept')}</th>
              <th scope="col">{t('panel.broken')}</th><th scope="col">{t('panel.waiting')}</th><th scope="col">{t('panel.later')}</th>
            </tr>
          </thead>
          <tbody>
            {surges.data.surges.map((s) => (
              <tr key={s.id}>
                <td>{formatDateTime(s.started_at)}</td>
                <td>{s.ended_at ? `${formatDateTime(s.ended_at)} (${t(`end.${s.end_reason ?? 'manual'}`)})` : t('panel.ongoing')}</td>
                <td>{s.group_name ?? g('team')}</td>
                <td>{t(`cause.${s.cause}`)}</td>
                <td>{s.arrived}</td><td>{s.promises.made}</td><td>{s.promises.kept}</td><td>{s.promises.broken}</td><td>{s.promises.waiting}</td><td>{s.promises.later_because_of_surge}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SurgeThresholdsPanel />
    </section>
  );
}
