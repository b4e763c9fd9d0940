import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { displayTimeZone } from '../../lib/format.ts';
import { useSession } from '../../lib/session.tsx';
import { LANGUAGE_NAMES, LANGUAGES } from '../../i18n/i18n.ts';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { TwoFactorPanel } from '../security/two-factor-panel.tsx';

function zones(): string[] {
  const all = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return all.includes('UTC') ? all : ['UTC', ...all];
}

/** A person's own language and time zone (stored on their profile; every time on screen uses the zone). */
export function ProfilePage() {
  const { t } = useTranslation('workspace');
  usePageTitle(t('profile.title'));
  const { principal, setPrincipal } = useSession();
  const [language, setLanguage] = useState(principal?.language ?? 'en');
  const [zone, setZone] = useState(principal?.time_zone ?? 'UTC');
  const { busy, error, run } = useSubmit();
  const [done, setDone] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    await run(async () => {
      const res = await api.updateProfile({ language, time_zone: zone });
      setPrincipal(res.principal);
      setDone(true);
    });
  }
  return (
    <div className="narrow">
      <h1>{t('profile.title')}</h1>
      <form onSubmit={submit} data-testid="profile-form" className="panel">
        <SelectField label={t('profile.language')} value={language} onChange={setLanguage} data-testid="profile-language">
          {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
        </SelectField>
        <SelectField label={t('profile.zone')} value={zone} onChange={setZone} data-testid="profile-zone">
          {zones().map((z) => <option key={z} value={z}>{z}</option>)}
        </SelectField>
        <TextField label={t('profile.browserZone')} value={Intl.DateTimeFormat().resolvedOptions().timeZone} onChange={() => undefined} readOnly />
        <ErrorBanner error={error} />
        <button className="button primary" type="submit" disabled={busy} data-testid="profile-save">{t('profile.save')}</button>
        {done ? <p role="status" className="muted" data-testid="profile-saved">{t('profile.saved', { zone: displayTimeZone() })}</p> : null}
      </form>
      {principal?.kind === 'user' ? <TwoFactorPanel /> : null}
    </div>
  );
}
