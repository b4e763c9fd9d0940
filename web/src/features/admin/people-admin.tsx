import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ROLES, type Contact, type Group, type Organization, type StaffRole, type User } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { useSession } from '../../lib/session.tsx';
import { Badge, ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ConfirmDialog } from '../../app/primitives.tsx';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';

// Only the contacts screen shows a contact's export and erasure: its code stays out of /admin's first screen (Users).
const ContactPrivacyActions = lazy(async () => ({ default: (await import('./privacy-admin.tsx')).ContactPrivacyActions }));

const LANGS = ['en', 'ru', 'zh', 'bg'] as const;

/** What the signed-in manager may do to a user: a supervisor cannot touch an admin or grant the admin role (the API refuses too). */
export function mayManage(myRole: string | undefined, target: User): boolean {
  return myRole === 'admin' || (myRole === 'supervisor' && target.role !== 'admin');
}
export function grantableRoles(myRole: string | undefined): readonly StaffRole[] {
  return myRole === 'admin' ? ROLES : ROLES.filter((r) => r !== 'admin');
}

export function UsersAdmin() {
  const { t } = useTranslation('admin');
  const me = useSession().principal;
  const data = useLoad(['admin', 'users'], async () => {
    const [users, groups] = await Promise.all([api.users(), api.groups()]);
    return { users, groups };
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<User | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const action = useSubmit();

  async function setActive(u: User, active: boolean) {
    setConfirm(null);
    await action.run(async () => {
      await api.updateUser(u.id, { active });
      setStatus(t(active ? 'users.reactivated' : 'users.deactivated', { email: u.email }));
      await data.reload();
    });
  }
  async function sendReset(u: User) {
    await action.run(async () => {
      await api.sendPasswordReset(u.id);
      setStatus(t('users.resetSent', { email: u.email }));
    });
  }

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { users, groups } = data.data;
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return (
    <section className="panel">
      <h2>{t('users.title')}</h2>
      <ErrorBanner error={action.error} />
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <div className="table-wrap">
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.groups')}</th>
              <th scope="col">{t('users.status')}</th>
              <th scope="col"><span className="sr-only">{t('actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.email}`} className={u.active ? '' : 'inactive'}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{t(`common:role.${u.role}`)}</td>
                <td>{u.group_ids.map((id) => groupName.get(id) ?? id).join(', ') || <span className="muted">—</span>}</td>
                <td>{u.active ? <Badge tone="green">{t('users.active')}</Badge> : <Badge tone="muted">{t('users.inactive')}</Badge>}</td>
                <td className="right">
                  {u.id === me?.id ? <span className="muted small">{t('users.you')}</span> : mayManage(me?.role, u) ? (
                    <span className="row-actions">
                      <button type="button" className="button small" onClick={() => setEditing(editing === u.id ? null : u.id)} aria-expanded={editing === u.id}
                        aria-label={t('users.editOne', { email: u.email })} data-testid="user-edit">{t('edit')}</button>
                      {u.active ? (
                        <>
                          <button type="button" className="button small" onClick={() => void sendReset(u)} aria-label={`${t('users.reset')}: ${u.email}`}
                            data-testid="user-reset">{t('users.reset')}</button>
                          <button type="button" className="button small danger" onClick={() => setConfirm(u)} aria-label={t('users.deactivateOne', { email: u.email })}
                            data-testid="user-deactivate">{t('users.deactivate')}</button>
                        </>
                      ) : (
                        <button type="button" className="button small" onClick={() => void setActive(u, true)} aria-label={t('users.reactivateOne', { email: u.email })}>
                          {t('users.reactivate')}</button>
                      )}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? (() => {
        const u = users.find((x) => x.id === editing);
        return u ? <EditUser key={u.id} user={u} groups={groups} onDone={() => { setEditing(null); void data.reload(); }} /> : null;
      })() : null}
      <CreateUser groups={groups} onCreated={() => void data.reload()} />
      <ConfirmDialog open={confirm !== null} title={t('users.confirmTitle')} confirmLabel={t('users.deactivate')}
        onCancel={() => setConfirm(null)} onConfirm={() => { if (confirm) void setActive(confirm, false); }}>
        <p>{t('users.confirmText', { name: confirm?.name ?? '', email: confirm?.email ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

function CreateUser({ groups, onCreated }: { groups: Group[]; onCreated: () => void }) {
  const { t } = useTranslation('admin');
  const me = useSession().principal;
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  return (
    <form ref={formRef} className="panel" data-testid="create-user" noValidate onSubmit={(e) => {
      e.preventDefault();
      void run(async () => {
        await api.createUser({ name: name.trim(), email: email.trim(), password, role, group_ids: groupIds });
        setName('');
        setEmail('');
        setPassword('');
        setGroupIds([]);
        onCreated();
      });
    }}>
      <h3>{t('users.new')}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} />
      <TextField label={t('email')} type="email" error={fe.email} value={email} onChange={setEmail} />
      <TextField label={t('users.password')} type="password" autoComplete="new-password" hint={t('reset.hint')} error={fe.password} value={password} onChange={setPassword} />
      <SelectField label={t('users.role')} error={fe.role} value={role} onChange={(v) => setRole(ROLES.find((r) => r === v) ?? 'agent')}>
        {grantableRoles(me?.role).map((r) => <option key={r} value={r}>{t(`common:role.${r}`)}</option>)}
      </SelectField>
      <fieldset className="field">
        <legend>{t('users.groups')}</legend>
        {groups.map((g) => (
          <label key={g.id} className="check">
            <input type="checkbox" checked={groupIds.includes(g.id)}
              onChange={(e) => setGroupIds((ids) => (e.target.checked ? [...ids, g.id] : ids.filter((x) => x !== g.id)))} />
            {g.name}
          </label>
        ))}
      </fieldset>
      <ErrorBanner error={bannerError(error, ['name', 'email', 'password', 'role'])} />
      <div className="actions"><button type="submit" className="button primary" disabled={busy} data-testid="create-user-submit">{t('users.create')}</button></div>
    </form>
  );
}

function EditUser({ user, groups, onDone }: { user: User; groups: Group[]; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const me = useSession().principal;
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<StaffRole>(user.role);
  const [language, setLanguage] = useState(user.language);
  const [timeZone, setTimeZone] = useState(user.time_zone);
  const [groupIds, setGroupIds] = useState<string[]>(user.group_ids);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.updateUser(user.id, { name: name.trim(), role, language, time_zone: timeZone.trim(), group_ids: groupIds });
      onDone();
    });
  }
  return (
    <form ref={formRef} onSubmit={submit} className="panel" data-testid="edit-user" aria-label={t('users.editOne', { email: user.email })} noValidate>
      <h3>{t('users.editOne', { email: user.email })}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} />
      <SelectField label={t('users.role')} error={fe.role} value={role} onChange={(v) => setRole(ROLES.find((r) => r === v) ?? 'agent')}>
        {grantableRoles(me?.role).map((r) => <option key={r} value={r}>{t(`common:role.${r}`)}</option>)}
      </SelectField>
      <SelectField label={t('language')} error={fe.language} value={language} onChange={setLanguage}>
        {LANGS.map((l) => <option key={l} value={l}>{l}</option>)}
      </SelectField>
      <TextField label={t('timeZone')} error={fe.time_zone} hint={t('timeZoneHint')} value={timeZone} onChange={setTimeZone} />
      <fieldset className="field">
        <legend>{t('users.groups')}</legend>
        {groups.map((g) => (
          <label key={g.id} className="check">
            <input type="checkbox" checked={groupIds.includes(g.id)}
              onChange={(e) => setGroupIds((ids) => (e.target.checked ? [...ids, g.id] : ids.filter((x) => x !== g.id)))} />
            {g.name}
          </label>
        ))}
      </fieldset>
      <ErrorBanner error={bannerError(error, ['name', 'role', 'language', 'time_zone'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="save">{t('save')}</button>
      </div>
    </form>
  );
}

export function GroupsAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'groups'], async () => {
    const [groups, users] = await Promise.all([api.groups(), api.users()]);
    return { groups, users };
  });
  const [editing, setEditing] = useState<string | null>(null);
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { groups, users } = data.data;
  const userName = new Map(users.map((u) => [u.id, u.name]));
  return (
    <section className="panel">
      <h2>{t('groups.title')}</h2>
      <table className="table" data-testid="groups-table">
        <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('groups.members')}</th><th scope="col"><span className="sr-only">{t('actions')}</span></th></tr></thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id} data-testid={`group-row-${g.name}`}>
              <td>{g.name}</td>
              <td>{(g.member_ids ?? []).map((id) => userName.get(id) ?? id).join(', ') || <span className="muted">—</span>}</td>
              <td className="right">
                <button type="button" className="button small" aria-expanded={editing === g.id} aria-label={t('groups.editOne', { name: g.name })}
                  onClick={() => setEditing(editing === g.id ? null : g.id)}>{t('edit')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (() => {
        const g = groups.find((x) => x.id === editing);
        return g ? <EditGroup key={g.id} group={g} users={users} onDone={() => { setEditing(null); void data.reload(); }} /> : null;
      })() : null}
      <CreateGroup onCreated={() => void data.reload()} />
    </section>
  );
}

function CreateGroup({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  return (
    <form ref={formRef} className="panel" data-testid="create-group" noValidate onSubmit={(e) => {
      e.preventDefault();
      void run(async () => {
        await api.createGroup({ name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
        setName('');
        setDescription('');
        onCreated();
      });
    }}>
      <h3>{t('groups.new')}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} />
      <TextField label={t('description')} error={fe.description} value={description} onChange={setDescription} />
      <ErrorBanner error={bannerError(error, ['name', 'description'])} />
      <div className="actions"><button type="submit" className="button primary" disabled={busy}>{t('groups.create')}</button></div>
    </form>
  );
}

function EditGroup({ group, users, onDone }: { group: Group; users: User[]; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState(group.name);
  const [members, setMembers] = useState<string[]>(group.member_ids ?? []);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  return (
    <form ref={formRef} className="panel" data-testid="edit-group" aria-label={t('groups.editOne', { name: group.name })} noValidate onSubmit={(e) => {
      e.preventDefault();
      void run(async () => {
        if (name.trim() !== group.name) await api.updateGroup(group.id, { name: name.trim() });
        await api.setGroupMembers(group.id, members);
        onDone();
      });
    }}>
      <h3>{t('groups.editOne', { name: group.name })}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} />
      <fieldset className="field">
        <legend>{t('groups.members')}</legend>
        {users.filter((u) => u.active).map((u) => (
          <label key={u.id} className="check">
            <input type="checkbox" checked={members.includes(u.id)}
              onChange={(e) => setMembers((ids) => (e.target.checked ? [...ids, u.id] : ids.filter((x) => x !== u.id)))} />
            {u.name}
          </label>
        ))}
      </fieldset>
      <ErrorBanner error={bannerError(error, ['name'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="save">{t('save')}</button>
      </div>
    </form>
  );
}

export function OrganizationsAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'organizations'], async () => {
    const [orgs, lists] = await Promise.all([api.organizations(), api.lists()]);
    return { orgs, tiers: lists.tiers };
  });
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { orgs, tiers } = data.data;
  const tierLabel = new Map(tiers.map((x) => [x.key, x.label]));
  return (
    <ListEdit<Organization> testId="organizations-admin" tableTestId="organizations-table" title={t('orgs.title')} rows={orgs} reload={data.reload}
      rowKey={(o) => o.id} rowTestId={(o) => `org-row-${o.name}`} rowName={(o) => o.name} editAria={(o) => t('orgs.editOne', { name: o.name })}
      columns={[
        { header: t('name'), cell: (o) => o.name },
        { header: t('orgs.tier'), cell: (o) => <Badge tone={o.tier === 'standard' ? 'muted' : 'purple'}>{tierLabel.get(o.tier) ?? o.tier}</Badge> },
        { header: t('orgs.domains'), cell: (o) => o.domains.join(', ') || <span className="muted">—</span> },
      ]}
      // Creating organizations is the common task: the form stays open under the list.
      newForm="always"
      editor={({ row, saved, cancel }) => <OrganizationEditor org={row} tiers={tiers} onCancel={row ? cancel : undefined} onSaved={(o) => saved(t('admin2:orgSaved', { name: o.name }))} />} />
  );
}

/** Creates an organization (org null) or changes one: one form for both. */
function OrganizationEditor({ org, tiers, onSaved, onCancel }: { org: Organization | null; tiers: { key: string; label: string }[]; onSaved: (o: Organization) => Promise<void>; onCancel: (() => void) | undefined }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState(org?.name ?? '');
  const [tier, setTier] = useState(org?.tier ?? 'standard');
  const [domains, setDomains] = useState((org?.domains ?? []).join(', '));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const heading = org ? t('orgs.editOne', { name: org.name }) : t('orgs.new');
  return (
    <form ref={formRef} className="panel" data-testid={org ? 'edit-organization' : 'create-organization'} aria-label={heading} noValidate onSubmit={(e) => {
      e.preventDefault();
      void run(async () => {
        const body = { name: name.trim(), tier, domains: domains.split(/[\s,;]+/).map((d) => d.trim().toLowerCase()).filter(Boolean) };
        const saved = org ? await api.updateOrganization(org.id, body) : await api.createOrganization(body);
        if (!org) {
          setName('');
          setDomains('');
        }
        await onSaved(saved);
      });
    }}>
      <h3>{heading}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} />
      <SelectField label={t('orgs.tier')} error={fe.tier} value={tier} onChange={setTier}>
        {tiers.map((x) => <option key={x.key} value={x.key}>{x.label}</option>)}
      </SelectField>
      <TextField label={t('orgs.domains')} error={fe.domains} hint={t('orgs.domainsHint')} value={domains} onChange={setDomains} />
      <ErrorBanner error={bannerError(error, ['name', 'tier', 'domains'])} />
      <div className="actions">
        {onCancel ? <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button> : null}
        <button type="submit" className="button primary" disabled={busy} data-testid={org ? 'save' : undefined}>{org ? t('save') : t('orgs.create')}</button>
      </div>
    </form>
  );
}

export function ContactsAdmin() {
  const { t } = useTranslation('admin');
  const isAdmin = useSession().principal?.role === 'admin';
  const [notice, setNotice] = useState('');
  const [q, setQ] = useState('');
  const data = useLoad(['admin', 'contacts', q], async () => {
    const [contacts, orgs] = await Promise.all([api.contacts(q.trim()), api.organizations()]);
    return { contacts, orgs };
  });
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section className="panel">
      <h2>{t('contacts.title')}</h2>
      <div role="search">
        <TextField label={t('contacts.search')} type="search" value={q} onChange={setQ} data-testid="contacts-search" />
      </div>
      <p role="status" data-testid="privacy-status">{notice}</p>
      {!data.data ? (data.error ? <ErrorBanner error={data.error} /> : <Loading />) : (
        <table className="table" data-testid="contacts-table">
          <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('email')}</th><th scope="col">{t('contacts.organization')}</th><th scope="col"><span className="sr-only">{t('actions')}</span></th></tr></thead>
          <tbody>
            {data.data.contacts.map((c) => (
              <tr key={c.id} data-testid={`contact-row-${c.email}`}>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{data.data?.orgs.find((o) => o.id === c.organization_id)?.name ?? <span className="muted">—</span>}</td>
                <td className="right">
                  <button type="button" className="button small" aria-expanded={editing === c.id} aria-label={t('contacts.editOne', { email: c.email })}
                    onClick={() => setEditing(editing === c.id ? null : c.id)}>{t('edit')}</button>
                  {isAdmin ? <>{' '}<Suspense fallback={null}><ContactPrivacyActions contact={c} onErased={(m) => { setNotice(m); void data.reload(); }} /></Suspense></> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && data.data ? (() => {
        const c = data.data.contacts.find((x) => x.id === editing);
        return c ? <EditContact key={c.id} contact={c} orgs={data.data.orgs} onDone={() => { setEditing(null); void data.reload(); }} /> : null;
      })() : null}
    </section>
  );
}

function EditContact({ contact, orgs, onDone }: { contact: Contact; orgs: Organization[]; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState(contact.name);
  const [language, setLanguage] = useState(contact.language);
  const [timeZone, setTimeZone] = useState(contact.time_zone);
  const [orgId, setOrgId] = useState(contact.organization_id ?? '');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  return (
    <form ref={formRef} className="panel" data-testid="edit-contact" aria-label={t('contacts.editOne', { email: contact.email })} noValidate onSubmit={(e) => {
      e.preventDefault();
      void run(async () => {
        await api.updateContact(contact.id, { name: name.trim(), language, time_zone: timeZone.trim(), organization_id: orgId || null });
        onDone();
      });
    }}>
      <h3>{t('contacts.editOne', { email: contact.email })}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} />
      <SelectField label={t('language')} error={fe.language} value={language} onChange={setLanguage}>
        {LANGS.map((l) => <option key={l} value={l}>{l}</option>)}
      </SelectField>
      <TextField label={t('timeZone')} error={fe.time_zone} hint={t('timeZoneHint')} value={timeZone} onChange={setTimeZone} />
      <SelectField label={t('contacts.organization')} error={fe.organization_id} value={orgId} onChange={setOrgId}>
        <option value="">—</option>
        {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </SelectField>
      <ErrorBanner error={bannerError(error, ['name', 'language', 'time_zone', 'organization_id'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="save">{t('save')}</button>
      </div>
    </form>
  );
}

export function ListsAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['lists'], () => api.lists());
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const lists = data.data;
  return (
    <>
      {(['types', 'priorities', 'tiers'] as const).map((list) => (
        <section key={list} className="panel" data-testid={`list-${list}`}>
          <h2>{t(`lists.${list}`)}</h2>
          <ul className="plain-list">
            {lists[list].map((entry) => <ListEntryRow key={entry.key} list={list} entry={entry} onSaved={() => void data.reload()} />)}
          </ul>
          <AddListEntry list={list} onAdded={() => void data.reload()} />
        </section>
      ))}
    </>
  );
}

function ListEntryRow({ list, entry, onSaved }: { list: 'types' | 'priorities' | 'tiers'; entry: { key: string; label: string }; onSaved: () => void }) {
  const { t } = useTranslation('admin');
  const [labelText, setLabelText] = useState(entry.label);
  const { busy, error, run } = useSubmit();
  return (
    <li>
      <form className="inline-form" noValidate onSubmit={(e) => { e.preventDefault(); void run(async () => { await api.updateListEntry(list, entry.key, labelText.trim()); onSaved(); }); }}>
        <TextField label={t('lists.labelOf', { key: entry.key })} error={fieldErrorsOf(error).label} value={labelText} onChange={setLabelText} />
        <button type="submit" className="button small" disabled={busy || labelText === entry.label}>{t('save')}</button>
      </form>
    </li>
  );
}

function AddListEntry({ list, onAdded }: { list: 'types' | 'priorities' | 'tiers'; onAdded: () => void }) {
  const { t } = useTranslation('admin');
  const [key, setKey] = useState('');
  const [labelText, setLabelText] = useState('');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  return (
    <form ref={formRef} className="inline-form" noValidate data-testid={`add-${list}`} onSubmit={(e) => {
      e.preventDefault();
      void run(async () => { await api.addListEntry(list, key.trim(), labelText.trim()); setKey(''); setLabelText(''); onAdded(); });
    }}>
      <TextField label={t('lists.key')} hint={t('lists.keyHint')} error={fe.key} value={key} onChange={setKey} />
      <TextField label={t('lists.label')} error={fe.label} value={labelText} onChange={setLabelText} />
      <button type="submit" className="button" disabled={busy}>{t('lists.add')}</button>
      <ErrorBanner error={bannerError(error, ['key', 'label'])} />
    </form>
  );
}
