import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../lib/api.ts';
import { usePageTitle } from '../../app/page-title.ts';
import { LanguageSwitch } from '../../app/language-switch.tsx';
import { ErrorBanner, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';

/** Staff "forgot password" (review 16): asks for the e-mail; the answer is the same whether or not it is known. */
export function ForgotPasswordPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('forgot.title'));
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.forgotPassword(email.trim());
      setSentTo(email.trim());
    });
  }
  return (
    <main className="public-page" id="main">
      <div className="public-tools"><LanguageSwitch /></div>
      <section className="card narrow-card">
        <h1>{t('forgot.title')}</h1>
        {sentTo ? (
          <p className="banner banner-ok" role="status" data-testid="reset-sent">{t('forgot.sent', { email: sentTo })}</p>
        ) : (
          <form ref={formRef} onSubmit={submit} data-testid="forgot-password" noValidate>
            <p className="muted">{t('forgot.intro')}</p>
            <TextField label={t('email')} type="email" name="email" autoComplete="username" required error={fieldErrorsOf(error).email} value={email} onChange={setEmail} />
            <ErrorBanner error={bannerError(error, ['email'])} />
            <div className="actions">
              <button type="submit" className="button primary" disabled={busy}>{t('forgot.submit')}</button>
            </div>
          </form>
        )}
        <p><Link to="/">{t('forgot.back')}</Link></p>
      </section>
    </main>
  );
}

/** The page the reset mail links to; the token rides in the URL fragment, which browsers never send to a server. */
export function ResetPasswordPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('reset.title'));
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.resetPassword(token, password);
      setDone(true);
      // The token is spent; keep it out of the history.
      window.history.replaceState(null, '', '/reset-password');
    });
  }
  return (
    <main className="public-page" id="main">
      <div className="public-tools"><LanguageSwitch /></div>
      <section className="card narrow-card">
        <h1>{t('reset.title')}</h1>
        {done ? (
          <p className="banner banner-ok" role="status" data-testid="reset-done">{t('reset.done')} <Link to="/">{t('forgot.back')}</Link></p>
        ) : !token ? (
          <p className="banner" role="status">{t('reset.missing')} <Link to="/forgot-password">{t('reset.again')}</Link></p>
        ) : (
          <form ref={formRef} onSubmit={submit} data-testid="reset-password" noValidate>
            <TextField label={t('reset.password')} type="password" autoComplete="new-password" required hint={t('reset.hint')} error={fe.password} value={password} onChange={setPassword} />
            <ErrorBanner error={bannerError(error, ['password'])} testId="reset-error" />
            {fe.token ? <p><Link to="/forgot-password">{t('reset.again')}</Link></p> : null}
            <div className="actions">
              <button type="submit" className="button primary" disabled={busy}>{t('reset.submit')}</button>
            </div>
          </form>
        )}
      </section>
    </main>
  );
}
