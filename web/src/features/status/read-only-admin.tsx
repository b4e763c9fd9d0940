import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { STATUS_KEY, statusApi } from './status-api.ts';

/**
 * Admin → Degraded mode: the switch that makes Replyby read-only (docs/surge.md). While it is on every write
 * is refused with 503 `read_only`, staff and customers see a banner, mail is still received, and the team
 * works from the printed queue.
 */
export function ReadOnlyAdmin() {
  const { t } = useTranslation('operations');
  const qc = useQueryClient();
  const mode = useLoad(['admin', 'read-only'], statusApi.readOnly);
  const [message, setMessage] = useState('');
  const { busy, error, run } = useSubmit();
  if (!mode.data) return mode.error ? <ErrorBanner error={mode.error} /> : <Loading />;
  const on = mode.data.enabled;
  const flip = () => void run(async () => {
    mode.setData(await statusApi.setReadOnly(on ? { enabled: false } : { enabled: true, message: message.trim() || null }));
    await qc.invalidateQueries({ queryKey: STATUS_KEY });
  });
  return (
    <section className="panel" aria-labelledby="read-only-h" data-testid="read-only-admin">
      <h2 id="read-only-h">{t('admin.title')}</h2>
      <p className="muted">{t('admin.intro')}</p>
      {error ? <ErrorBanner error={error} /> : null}
      {on ? (
        <p className="banner banner-error" data-testid="read-only-on">{t('admin.on', { since: formatDateTime(mode.data.since) })}{mode.data.message ? ` — ${mode.data.message}` : ''}</p>
      ) : (
        <TextField label={t('admin.message')} hint={t('admin.messageHint')} value={message} onChange={setMessage} maxLength={500} data-testid="read-only-message" />
      )}
      <button type="button" className={on ? 'button primary' : 'button'} disabled={busy} onClick={flip} data-testid="read-only-toggle">
        {on ? t('admin.switchOff') : t('admin.switchOn')}
      </button>
      <p className="small"><a href="/queue/print">{t('admin.printQueue')}</a> · <a href="/api/v1/queue.csv">{t('admin.queueCsv')}</a></p>
    </section>
  );
}
