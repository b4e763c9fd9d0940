import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { settingsApi, type ApiToken, type TokenScope } from './settings-api.ts';

const SCOPES: readonly TokenScope[] = ['read', 'tickets', 'admin'];

/**
 * Admin → API tokens: every staff member's tokens with their scopes (read, tickets, admin — never wider than
 * the owner's role) and requests per minute (empty: the server's default). A new token is the admin's own
 * and is shown once. Every change is in the audit log.
 */
export function TokensAdmin() {
  const { t } = useTranslation('integrations');
  const data = useLoad(['admin', 'api-tokens'], () => settingsApi.apiTokens());
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  return (
    <ListEdit<ApiToken> testId="api-tokens-admin" title={t('tokens.title')} intro={<p>{t('tokens.intro')}</p>} rows={data.data} reload={data.reload}
      rowKey={(x) => x.id} rowTestId={(x) => `api-token-${x.name}`} rowName={(x) => x.name} empty={t('tokens.none')}
      mayEdit={(x) => x.revoked_at === null}
      toolbar={secret ? (
        <div className="banner" role="status" data-testid="api-token-secret">
          <p>{t('tokens.secretOnce', { name: secret.name })}</p>
          <code>{secret.token}</code>
        </div>
      ) : null}
      columns={[
        { header: t('tokens.name'), cell: (x) => x.name, rowHeader: true },
        { header: t('tokens.owner'), cell: (x) => x.owner.name || x.owner.email },
        { header: t('tokens.scopes'), cell: (x) => x.scopes.map((s) => t(`scopes.${s}`)).join(', ') },
        { header: t('tokens.limit'), cell: (x) => (x.rate_limit_per_minute === null ? t('tokens.defaultLimit') : t('tokens.perMinute', { n: x.rate_limit_per_minute })) },
        { header: t('tokens.lastUsed'), cell: (x) => (x.last_used_at ? formatDateTime(x.last_used_at) : '—') },
        { header: t('tokens.state'), cell: (x) => <Badge tone={x.revoked_at ? 'muted' : 'green'}>{t(x.revoked_at ? 'tokens.revoked' : 'tokens.active')}</Badge> },
      ]}
      newLabel={t('tokens.new')} newTestId="api-token-new"
      editor={({ row, saved, cancel }) => (
        <TokenEditor row={row} onCancel={cancel}
          onSaved={async (message, created) => { setSecret(created ?? null); await saved(message); }} />
      )}
      actions={[{
        label: () => t('tokens.revoke'), ariaLabel: (x) => t('tokens.revokeOne', { name: x.name }), testId: (x) => `api-token-revoke-${x.name}`,
        hidden: (x) => x.revoked_at !== null,
        run: async (x) => { await settingsApi.revokeApiToken(x.id); setSecret(null); return t('tokens.revokedOne', { name: x.name }); },
      }]} />
  );
}

function TokenEditor({ row, onSaved, onCancel }: { row: ApiToken | null; onSaved: (message: string, created?: { name: string; token: string }) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('integrations');
  const [name, setName] = useState(row?.name ?? '');
  const [scopes, setScopes] = useState<TokenScope[]>(row?.scopes ?? ['read']);
  const [limit, setLimit] = useState(row?.rate_limit_per_minute === null || row === null ? '' : String(row.rate_limit_per_minute));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const title = row ? t('tokens.edit', { name: row.name }) : t('tokens.new');
  function submit(e: FormEvent) {
    e.preventDefault();
    // An empty limit is the server's default; what is not a whole number goes as 0, which the server refuses naming the field.
    const typed = Number(limit.trim());
    const perMinute = limit.trim() === '' ? null : Number.isInteger(typed) ? typed : 0;
    void run(async () => {
      if (row) {
        await settingsApi.updateApiToken(row.id, { scopes, rate_limit_per_minute: perMinute });
        await onSaved(t('tokens.saved', { name: row.name }));
      } else {
        const made = await settingsApi.createApiToken({ name: name.trim(), scopes, rate_limit_per_minute: perMinute });
        await onSaved(t('tokens.added', { name: made.name }), { name: made.name, token: made.token });
      }
    });
  }
  const toggle = (s: TokenScope, on: boolean) => setScopes((xs) => (on ? [...xs, s] : xs.filter((x) => x !== s)));
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={title} data-testid="api-token-editor">
      <h3>{title}</h3>
      {row ? null : <TextField label={t('tokens.name')} error={fe.name} value={name} onChange={setName} data-testid="api-token-name" />}
      <fieldset aria-describedby="api-token-scopes-hint">
        <legend>{t('tokens.scopes')}</legend>
        <p className="hint" id="api-token-scopes-hint">{t('tokens.scopesHint')}</p>
        {SCOPES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => toggle(s, e.target.checked)} data-testid={`api-token-scope-${s}`} />
            {t(`scopes.${s}`)} — {t(`scopes.${s}Hint`)}
          </label>
        ))}
        {fe.scopes ? <p className="field-error" role="alert">{fe.scopes}</p> : null}
      </fieldset>
      <TextField label={t('tokens.limit')} hint={t('tokens.limitHint')} inputMode="numeric" error={fe.rate_limit_per_minute} value={limit} onChange={setLimit} data-testid="api-token-limit" />
      <ErrorBanner error={bannerError(error, ['name', 'scopes', 'rate_limit_per_minute'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('tokens.cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="api-token-save">{row ? t('tokens.save') : t('tokens.create')}</button>
      </div>
    </form>
  );
}
