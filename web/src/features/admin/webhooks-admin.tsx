import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { settingsApi, type DeadLetter, type Webhook } from './settings-api.ts';

/**
 * Admin → Webhooks: the receivers of staff events (SLA warnings, breaches, escalations…) and the deliveries that
 * failed for good, each of which can be sent again. A receiver's signing secret is shown once, when it is added
 * (the API never returns it again); a receiver is replaced rather than edited.
 */
export function WebhooksAdmin() {
  const { t } = useTranslation('admin2');
  const data = useLoad(['admin', 'webhooks'], async () => {
    const [hooks, dead] = await Promise.all([settingsApi.webhooks(), settingsApi.deadLetters()]);
    return { hooks, dead };
  });
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { hooks, dead } = data.data;
  const hookUrl = (id: string | null) => hooks.find((h) => h.id === id)?.url ?? t('hooks.removedHook');
  return (
    <>
      <ListEdit<Webhook> testId="webhooks-admin" title={t('hooks.title')} intro={<p>{t('hooks.intro')}</p>} rows={hooks} reload={data.reload}
        rowKey={(h) => h.id} rowTestId={(h) => `webhook-row-${h.url}`} rowName={(h) => h.url} empty={t('hooks.none')} mayEdit={() => false}
        toolbar={secret ? (
          <div className="banner" role="status" data-testid="webhook-secret">
            <p>{t('hooks.secretOnce', { url: secret.url })}</p>
            <code>{secret.secret}</code>
          </div>
        ) : null}
        columns={[
          { header: t('hooks.url'), cell: (h) => <code>{h.url}</code>, rowHeader: true },
          { header: t('hooks.events'), cell: (h) => (h.events.length ? h.events.join(', ') : t('hooks.allEvents')) },
          { header: t('hooks.state'), cell: (h) => <Badge tone={h.active ? 'green' : 'muted'}>{t(h.active ? 'hooks.active' : 'hooks.paused')}</Badge> },
          { header: t('hooks.added'), cell: (h) => formatDateTime(h.created_at) },
        ]}
        newLabel={t('hooks.new')} newTestId="webhook-new"
        editor={({ saved, cancel }) => (
          <WebhookEditor onCancel={cancel} onCreated={async (h) => { setSecret({ url: h.url, secret: h.secret }); await saved(t('hooks.addedOne', { url: h.url })); }} />
        )}
        remove={{
          confirmTitle: t('hooks.confirmTitle'), confirmText: (h) => t('hooks.confirmText', { url: h.url }),
          run: async (h) => { await settingsApi.deleteWebhook(h.id); setSecret(null); return t('hooks.deleted', { url: h.url }); },
        }} />
      <ListEdit<DeadLetter> testId="dead-letters" title={t('hooks.deadTitle')} intro={<p>{t('hooks.deadIntro')}</p>} rows={dead} reload={data.reload}
        rowKey={(d) => d.id} rowTestId={(d) => `dead-letter-${d.id}`} rowName={(d) => `${d.event ?? ''} #${d.id}`} empty={t('hooks.noDead')}
        columns={[
          { header: t('hooks.failedAt'), cell: (d) => formatDateTime(d.failed_at), rowHeader: true },
          { header: t('hooks.event'), cell: (d) => d.event ?? '—' },
          { header: t('hooks.receiver'), cell: (d) => hookUrl(d.webhook_id) },
          { header: t('hooks.attempts'), cell: (d) => String(d.attempts) },
          { header: t('hooks.lastError'), cell: (d) => d.last_error ?? '—' },
        ]}
        actions={[{
          label: () => t('hooks.retry'), ariaLabel: (d) => t('hooks.retryOne', { id: d.id }), testId: (d) => `dead-letter-retry-${d.id}`,
          hidden: (d) => !hooks.some((h) => h.id === d.webhook_id),
          run: async (d) => { await settingsApi.retryDeadLetter(d.id); return t('hooks.retried', { id: d.id }); },
        }]} />
    </>
  );
}

function WebhookEditor({ onCreated, onCancel }: { onCreated: (h: Webhook & { secret: string }) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin2');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('');
  const [active, setActive] = useState(true);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    const list = events.split(',').map((x) => x.trim()).filter(Boolean);
    void run(async () => onCreated(await settingsApi.createWebhook({ url: url.trim(), events: list, active })));
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={t('hooks.new')} data-testid="webhook-editor">
      <h3>{t('hooks.new')}</h3>
      <TextField label={t('hooks.url')} type="url" hint={t('hooks.urlHint')} error={fe.url} value={url} onChange={setUrl} data-testid="webhook-url" />
      <TextField label={t('hooks.events')} hint={t('hooks.eventsHint')} error={fe.events} value={events} onChange={setEvents} data-testid="webhook-events" />
      <label className="check"><input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{t('hooks.activeLabel')}</label>
      <ErrorBanner error={bannerError(error, ['url', 'events'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('list.cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="webhook-save">{t('hooks.add')}</button>
      </div>
    </form>
  );
}
