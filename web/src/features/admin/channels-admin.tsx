import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { settingsApi, type Channel, type CreatedChannel } from './settings-api.ts';

/**
 * Admin → Messengers: Telegram bots and generic webhook messengers (docs/channels.md). The secret is shown
 * once, when the channel is added — for Telegram with the setWebhook call that registers it; the bot token is
 * never shown again. A channel is switched off rather than removed (its tickets keep their conversation).
 */
export function ChannelsAdmin() {
  const { t } = useTranslation('admin2');
  const data = useLoad(['admin', 'channels'], () => settingsApi.channels());
  const [created, setCreated] = useState<CreatedChannel | null>(null);
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  // Chat widgets have their own screen (Admin → Chat widget).
  const messengers = data.data.filter((c) => c.kind !== 'widget');
  return (
    <ListEdit<Channel> testId="channels-admin" title={t('channels.title')} intro={<p>{t('channels.intro')}</p>} rows={messengers} reload={data.reload}
      rowKey={(c) => c.id} rowTestId={(c) => `channel-row-${c.name}`} rowName={(c) => c.name} empty={t('channels.none')} mayEdit={() => false}
      toolbar={created ? (
        <div className="banner" role="status" data-testid="channel-secret">
          <p>{t('channels.secretOnce', { name: created.name })}</p>
          <code>{created.secret}</code>
          <p>{t(created.kind === 'telegram' ? 'channels.telegramNext' : 'channels.webhookNext', { url: created.inbound_url })}</p>
        </div>
      ) : null}
      columns={[
        { header: t('channels.name'), cell: (c) => c.name, rowHeader: true },
        { header: t('channels.kind'), cell: (c) => t(`channels.kinds.${c.kind}`) },
        { header: t('channels.group'), cell: (c) => c.group_name ?? t('channels.defaultGroup') },
        { header: t('channels.inbound'), cell: (c) => <code>{c.inbound_path}</code> },
        { header: t('channels.tickets'), cell: (c) => String(c.tickets) },
        { header: t('channels.state'), cell: (c) => <Badge tone={c.active ? 'green' : 'muted'}>{t(c.active ? 'channels.active' : 'channels.disabled')}</Badge> },
        { header: t('channels.added'), cell: (c) => formatDateTime(c.created_at) },
      ]}
      newLabel={t('channels.new')} newTestId="channel-new"
      editor={({ saved, cancel }) => (
        <ChannelEditor onCancel={cancel} onCreated={async (c) => { setCreated(c); await saved(t('channels.addedOne', { name: c.name })); }} />
      )}
      actions={[{
        label: (c) => t(c.active ? 'channels.disable' : 'channels.enable'), ariaLabel: (c) => t(c.active ? 'channels.disableOne' : 'channels.enableOne', { name: c.name }),
        testId: (c) => `channel-toggle-${c.name}`,
        run: async (c) => { await settingsApi.updateChannel(c.id, { active: !c.active }); return t(c.active ? 'channels.disabledOne' : 'channels.enabledOne', { name: c.name }); },
      }]} />
  );
}

function ChannelEditor({ onCreated, onCancel }: { onCreated: (c: CreatedChannel) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin2');
  const [kind, setKind] = useState<'telegram' | 'webhook'>('telegram');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [url, setUrl] = useState('');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    const body = kind === 'telegram' ? { kind, name: name.trim(), bot_token: token.trim() } : { kind, name: name.trim(), url: url.trim() };
    void run(async () => onCreated(await settingsApi.createChannel(body)));
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={t('channels.new')} data-testid="channel-editor">
      <h3>{t('channels.new')}</h3>
      <SelectField label={t('channels.kind')} value={kind} onChange={(v) => setKind(v === 'webhook' ? 'webhook' : 'telegram')} error={fe.kind} data-testid="channel-kind">
        <option value="telegram">{t('channels.kinds.telegram')}</option>
        <option value="webhook">{t('channels.kinds.webhook')}</option>
      </SelectField>
      <TextField label={t('channels.name')} error={fe.name} value={name} onChange={setName} data-testid="channel-name" />
      {kind === 'telegram'
        ? <TextField label={t('channels.token')} hint={t('channels.tokenHint')} type="password" autoComplete="off" error={fe.bot_token} value={token} onChange={setToken} data-testid="channel-token" />
        : <TextField label={t('channels.url')} hint={t('channels.urlHint')} type="url" error={fe.url} value={url} onChange={setUrl} data-testid="channel-url" />}
      <ErrorBanner error={bannerError(error, ['kind', 'name', 'bot_token', 'url'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('list.cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="channel-save">{t('channels.add')}</button>
      </div>
    </form>
  );
}
