import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { StaffRole } from '../lib/api.ts';
import { AdminPage } from '../features/admin/admin-page.tsx';
import { QueuePage } from '../features/agent/queue-page.tsx';
import { TicketRoute } from '../features/agent/ticket-page.tsx';
import { BoardPage } from '../features/agent/board-page.tsx';
import { ProfilePage } from '../features/agent/profile-page.tsx';
import { ReportsPage } from '../features/reports/reports-page.tsx';
import { NewTicketPage } from '../features/agent/new-ticket-page.tsx';

/**
 * Every staff screen in one table: its path (react-router pattern), its element and, when it belongs in the
 * top navigation, a label key (namespace:key in web/src/locales) and the roles that see it. A new screen
 * (web/src/features/<name>/) slots in by adding one row here.
 */
export type StaffRoute = {
  path: string;
  element: ReactNode;
  /** Roles allowed to open it (default: every staff role). */
  roles?: readonly StaffRole[];
  nav?: { label: string; testId?: string; match?: string };
};

const MANAGERS = ['supervisor', 'admin'] as const;

export const staffRoutes: StaffRoute[] = [
  { path: '/', element: <QueuePage />, nav: { label: 'common:nav.tickets', testId: 'nav-tickets', match: '/' } },
  { path: '/views/:view', element: <QueuePage /> },
  { path: '/tickets/new', element: <NewTicketPage />, nav: { label: 'agentday:newTicket.nav', testId: 'nav-new-ticket', match: '/tickets/new' } },
  { path: '/tickets/:number', element: <TicketRoute /> },
  { path: '/profile', element: <ProfilePage /> },
  { path: '/board', element: <BoardPage />, roles: MANAGERS, nav: { label: 'common:nav.board', testId: 'nav-board', match: '/board' } },
  { path: '/reports', element: <ReportsPage />, roles: MANAGERS, nav: { label: 'reports:nav', testId: 'nav-reports', match: '/reports' } },
  { path: '/search', element: <SearchRedirect /> },
  { path: '/admin/*', element: <AdminPage />, roles: MANAGERS, nav: { label: 'common:nav.admin', testId: 'nav-admin', match: '/admin' } },
];

/** /search?q=… (what people type, and what other helpdesks use) is the search of the "all tickets" view. */
function SearchRedirect() {
  const { search } = useLocation();
  return <Navigate to={`/views/all${search}`} replace />;
}
