import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Route, Routes } from 'react-router';
import { usePageTitle } from '../../app/page-title.ts';
import { useSession } from '../../lib/session.tsx';
import { lazyPage, PageBoundary } from '../../app/page-boundary.tsx';
import { withWords } from '../../i18n/i18n.ts';

// Each section is its own chunk, fetched when it is opened: /admin loads the navigation and the users screen only.
// A section's words come with its code: /admin opens Users, which needs neither part (web/src/i18n/i18n.ts).
const withSectionWords = <M,>(load: Promise<M>): Promise<M> => withWords(load, 'admin-sections');
const withExtraWords = <M,>(load: Promise<M>): Promise<M> => withWords(load, 'admin-extra');
const people = () => import('./people-admin.tsx');
const UsersAdmin = lazyPage(people, 'UsersAdmin');
const GroupsAdmin = lazyPage(people, 'GroupsAdmin');
const OrganizationsAdmin = lazyPage(people, 'OrganizationsAdmin');
const ContactsAdmin = lazyPage(() => withExtraWords(people()), 'ContactsAdmin'); // the erase and export actions
const ListsAdmin = lazyPage(people, 'ListsAdmin');
const SlaCalendarsAdmin = lazyPage(() => withSectionWords(import('./sla-calendars.tsx')), 'SlaCalendarsAdmin');
const SlaPoliciesAdmin = lazyPage(() => withSectionWords(import('./sla-policies.tsx')), 'SlaPoliciesAdmin');
const SlaSimulator = lazyPage(() => withSectionWords(import('./sla-simulator.tsx')), 'SlaSimulator');
const RoutingAdmin = lazyPage(() => withSectionWords(import('./routing-admin.tsx')), 'RoutingAdmin');
const TriggersAdmin = lazyPage(() => withSectionWords(import('./triggers-admin.tsx')), 'TriggersAdmin');
// These three also speak in the triage words (web/src/i18n/i18n.ts: the `triage` part), fetched with them.
const withTriageWords = <M,>(load: Promise<M>): Promise<M> => withWords(load, 'triage');
const ClassifierAdmin = lazyPage(() => withTriageWords(import('./classifier-admin.tsx')), 'ClassifierAdmin');
const DiagnosisFieldsAdmin = lazyPage(() => withTriageWords(import('./diagnosis-fields-admin.tsx')), 'DiagnosisFieldsAdmin');
const MacrosAdmin = lazyPage(() => withSectionWords(import('./macros-admin.tsx')), 'MacrosAdmin');
const KbAdmin = lazyPage(() => withWords(import('./kb-admin.tsx'), 'triage', 'admin-sections'), 'KbAdmin');
const TemplatesAdmin = lazyPage(() => import('./templates-admin.tsx'), 'TemplatesAdmin');
const NoticesAdmin = lazyPage(() => import('./notices-admin.tsx'), 'NoticesAdmin');
const SupportAddressesAdmin = lazyPage(() => import('./support-addresses-admin.tsx'), 'SupportAddressesAdmin');
const WebhooksAdmin = lazyPage(() => withExtraWords(import('./webhooks-admin.tsx')), 'WebhooksAdmin');
const ChannelsAdmin = lazyPage(() => import('./channels-admin.tsx'), 'ChannelsAdmin');
const WidgetAdmin = lazyPage(() => withExtraWords(import('./widget-admin.tsx')), 'WidgetAdmin');
const TokensAdmin = lazyPage(() => withExtraWords(import('./tokens-admin.tsx')), 'TokensAdmin');
const AuditLogAdmin = lazyPage(() => import('./audit-log-admin.tsx'), 'AuditLogAdmin');
const RetentionAdmin = lazyPage(() => withExtraWords(import('./privacy-admin.tsx')), 'RetentionAdmin');
const ImportAdmin = lazyPage(() => withExtraWords(import('../cockpit/import-admin.tsx')), 'ImportAdmin');
// Degraded mode's words live with the other operations words (the reports part).
const ReadOnlyAdmin = lazyPage(() => withWords(import('../status/read-only-admin.tsx'), 'reports'), 'ReadOnlyAdmin');

