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

/**
 * The principal behind a live session in one round trip for staff (the hot path of every API call);
 * a customer's session needs a second query for the contact.
 */
export async function findSessionPrincipal(q: Queryable, tokenHash: string, now: Date): Promise<StaffPrincipal | CustomerPrincipal | null> {
  const [row] = await q.query<{ principal_kind: 'user' | 'contact'; principal_id: string } & Partial<UserRow>>(
    `SELECT s.principal_kind, s.principal_id, u.id, u.email, u.name, u.role, u.language, u.time_zone, u.active,
       CASE WHEN u.id IS NULL THEN NULL ELSE COALESCE((SELECT array_agg(gm.group_id) FROM group_members gm WHERE gm.user_id = u.id), '{}') END AS group_ids
     FROM sessions s LEFT JOIN users u ON s.principal_kind = 'user' AND u.id = s.principal_id AND u.active
     WHERE s.token_hash = $1 AND s.expires_at > $2`, [tokenHash, now]);
  if (!row) return null;
  if (row.principal_kind === 'contact') return findContact(q, row.principal_id);
  if (!row.id || !row.email || !row.name || !row.role || !row.language || !row.time_zone) return null;
  return toStaff({ id: row.id, email: row.email, name: row.name, role: row.role, language: row.language, time_zone: row.time_zone, active: true, password_hash: '', group_ids: row.group_ids ?? [] });
}
