import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Route, Routes } from 'react-router';
import { usePageTitle } from '../../app/page-title.ts';
import { useSession } from '../../lib/session.tsx';
import { SlaSimulator } from './sla-simulator.tsx';
import { SlaCalendarsAdmin } from './sla-calendars.tsx';
import { SlaPoliciesAdmin } from './sla-policies.tsx';
import { RoutingAdmin } from './routing-admin.tsx';
import { TriggersAdmin } from './triggers-admin.tsx';
import { MacrosAdmin } from './macros-admin.tsx';
import { KbAdmin } from './kb-admin.tsx';
import { ClassifierAdmin } from './classifier-admin.tsx';
import { DiagnosisFieldsAdmin } from './diagnosis-fields-admin.tsx';
import { TemplatesAdmin } from './templates-admin.tsx';
import { SupportAddressesAdmin } from './support-addresses-admin.tsx';
import { WebhooksAdmin } from './webhooks-admin.tsx';
import { NoticesAdmin } from './notices-admin.tsx';
import { ContactsAdmin, GroupsAdmin, ListsAdmin, OrganizationsAdmin, UsersAdmin } from './people-admin.tsx';

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
  // Their labels live in the triage namespace with the screens' other strings.
  { path: 'classifier', label: 'triage:nav.classifier', element: <ClassifierAdmin /> },
  { path: 'diagnosis-fields', label: 'triage:nav.diagnosisFields', element: <DiagnosisFieldsAdmin /> },
  { path: 'macros', label: 'nav.macros', element: <MacrosAdmin /> },
  { path: 'kb', label: 'nav.kb', element: <KbAdmin /> },
  // Mail and notification settings (review 2026-12-07 item 24); labels in the admin2 namespace.
  { path: 'mail-templates', label: 'admin2:nav.templates', element: <TemplatesAdmin /> },
  { path: 'customer-notices', label: 'admin2:nav.notices', element: <NoticesAdmin /> },
  { path: 'support-addresses', label: 'admin2:nav.addresses', element: <SupportAddressesAdmin />, adminOnly: true },
  { path: 'webhooks', label: 'admin2:nav.webhooks', element: <WebhooksAdmin />, adminOnly: true },
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
      <Routes>
        <Route index element={<Navigate to="/admin/users" replace />} />
        {sections.map((s) => <Route key={s.path} path={s.path} element={s.element} />)}
        <Route path="*" element={<AdminNotFound />} />
      </Routes>
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
