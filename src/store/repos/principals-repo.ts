import type { CustomerPrincipal, StaffPrincipal } from '../../core/auth/principal.ts';
import type { Role } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../db.ts';

type UserRow = { id: string; email: string; name: string; role: Role; language: string; time_zone: string; active: boolean; password_hash: string; group_ids: string[] | null };
type ContactRow = { id: string; email: string; name: string; language: string; time_zone: string; organization_id: string | null; is_org_manager: boolean; password_hash: string | null };

const USER_SELECT = `SELECT u.id, u.email, u.name, u.role, u.language, u.time_zone, u.active, u.password_hash,
  COALESCE((SELECT array_agg(gm.group_id) FROM group_members gm WHERE gm.user_id = u.id), '{}') AS group_ids FROM users u`;

const toStaff = (r: UserRow): StaffPrincipal => ({
  kind: 'user', id: r.id, email: r.email, name: r.name, role: r.role, language: r.language, time_zone: r.time_zone, groupIds: r.group_ids ?? [],
});
const toCustomer = (r: ContactRow): CustomerPrincipal => ({
  kind: 'contact', id: r.id, email: r.email, name: r.name, role: 'customer', language: r.language, time_zone: r.time_zone,
  organizationId: r.organization_id, isOrgManager: r.is_org_manager,
});

export async function findUserForSignIn(q: Queryable, email: string): Promise<{ principal: StaffPrincipal; passwordHash: string; active: boolean } | null> {
  const [row] = await q.query<UserRow>(`${USER_SELECT} WHERE u.email = $1`, [email.toLowerCase()]);
  return row ? { principal: toStaff(row), passwordHash: row.password_hash, active: row.active } : null;
}

export async function findActiveUser(q: Queryable, id: string): Promise<StaffPrincipal | null> {
  const [row] = await q.query<UserRow>(`${USER_SELECT} WHERE u.id = $1 AND u.active`, [id]);
  return row ? toStaff(row) : null;
}

const CONTACT_SELECT = 'SELECT id, email, name, language, time_zone, organization_id, is_org_manager, password_hash FROM contacts';

export async function findContactForSignIn(q: Queryable, email: string): Promise<{ principal: CustomerPrincipal; passwordHash: string | null } | null> {
  const [row] = await q.query<ContactRow>(`${CONTACT_SELECT} WHERE email = $1`, [email.toLowerCase()]);
  return row ? { principal: toCustomer(row), passwordHash: row.password_hash } : null;
}

export async function findContact(q: Queryable, id: string): Promise<CustomerPrincipal | null> {
  const [row] = await q.query<ContactRow>(`${CONTACT_SELECT} WHERE id = $1`, [id]);
  return row ? toCustomer(row) : null;
}
