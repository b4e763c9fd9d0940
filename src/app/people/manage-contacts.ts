import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { hashPassword } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { languageSchema, timeZoneSchema } from './locale-schemas.ts';
import { requireStaff } from './require-role.ts';

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

async function assertOrganization(q: Queryable, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const rows = await q.query('SELECT 1 FROM organizations WHERE id = $1', [id]);
  if (!rows.length) throw invalidInput('organization_id', 'no such organization');
}

export async function createContact(ctx: AppContext, actor: Principal, raw: unknown): Promise<ContactView> {
  requireStaff(actor);
  const input = parseInput(contactInput, raw);
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
    await assertOrganization(tx, input.organization_id);
    const [row] = await tx.query<ContactView>(
      `UPDATE contacts SET name = $2, language = $3, time_zone = $4, organization_id = $5, is_org_manager = $6,
         password_hash = COALESCE($7, password_hash), updated_at = $8 WHERE id = $1
       RETURNING id, email, name, language, time_zone, organization_id, is_org_manager, created_at, updated_at`,
      [id, input.name ?? existing.name, input.language ?? existing.language, input.time_zone ?? existing.time_zone,
        input.organization_id === undefined ? existing.organization_id : input.organization_id,
        input.is_org_manager ?? existing.is_org_manager, passwordHash ?? null, ctx.now()]);
    if (!row) throw notFound('contact');
    return row;
  });
}
