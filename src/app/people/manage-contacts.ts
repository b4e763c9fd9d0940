import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, DomainError, invalidInput, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { hashPassword } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { languageSchema, timeZoneSchema } from './locale-schemas.ts';
import { MANAGERS, requireStaff } from './require-role.ts';

export type ContactView = { id: string; email: string; name: string; language: string; time_zone: string; organization_id: string | null; is_org_manager: boolean; created_at: Date; updated_at: Date };
const CONTACT_VIEW = 'SELECT id, email, name, language, time_zone, organization_id, is_org_manager, created_at, updated_at FROM contacts';

export const contactInput = z.object({
  email: z.string().trim().toLowerCase().email('must be an e-mail address').max(254),
  name: z.string().trim().min(1).max(200),
  language: languageSchema.default('en'),
  time_zone: timeZoneSchema.default('UTC'),
  organization_id: z.string().uuid().nullable().default(null),
  is_org_manager: z.boolean().default(false),
  password: z.string().min(8, 'must be at least 8 characters').max(200).optional(),
});

export const contactPatchInput = patchSchema(contactInput.omit({ email: true }));

export const listContactsInput = z.object({ q: z.string().trim().max(200).optional(), organization_id: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export async function listContacts(ctx: AppContext, actor: Principal, raw: unknown): Promise<ContactView[]> {
  requireStaff(actor);
  const input = parseInput(listContactsInput, raw);
  const params: unknown[] = [];
  const where: string[] = ['TRUE'];
  if (input.q) {
    params.push(`%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(email ILIKE $${params.length} OR name ILIKE $${params.length})`);
  }
  if (input.organization_id) {
    params.push(input.organization_id);
    where.push(`organization_id = $${params.length}`);
  }
  params.push(input.limit);
  return ctx.db.query<ContactView>(`${CONTACT_VIEW} WHERE ${where.join(' AND ')} ORDER BY name LIMIT $${params.length}`, params);
}

export async function getContact(ctx: AppContext, actor: Principal, id: string): Promise<ContactView> {
  requireStaff(actor);
  const [row] = await ctx.db.query<ContactView>(`${CONTACT_VIEW} WHERE id = $1`, [id]);
  if (!row) throw notFound('contact');
  return row;
}

/**
 * Agents keep contact details current (name, language, time zone, organization), as in Zendesk; what
 * grants access — a portal password, the organization-manager right, or moving an organization manager
 * to another organization's tickets — is for supervisors and admins.
 */
function assertMayGrantAccess(actor: Principal, input: { password?: string | undefined; is_org_manager?: boolean | undefined; organization_id?: string | null | undefined }, existing?: ContactView): void {
  if (MANAGERS.includes(requireStaff(actor).role)) return;
  const refuse = (path: string, what: string) => new DomainError('forbidden', `only a supervisor or admin may ${what}`, path);
  if (input.password !== undefined) throw refuse('password', "set a contact's portal password");
  if (input.is_org_manager === true && !existing?.is_org_manager) throw refuse('is_org_manager', 'make a contact an organization manager');
  if (input.is_org_manager === false && existing?.is_org_manager) throw refuse('is_org_manager', "change a contact's organization-manager right");
  if (existing?.is_org_manager && input.organization_id !== undefined && input.organization_id !== existing.organization_id) {
    throw refuse('organization_id', "move an organization manager to another organization");
  }
}

async function assertOrganization(q: Queryable, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const rows = await q.query('SELECT 1 FROM organizations WHERE id = $1', [id]);
  if (!rows.length) throw invalidInput('organization_id', 'no such organization');
}

export async function createContact(ctx: AppContext, actor: Principal, raw: unknown): Promise<ContactView> {
  requireStaff(actor);
  const input = parseInput(contactInput, raw);
  assertMayGrantAccess(actor, input);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    await assertOrganization(tx, input.organization_id);
    const [row] = await tx.query<ContactView>(
      `INSERT INTO contacts (email, name, language, time_zone, organization_id, is_org_manager, password_hash, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (email) DO NOTHING
       RETURNING id, email, name, language, time_zone, organization_id, is_org_manager, created_at, updated_at`,
      [input.email, input.name, input.language, input.time_zone, input.organization_id, input.is_org_manager, passwordHash, ctx.now()]);
    if (!row) throw conflict('a contact with this e-mail exists', 'email');
    return row;
  });
}

export async function updateContact(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<ContactView> {
  requireStaff(actor);
  const input = parseInput(contactPatchInput, raw);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.query<ContactView>(`${CONTACT_VIEW} WHERE id = $1 FOR UPDATE`, [id]);
    if (!existing) throw notFound('contact');
    assertMayGrantAccess(actor, input, existing);
    await assertOrganization(tx, input.organization_id);
    const [row] = await tx.query<ContactView>(
      `UPDATE contacts SET name = $2, language = $3, time_zone = $4, organization_id = $5, is_org_manager = $6,
         password_hash = COALESCE($7, password_hash), updated_at = $8 WHERE id = $1
       RETURNING id, email, name, language, time_zone, organization_id, is_org_manager, created_at, updated_at`,
      [id, input.name ?? existing.name, input.language ?? existing.language, input.time_zone ?? existing.time_zone,
        input.organization_id === undefined ? existing.organization_id : input.organization_id,
        input.is_org_manager ?? existing.is_org_manager, passwordHash ?? null, ctx.now()]);
    if (!row) throw notFound('contact');
    if (passwordHash) {
      // A new password (a suspected leak, most often) ends every way in that was opened before it.
      await tx.query("DELETE FROM sessions WHERE principal_kind = 'contact' AND principal_id = $1", [id]);
      await tx.query('DELETE FROM magic_links WHERE contact_id = $1 AND used_at IS NULL', [id]);
    }
    return row;
  });
}
