import { useState, type FormEvent } from 'react';
import { api, ApiError, fieldMessage, ROLES, TIERS, type Group, type StaffRole, type User } from '../../lib/api.ts';
import { label } from '../../lib/format.ts';
import { Link, useLocation } from 'react-router';
import { useSession } from '../../lib/session.tsx';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, Options, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';

const TABS = [
  { path: '/admin/users', label: 'Users' },
  { path: '/admin/groups', label: 'Groups' },
  { path: '/admin/organizations', label: 'Organizations' },
] as const;

export function AdminPage() {
  const { pathname } = useLocation();
  const tab = TABS.find((t) => pathname.startsWith(t.path))?.path ?? '/admin/users';
  return (
    <>
      <div className="page-head">
        <h1>Admin</h1>
      </div>
      <nav className="tabs" aria-label="Admin sections">
        {TABS.map((t) => (
          <Link key={t.path} to={t.path} className={t.path === tab ? 'active' : ''} aria-current={t.path === tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === '/admin/groups' ? <GroupsAdmin /> : tab === '/admin/organizations' ? <OrganizationsAdmin /> : <UsersAdmin />}
    </>
  );
}

function fieldError(err: unknown, field: string): string | undefined {
  return err instanceof ApiError && err.field === field ? fieldMessage(err) : undefined;
}

function generalError(err: unknown, fields: string[]): unknown {
  return err instanceof ApiError && err.field && fields.includes(err.field) ? undefined : err;
}

function UsersAdmin() {
  const data = useLoad(['admin', 'users'], async () => {
    const [users, groups] = await Promise.all([api.users(), api.groups()]);
    return { users, groups };
  });
  const [rowError, setRowError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);
  const me = useSession().principal;

  async function setActive(u: User, active: boolean) {
    setBusyId(u.id);
    setRowError(undefined);
    try {
      await api.updateUser(u.id, { active });
      await data.reload();
    } catch (err) {
      setRowError(err);
    } finally {
      setBusyId(null);
    }
  }

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const groupName = new Map(data.data.groups.map((g) => [g.id, g.name]));
  return (
    <div className="admin-grid">
      <section className="panel">
        <h2>Users</h2>
        <ErrorBanner error={rowError} />
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Groups</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data.users.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.email}`} className={u.active ? '' : 'inactive'}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{label(u.role)}</td>
                  <td>{(u.group_ids ?? []).map((id) => groupName.get(id) ?? id).join(', ') || <span className="muted">—</span>}</td>
                  <td>{u.active ? <Badge tone="green">Active</Badge> : <Badge tone="muted">Deactivated</Badge>}</td>
                  <td className="right">
                    {u.id === me?.id ? (
                      <span className="muted small">you</span>
                    ) : (
                      <button type="button" className="button small" disabled={busyId === u.id}
                        onClick={() => void setActive(u, !u.active)} aria-label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.email}`}>
                        {u.active ? 'Deactivate' : 'Reactivate'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <CreateUser groups={data.data.groups} onCreated={() => void data.reload()} />
    </div>
  );
}

function CreateUser({ groups, onCreated }: { groups: Group[]; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const { busy, error, run } = useSubmit();
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    await run(async () => {
      const u = await api.createUser({ name: name.trim(), email: email.trim(), password, role, group_ids: groupIds });
      setDone(`Created ${u.email}.`);
      setName('');
      setEmail('');
      setPassword('');
      setGroupIds([]);
      onCreated();
    });
  }

  return (
    <section className="panel">
      <h2>New user</h2>
      <form onSubmit={submit} data-testid="create-user">
        <TextField label="Name" error={fieldError(error, 'name')} required value={name} onChange={setName} />
        <TextField label="E-mail" error={fieldError(error, 'email')} type="email" required value={email} onChange={setEmail} />
        <TextField label="Password" error={fieldError(error, 'password')} hint="At least 8 characters." type="password"
          autoComplete="new-password" required value={password} onChange={setPassword} />
        <SelectField label="Role" error={fieldError(error, 'role')} value={role}
          onChange={(v) => setRole(ROLES.find((r) => r === v) ?? 'agent')}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label(r)}
            </option>
          ))}
        </SelectField>
        <fieldset className="field">
          <legend>Groups</legend>
          {groups.length === 0 ? <p className="muted small">No groups yet.</p> : null}
          {groups.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" checked={groupIds.includes(g.id)}
                onChange={(e) =>
                  setGroupIds((ids) => (e.target.checked ? [...ids, g.id] : ids.filter((x) => x !== g.id)))
                } />
              {g.name}
            </label>
          ))}
          {fieldError(error, 'group_ids') ? <small className="field-error">{fieldError(error, 'group_ids')}</small> : null}
        </fieldset>
        <ErrorBanner error={generalError(error, ['name', 'email', 'password', 'role', 'group_ids'])} />
        {done ? <p className="banner banner-ok" role="status">{done}</p> : null}
        <div className="actions">
          <button className="button primary" type="submit" disabled={busy}>
            Create user
          </button>
        </div>
      </form>
    </section>
  );
}

