import { useLocation } from '../lib/router.tsx';
import { SessionProvider } from '../lib/session.tsx';
import { SupportPage } from '../features/support/support-page.tsx';
import { PortalApp } from '../features/portal/portal-app.tsx';
import { StaffApp } from '../features/agent/staff-app.tsx';

function Routes({ pathname }: { pathname: string }) {
  if (pathname === '/portal' || pathname.startsWith('/portal/')) return <PortalApp pathname={pathname} />;
  return <StaffApp pathname={pathname} />;
}

export function App() {
  const { pathname } = useLocation();
  // The public form needs no session.
  if (pathname === '/support' || pathname.startsWith('/support/')) return <SupportPage />;
  return (
    <SessionProvider>
      <Routes pathname={pathname} />
    </SessionProvider>
  );
}
