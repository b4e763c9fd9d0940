import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router';
import { queryClient } from '../lib/query.ts';
import { SessionProvider } from '../lib/session.tsx';
import { withWords } from '../i18n/i18n.ts';
import { lazyPage, PageBoundary } from './page-boundary.tsx';

// Each audience's entry is its own chunk: a customer on /support or /portal does not download the staff
// workspace, and staff do not download the customer pages (the staff screens split further in routes.tsx).
// The customer pages' words come with them: no staff screen loads them.
const withCustomerWords = <M,>(load: Promise<M>): Promise<M> => withWords(load, 'customer');
const SupportPage = lazyPage(() => withCustomerWords(import('../features/support/support-page.tsx')), 'SupportPage');
const PortalApp = lazyPage(() => withCustomerWords(import('../features/portal/portal-app.tsx')), 'PortalApp');
const HelpCentreApp = lazyPage(() => import('../features/triage/help-centre.tsx'), 'HelpCentreApp');
const StaffShell = lazyPage(() => import('./staff-shell.tsx'), 'StaffShell');
const passwordPages = () => withWords(import('../features/admin/password-reset-pages.tsx'), 'admin');
const ForgotPasswordPage = lazyPage(passwordPages, 'ForgotPasswordPage');
const ResetPasswordPage = lazyPage(passwordPages, 'ResetPasswordPage');

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route
            path="*"
            element={
              <SessionProvider>
                <PageBoundary>
                <Routes>
                  {/* Signed out by nature, but the page chrome (language switch) reads the session. */}
                  <Route path="/forgot-password" element={<ForgotPasswordPage />} />
                  <Route path="/reset-password" element={<ResetPasswordPage />} />
                  {/* The public form needs no sign-in; a signed-in customer is not asked who they are. */}
                  <Route path="/support/*" element={<SupportPage />} />
                  <Route path="/portal/*" element={<PortalApp />} />
                  {/* The public help centre: published articles, no sign-in needed. */}
                  <Route path="/help/*" element={<HelpCentreApp />} />
                  <Route path="*" element={<StaffShell />} />
                </Routes>
                </PageBoundary>
              </SessionProvider>
            }
          />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
