import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { StaffRole } from '../lib/api.ts';
import { withWords } from '../i18n/i18n.ts';
import { lazyPage } from './page-boundary.tsx';

// Each screen is its own chunk, fetched on first visit (staff-shell.tsx shows the loading line meanwhile): an
// agent opening the queue does not download the admin screens or the reports (bench:ui measures what each
// role's first screen loads).
const AdminPage = lazyPage(() => withWords(import('../features/admin/admin-page.tsx'), 'admin'), 'AdminPage');
const QueuePage = lazyPage(() => withWords(import('../features/agent/queue-page.tsx'), 'queue'), 'QueuePage');
const TicketRoute = lazyPage(() => import('../features/agent/ticket-page.tsx'), 'TicketRoute');
const BoardPage = lazyPage(() => withWords(import('../features/agent/board-page.tsx'), 'queue'), 'BoardPage');
const ProfilePage = lazyPage(() => import('../features/agent/profile-page.tsx'), 'ProfilePage');
// The reports' words (a tenth of all the text) come with the reports, not with every first screen.
const withReportsWords = <M,>(load: Promise<M>): Promise<M> => withWords(load, 'reports');
const ReportsPage = lazyPage(() => withReportsWords(import('../features/reports/reports-page.tsx')), 'ReportsPage');
const CockpitPage = lazyPage(() => withReportsWords(import('../features/cockpit/cockpit-page.tsx')), 'CockpitPage');
const DrillDownPage = lazyPage(() => withReportsWords(import('../features/reports/drilldown-page.tsx')), 'DrillDownPage');
const NewTicketPage = lazyPage(() => import('../features/agent/new-ticket-page.tsx'), 'NewTicketPage');
// Planning (issue 19): the week's required vs rostered staff and the rosters; their words are in the reports part.
const PlanningPage = lazyPage(() => withReportsWords(import('../features/planning/planning-page.tsx')), 'PlanningPage');
const RosterPage = lazyPage(() => withReportsWords(import('../features/planning/roster-page.tsx')), 'RosterPage');
const PrintQueuePage = lazyPage(() => withReportsWords(import('../features/status/print-queue.tsx')), 'PrintQueuePage');

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
  // The manual fallback (docs/surge.md): the queue as a printable page; linked from the queue and Admin → Degraded mode.
  { path: '/queue/print', element: <PrintQueuePage /> },
  { path: '/board', element: <BoardPage />, roles: MANAGERS, nav: { label: 'common:nav.board', testId: 'nav-board', match: '/board' } },
  { path: '/reports', element: <ReportsPage />, roles: MANAGERS, nav: { label: 'common:nav.reports', testId: 'nav-reports', match: '/reports' } },
  { path: '/reports/tickets', element: <DrillDownPage />, roles: MANAGERS },
  { path: '/reports/cockpit', element: <CockpitPage />, roles: MANAGERS },
  { path: '/planning', element: <PlanningPage />, roles: MANAGERS, nav: { label: 'common:nav.planning', testId: 'nav-planning', match: '/planning' } },
  { path: '/planning/rosters', element: <RosterPage />, roles: MANAGERS },
  { path: '/search', element: <SearchRedirect /> },
  { path: '/admin/*', element: <AdminPage />, roles: MANAGERS, nav: { label: 'common:nav.admin', testId: 'nav-admin', match: '/admin' } },
];

/** /search?q=… (what people type, and what other helpdesks use) is the search of the "all tickets" view. */
function SearchRedirect() {
  const { search } = useLocation();
  return <Navigate to={`/views/all${search}`} replace />;
}