function GroupsAdmin() {
  const groups = useLoad(['groups'], () => api.groups());
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await api.createGroup({ name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
      setName('');
      setDescription('');
      await groups.reload();
    });
  }

  return (
    <div className="admin-grid">
      <section className="panel">
        <h2>Groups</h2>
        <ErrorBanner error={groups.error} />
        {groups.data ? (
          <div className="table-wrap">
            <table className="table" data-testid="groups-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {groups.data.map((g) => (
                  <tr key={g.id}>
                    <td>{g.name}</td>
                    <td>{g.description || <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : groups.error ? null : (
          <Loading />
        )}
      </section>
      <section className="panel">
        <h2>New group</h2>
        <form onSubmit={submit} data-testid="create-group">
          <TextField label="Name" error={fieldError(error, 'name')} required value={name} onChange={setName} />
          <TextField label="Description" error={fieldError(error, 'description')} value={description} onChange={setDescription} />
          <ErrorBanner error={generalError(error, ['name', 'description'])} />
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy}>
              Create group
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}

function OrganizationsAdmin() {
  const data = useLoad(['admin', 'organizations'], async () => {
    const [orgs, lists] = await Promise.all([api.organizations(), api.lists().catch(() => null)]);
    return { orgs, tiers: lists?.tiers.length ? lists.tiers : TIERS.map((t) => ({ key: t, label: label(t) })) };
  });
  const [name, setName] = useState('');
  const [tier, setTier] = useState('standard');
  const [domains, setDomains] = useState('');
  const { busy, error, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await api.createOrganization({
        name: name.trim(),
        tier,
        domains: domains
          .split(/[\s,;]+/)
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      });
      setName('');
      setDomains('');
      await data.reload();
    });
  }

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const tiers = data.data.tiers;
  return (
    <div className="admin-grid">
      <section className="panel">
        <h2>Organizations</h2>
        <div className="table-wrap">
          <table className="table" data-testid="organizations-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tier</th>
                <th scope="col">Domains</th>
              </tr>
            </thead>
            <tbody>
              {data.data.orgs.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>
                    <Badge tone={o.tier === 'standard' ? 'muted' : 'purple'}>{label(o.tier, tiers)}</Badge>
                  </td>
                  <td>{(o.domains ?? []).join(', ') || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel">
        <h2>New organization</h2>
        <form onSubmit={submit} data-testid="create-organization">
          <TextField label="Name" error={fieldError(error, 'name')} required value={name} onChange={setName} />
          <SelectField label="Tier" error={fieldError(error, 'tier')} value={tier} onChange={setTier}>
            <Options entries={tiers} />
          </SelectField>
          <TextField label="Domains" error={fieldError(error, 'domains')} hint="Comma-separated, e.g. acme.com, acme.io"
            value={domains} onChange={setDomains} />
          <ErrorBanner error={generalError(error, ['name', 'tier', 'domains'])} />
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy}>
              Create organization
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
