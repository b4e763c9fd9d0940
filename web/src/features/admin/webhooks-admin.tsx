import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { settingsApi, type DeadLetter, type Delivery, type DeliveryStatus, type Webhook } from './settings-api.ts';

/** The ticket lifecycle events a receiver may subscribe to (docs/integrations.md). */
const LIFECYCLE = ['ticket.created', 'ticket.updated', 'ticket.replied', 'ticket.solved', 'ticket.closed', 'ticket.merged'] as const;
const STATUSES: readonly DeliveryStatus[] = ['pending', 'retrying', 'delivered', 'dead'];
const isLifecycle = (e: string) => (LIFECYCLE as readonly string[]).includes(e);

/**
 * Admin → Webhooks: the receivers of ticket lifecycle events and staff events (SLA warnings, breaches,
 * escalations…) with their subscriptions, the delivery log (status, attempts, last error, response code; each
 * delivery can be sent again) and the deliveries that failed for good. A receiver's signing secret is shown
 * once, when it is added (the API never returns it again); address, subscriptions and state can be edited.
 */
export function WebhooksAdmin() {
  const { t } = useTranslation('admin2');
  const { t: ti } = useTranslation('integrations');
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
        rowKey={(h) => h.id} rowTestId={(h) => `webhook-row-${h.url}`} rowName={(h) => h.url} empty={t('hooks.none')}
        toolbar={secret ? (
          <div className="banner" role="status" data-testid="webhook-secret">
            <p>{t('hooks.secretOnce', { url: secret.url })}</p>
            <code>{secret.secret}</code>
          </div>
        ) : null}
        columns={[
          { header: t('hooks.url'), cell: (h) => <code>{h.url}</code>, rowHeader: true },
          { header: t('hooks.events'), cell: (h) => (h.events.length ? h.events.join(', ') : ti('hooks.allStaffEvents')) },
          { header: t('hooks.state'), cell: (h) => <Badge tone={h.active ? 'green' : 'muted'}>{t(h.active ? 'hooks.active' : 'hooks.paused')}</Badge> },
          { header: t('hooks.added'), cell: (h) => formatDateTime(h.created_at) },
        ]}
        newLabel={t('hooks.new')} newTestId="webhook-new"
        editor={({ row, saved, cancel }) => (
          <WebhookEditor row={row} onCancel={cancel} onUpdated={async (h) => saved(ti('hooks.updated', { url: h.url }))}
            onCreated={async (h) => { setSecret({ url: h.url, secret: h.secret }); await saved(t('hooks.addedOne', { url: h.url })); }} />
        )}
        remove={{
          confirmTitle: t('hooks.confirmTitle'), confirmText: (h) => t('hooks.confirmText', { url: h.url }),
          run: async (h) => { await settingsApi.deleteWebhook(h.id); setSecret(null); return t('hooks.deleted', { url: h.url }); },
        }} />
      <DeliveryLog hookUrl={hookUrl} />
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

/** The delivery log, newest first, filtered by status; each delivery can be sent again (same id and body). */
function DeliveryLog({ hookUrl }: { hookUrl: (id: string | null) => string }) {
  const { t } = useTranslation('integrations');
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const log = useLoad(['admin', 'webhook-deliveries', status], () => settingsApi.deliveries(status));
  const filter = (
    <SelectField label={t('deliveries.filter')} value={status} onChange={(v) => setStatus(v as DeliveryStatus | '')} data-testid="deliveries-filter">
      <option value="">{t('deliveries.every')}</option>
      {STATUSES.map((s) => <option key={s} value={s}>{t(`deliveries.status.${s}`)}</option>)}
    </SelectField>
  );
  if (!log.data) return log.error ? <ErrorBanner error={log.error} /> : <Loading />;
  return (
    <ListEdit<Delivery> testId="webhook-deliveries" title={t('deliveries.title')} intro={<p>{t('deliveries.intro')}</p>} rows={log.data} reload={log.reload}
      rowKey={(d) => d.id} rowTestId={(d) => `delivery-${d.id}`} rowName={(d) => `${d.event} ${d.id}`} empty={t('deliveries.none')} toolbar={filter}
      columns={[
        { header: t('deliveries.created'), cell: (d) => formatDateTime(d.created_at), rowHeader: true },
        { header: t('deliveries.event'), cell: (d) => <code>{d.event}</code> },
        { header: t('deliveries.receiver'), cell: (d) => hookUrl(d.webhook_id) },
        { header: t('deliveries.statusCol'), cell: (d) => <Badge tone={d.status === 'delivered' ? 'green' : d.status === 'dead' ? 'red' : 'muted'}>{t(`deliveries.status.${d.status}`)}</Badge> },
        { header: t('deliveries.attempts'), cell: (d) => String(d.attempts) },
        { header: t('deliveries.code'), cell: (d) => (d.response_code === null ? '—' : String(d.response_code)) },
        { header: t('deliveries.lastError'), cell: (d) => d.last_error ?? '—' },
      ]}
      actions={[{
        label: () => t('deliveries.resend'), ariaLabel: (d) => t('deliveries.resendOne', { event: d.event, id: d.id }), testId: (d) => `delivery-resend-${d.id}`,
        hidden: (d) => d.status === 'pending' || d.status === 'retrying',
        run: async (d) => { await settingsApi.resendDelivery(d.id); return t('deliveries.resent', { id: d.id }); },
      }]} />
  );
}

function WebhookEditor({ row, onCreated, onUpdated, onCancel }: { row: Webhook | null; onCreated: (h: Webhook & { secret: string }) => Promise<void>; onUpdated: (h: Webhook) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin2');
  const { t: ti } = useTranslation('integrations');
  const [url, setUrl] = useState(row?.url ?? '');
  const [lifecycle, setLifecycle] = useState<string[]>(row?.events.filter(isLifecycle) ?? []);
  const [events, setEvents] = useState(row?.events.filter((e) => !isLifecycle(e)).join(', ') ?? '');
  const [active, setActive] = useState(row?.active ?? true);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const title = row ? ti('hooks.edit', { url: row.url }) : t('hooks.new');
  function submit(e: FormEvent) {
    e.preventDefault();
    const list = [...lifecycle, ...events.split(',').map((x) => x.trim()).filter(Boolean)];
    void run(async () => (row
      ? onUpdated(await settingsApi.updateWebhook(row.id, { url: url.trim(), events: list, active }))
      : onCreated(await settingsApi.createWebhook({ url: url.trim(), events: list, active }))));
  }
  const toggle = (name: string, on: boolean) => setLifecycle((xs) => (on ? [...xs, name] : xs.filter((x) => x !== name)));
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={title} data-testid="webhook-editor">
      <h3>{title}</h3>
      <TextField label={t('hooks.url')} type="url" hint={t('hooks.urlHint')} error={fe.url} value={url} onChange={setUrl} data-testid="webhook-url" />
      <fieldset>
        <legend>{ti('hooks.lifecycle')}</legend>
        <p className="hint">{ti('hooks.lifecycleHint')}</p>
        {LIFECYCLE.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={lifecycle.includes(name)} onChange={(e) => toggle(name, e.target.checked)} data-testid={`webhook-event-${name}`} />
            {ti(`events.${name.replace('ticket.', '')}`)} <code>{name}</code>
          </label>
        ))}
      </fieldset>
      <TextField label={ti('hooks.staffEvents')} hint={ti('hooks.staffEventsHint')} error={fe.events} value={events} onChange={setEvents} data-testid="webhook-events" />
      <label className="check"><input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{t('hooks.activeLabel')}</label>
      <ErrorBanner error={bannerError(error, ['url', 'events'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('list.cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="webhook-save">{row ? ti('hooks.save') : t('hooks.add')}</button>
      </div>
    </form>
  );
}