const SECTIONS = [
  { path: 'users', label: 'nav.users', element: <UsersAdmin /> },
  { path: 'groups', label: 'nav.groups', element: <GroupsAdmin /> },
  { path: 'organizations', label: 'nav.organizations', element: <OrganizationsAdmin /> },
  { path: 'contacts', label: 'nav.contacts', element: <ContactsAdmin /> },
  { path: 'lists', label: 'nav.lists', element: <ListsAdmin /> },
  { path: 'sla-calendars', label: 'nav.calendars', element: <SlaCalendarsAdmin /> },
  { path: 'sla-policies', label: 'nav.policies', element: <SlaPoliciesAdmin /> },
  { path: 'sla-simulator', label: 'nav.simulator', element: <SlaSimulator /> },
  { path: 'routing', label: 'nav.routing', element: <RoutingAdmin /> },
  { path: 'triggers', label: 'nav.triggers', element: <TriggersAdmin /> },
  { path: 'classifier', label: 'nav.classifier', element: <ClassifierAdmin /> },
  { path: 'diagnosis-fields', label: 'nav.diagnosisFields', element: <DiagnosisFieldsAdmin /> },
  { path: 'macros', label: 'nav.macros', element: <MacrosAdmin /> },
  { path: 'kb', label: 'nav.kb', element: <KbAdmin /> },
  // Mail and notification settings (review 2026-12-07 item 24); labels in the admin2 namespace.
  { path: 'mail-templates', label: 'admin2:nav.templates', element: <TemplatesAdmin /> },
  { path: 'customer-notices', label: 'admin2:nav.notices', element: <NoticesAdmin /> },
  { path: 'support-addresses', label: 'admin2:nav.addresses', element: <SupportAddressesAdmin />, adminOnly: true },
  { path: 'webhooks', label: 'admin2:nav.webhooks', element: <WebhooksAdmin />, adminOnly: true },
  { path: 'channels', label: 'admin2:nav.channels', element: <ChannelsAdmin />, adminOnly: true },
  { path: 'chat-widget', label: 'nav.widget', element: <WidgetAdmin />, adminOnly: true },
  { path: 'api-tokens', label: 'nav.tokens', element: <TokensAdmin />, adminOnly: true },
  { path: 'degraded-mode', label: 'status:admin.nav', element: <ReadOnlyAdmin />, adminOnly: true },
  { path: 'audit-log', label: 'admin2:nav.audit', element: <AuditLogAdmin />, adminOnly: true },
  { path: 'import', label: 'nav.import', element: <ImportAdmin />, adminOnly: true },
  { path: 'retention', label: 'nav.retention', element: <RetentionAdmin />, adminOnly: true },
] as const;

/** Sections whose API answers admins only are not offered to supervisors (they would open on a 403). */
const offered = (role: string | undefined) => SECTIONS.filter((s) => !('adminOnly' in s) || role === 'admin');

/** Admin: one route per section; /admin opens Users, and any other path is a not-found page (review 15). */
export function AdminPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('title'));
  const sections = offered(useSession().principal?.role);
  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
      </div>
      <nav className="tabs" aria-label={t('nav.label')}>
        {sections.map((s) => (
          <NavLink key={s.path} to={`/admin/${s.path}`} className={({ isActive }) => (isActive ? 'active' : '')} data-testid={`admin-tab-${s.path}`}>
            {t(s.label)}
          </NavLink>
        ))}
      </nav>
      <PageBoundary>
        <Routes>
          <Route index element={<Navigate to="/admin/users" replace />} />
          {sections.map((s) => <Route key={s.path} path={s.path} element={s.element} />)}
          <Route path="*" element={<AdminNotFound />} />
        </Routes>
      </PageBoundary>
    </>
  );
}

function AdminNotFound() {
  const { t } = useTranslation('admin');
  return (
    <section className="panel" data-testid="admin-not-found">
      <h2>{t('notFound.title')}</h2>
      <p className="muted">{t('notFound.text')}</p>
      <Link to="/admin/users">{t('notFound.back')}</Link>
    </section>
  );
}
