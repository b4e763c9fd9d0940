import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes } from 'react-router';
import { api } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import { LiveStatus, useLiveUpdates } from '../lib/live.tsx';
import { SignInForm, useSignIn } from './sign-in-form.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { usePageTitle } from './page-title.ts';
import { staffRoutes } from './routes.tsx';
import { Loading } from './ui.tsx';
import { PageBoundary } from './page-boundary.tsx';
import { securityApi } from '../features/security/security-api.ts';

// The second step of a sign-in (two-factor) is fetched only when a sign-in needs it.
const TwoFactorStep = lazy(() => import('../features/security/two-factor-step.tsx').then((m) => ({ default: m.TwoFactorStep })));
import { AvailabilityToggle } from '../features/routing/availability-toggle.tsx';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { ServiceBanner } from '../features/status/service-banner.tsx';

/** The staff workspace: skip link, top navigation from the route table, the page. */
export function StaffShell() {
  const { t } = useTranslation();
  const { principal, signOut } = useSession();
  const staff = principal && principal.kind === 'user' ? principal : null;
  useLiveUpdates(!!staff);
  if (principal === undefined) return <Loading />;
  if (!staff) return <StaffSignIn />;

  const allowed = staffRoutes.filter((r) => !r.roles || r.roles.some((role) => role === staff.role));
  return (
    <div className="staff">
      <a href="#main" className="skip-link">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Replyby
        </Link>
        <nav aria-label={t('nav.main')}>
          {allowed
            .filter((r) => r.nav)
            .map((r) => (
              <NavLink key={r.path} to={r.nav?.match ?? r.path} end={r.nav?.match === '/'} data-testid={r.nav?.testId}
                className={({ isActive }) => (isActive ? 'active' : '')}>
                {t(r.nav?.label ?? '')}
              </NavLink>
            ))}
        </nav>
        <div className="topbar-user">
          <LiveStatus />
          <NotificationBell />
          <AvailabilityToggle userId={staff.id} />
          <LanguageSwitch />
          <Link to="/profile" className="muted" data-testid="current-user">
            {staff.name} · {t(`role.${staff.role}`)}
          </Link>
          <button type="button" className="link-button" onClick={() => void signOut()} data-testid="sign-out">
            {t('signOut')}
          </button>
        </div>
      </header>
      <main className="page" id="main" tabIndex={-1}>
        <ServiceBanner audience="staff" />
        <PageBoundary>
          <Routes>
            {allowed.map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </PageBoundary>
      </main>
    </div>
  );
}

function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p className="muted">{t('notFound.text')}</p>
      <Link to="/">{t('notFound.back')}</Link>
    </>
  );
}

function StaffSignIn() {
  const { t } = useTranslation();
  const { principal, signOut, setPrincipal } = useSession();
  const params = new URLSearchParams(window.location.search);
  // After single sign-on the server may ask for the second factor (?two_factor=verify|enrol; the challenge is in a cookie).
  const fromSso = params.get('two_factor');
  const [pending, setPending] = useState<{ challenge: string | null; enrol: boolean } | null>(
    fromSso === 'verify' || fromSso === 'enrol' ? { challenge: null, enrol: fromSso === 'enrol' } : null);
  const ssoError = params.get('sso_error');
  const [sso, setSso] = useState<{ name: string; start_url: string } | null>(null);
  useEffect(() => {
    securityApi.providers().then((p) => setSso(p.oidc), () => setSso(null));
  }, []);
  const form = useSignIn(async (email, password) => {
    const res = await api.signIn(email, password) as { principal?: typeof principal; two_factor?: { challenge: string; enrol: boolean } };
    if (res.two_factor) setPending(res.two_factor);
    return res.principal ? { principal: res.principal } : {};
  });
  usePageTitle(t('signIn.title'));
  const next = params.get('next');

  return (
    <main className="public-page" id="main">
      <div className="public-tools">
        <LanguageSwitch />
      </div>
      <section className="card narrow-card">
        <p className="eyebrow">Replyby</p>
        <h1>{t('signIn.title')}</h1>
        {principal && principal.kind === 'contact' ? (
          <p className="banner">
            {t('signIn.asContact', { email: principal.email })} <a href="/portal">{t('signIn.goPortal')}</a> ·{' '}
            <button type="button" className="link-button" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </p>
        ) : null}
        {ssoError ? <p className="banner error" role="alert" data-testid="sso-error">{t('signIn.ssoFailed')} {ssoError}</p> : null}
        {pending ? (
          <Suspense fallback={<Loading />}>
            <TwoFactorStep challenge={pending.challenge} enrol={pending.enrol} onCancel={() => setPending(null)}
              onDone={(p) => { setPrincipal(p); if (next?.startsWith('/') && !next.startsWith('//')) window.history.replaceState(null, '', next); }} />
          </Suspense>
        ) : (
          <SignInForm form={form} testId="staff-sign-in" emailAutoComplete="username" passwordRequired errorTestId="sign-in-error">
            <button className="button primary" type="submit" disabled={form.busy} data-testid="sign-in-submit">
              {form.busy ? t('signIn.busy') : t('signIn.submit')}
            </button>
          </SignInForm>
        )}
        {sso && !pending ? (
          <p>
            <a className="button" href={`${sso.start_url}${window.location.pathname !== '/' ? `?next=${encodeURIComponent(window.location.pathname)}` : ''}`} data-testid="sso-sign-in">
              {t('signIn.sso', { name: sso.name })}
            </a>
          </p>
        ) : null}
        <p className="small">
          <Link to="/forgot-password" data-testid="forgot-password-link">{t('signIn.forgot')}</Link>
        </p>
      </section>
      <p className="muted center small">
        {t('signIn.customer')} <a href="/portal">{t('signIn.openPortal')}</a>
      </p>
    </main>
  );
}
