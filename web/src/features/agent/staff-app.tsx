import type { ReactNode } from 'react';
import { api } from '../../lib/api.ts';
import { Link, match } from '../../lib/router.tsx';
import { isManager, useSession } from '../../lib/session.tsx';
import { SignInForm, useSignIn } from '../../app/sign-in-form.tsx';
import { Loading } from '../../app/ui.tsx';
import { AdminPage } from '../admin/admin-page.tsx';
import { QueuePage } from './queue-page.tsx';
import { TicketPage } from './ticket-page.tsx';

/** The agent workspace and admin: `/`, `/tickets/:number`, `/admin`. */
export function StaffApp({ pathname }: { pathname: string }) {
  const { principal, signOut } = useSession();
  if (principal === undefined) return <Loading />;
  if (!principal || principal.kind !== 'user') return <StaffSignIn />;

  let page: ReactNode;
  const t = match('/tickets/:number', pathname);
  if (t?.number) page = <TicketPage key={t.number} number={t.number} />;
  else if (pathname === '/admin' || pathname.startsWith('/admin/')) {
    page = isManager(principal) ? (
      <AdminPage pathname={pathname} />
    ) : (
      <p className="banner banner-error">Only supervisors and admins can open the admin area.</p>
    );
  } else if (pathname === '/' || pathname === '') page = <QueuePage />;
  else page = <NotFound />;

  const section = pathname.startsWith('/admin') ? 'admin' : 'queue';
  return (
    <div className="staff">
      <header className="topbar">
        <Link to="/" className="brand">
          Replyby
        </Link>
        <nav>
          <Link to="/" className={section === 'queue' ? 'active' : ''}>
            Queue
          </Link>
          {isManager(principal) ? (
            <Link to="/admin" className={section === 'admin' ? 'active' : ''} data-testid="nav-admin">
              Admin
            </Link>
          ) : null}
        </nav>
        <div className="topbar-user">
          <span className="muted" data-testid="current-user">
            {principal.name} · {principal.role}
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <main className="page">{page}</main>
    </div>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <Link to="/">Back to the queue</Link>
    </>
  );
}

function StaffSignIn() {
  const { principal, signOut } = useSession();
  const form = useSignIn(api.signIn);

  return (
    <main className="public-page">
      <section className="card narrow-card">
        <p className="eyebrow">Replyby</p>
        <h1>Sign in to your workspace</h1>
        {principal && principal.kind === 'contact' ? (
          <p className="banner">
            You are signed in to the customer portal as {principal.email}.{' '}
            <a href="/portal">Go to the portal</a> or{' '}
            <button type="button" className="link-button" onClick={() => void signOut()}>
              sign out
            </button>
            .
          </p>
        ) : null}
        <SignInForm form={form} testId="staff-sign-in" emailAutoComplete="username" passwordRequired errorTestId="sign-in-error">
          <button className="button primary" type="submit" disabled={form.busy} data-testid="sign-in-submit">
            {form.busy ? 'Signing in…' : 'Sign in'}
          </button>
        </SignInForm>
      </section>
      <p className="muted center small">
        Customer? <a href="/portal">Open the support portal</a>.
      </p>
    </main>
  );
}
