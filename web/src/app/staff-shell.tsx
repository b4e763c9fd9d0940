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
  const { principal, signOut } = useSession();
  const form = useSignIn(api.signIn);
  usePageTitle(t('signIn.title'));

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
        <SignInForm form={form} testId="staff-sign-in" emailAutoComplete="username" passwordRequired errorTestId="sign-in-error">
          <button className="button primary" type="submit" disabled={form.busy} data-testid="sign-in-submit">
            {form.busy ? t('signIn.busy') : t('signIn.submit')}
          </button>
        </SignInForm>
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
