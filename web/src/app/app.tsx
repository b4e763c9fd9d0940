import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router';
import { queryClient } from '../lib/query.ts';
import { SessionProvider } from '../lib/session.tsx';
import { SupportPage } from '../features/support/support-page.tsx';
import { PortalApp } from '../features/portal/portal-app.tsx';
import { HelpCentreApp } from '../features/triage/help-centre.tsx';
import { StaffShell } from './staff-shell.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/admin/password-reset-pages.tsx';

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route
            path="*"
            element={
              <SessionProvider>
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
              </SessionProvider>
            }
          />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
