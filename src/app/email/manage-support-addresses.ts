import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import { CUSTOMER_LANGUAGES, type CustomerLanguage } from '../../core/email/language.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../shared/audit.ts';
import { requireStaff } from '../people/require-role.ts';
import { assertListKey } from '../shared/lists.ts';
import { parseInput } from '../shared/parse-input.ts';

export const supportAddressInput = z.object({
  address: z.string().trim().toLowerCase().email('must be an e-mail address').max(254),
  group_id: z.string().uuid('must be a UUID').nullable().default(null),
  default_type: z.string().trim().min(1).max(40).default('technical_question'),
  language: z.enum(CUSTOMER_LANGUAGES).default('en'),
});
export type SupportAddressView = { address: string; group_id: string | null; default_type: string; language: CustomerLanguage; created_at: Date };

export async function listSupportAddresses(ctx: AppContext, actor: Principal): Promise<SupportAddressView[]> {
  requireStaff(actor, ['admin']);
  return ctx.db.query<SupportAddressView>('SELECT address, group_id, default_type, language, created_at FROM support_addresses ORDER BY created_at, address');
}

/** Creates or changes the mapping of one support address (its group and default ticket type). */
export async function putSupportAddress(ctx: AppContext, actor: Principal, raw: unknown): Promise<SupportAddressView> {
  requireStaff(actor, ['admin']);
  const input = parseInput(supportAddressInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<SupportAddressView>('SELECT address, group_id, default_type, language, created_at FROM support_addresses WHERE address = $1', [input.address]);
    const after = await upsertSupportAddress(tx, input, ctx.now());
    await recordAudit(tx, actor, { action: before ? 'update' : 'create', target: 'support_address', targetId: after.address, before: before ?? null, after }, ctx.now());
    return after;
  });
}

export async function upsertSupportAddress(tx: Queryable, input: z.infer<typeof supportAddressInput>, now: Date, onlyIfMissing = false): Promise<SupportAddressView> {
  await assertListKey(tx, 'ticket_type', input.default_type, 'default_type');
  if (input.group_id) {
    const rows = await tx.query('SELECT 1 FROM groups WHERE id = $1', [input.group_id]);
    if (rows.length === 0) throw invalidInput('group_id', 'no such group');
  }
  const [row] = await tx.query<SupportAddressView>(
    `INSERT INTO support_addresses (address, group_id, default_type, language, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (address) DO ${onlyIfMissing ? 'UPDATE SET address = EXCLUDED.address' : 'UPDATE SET group_id = EXCLUDED.group_id, default_type = EXCLUDED.default_type, language = EXCLUDED.language'}
     RETURNING address, group_id, default_type, language, created_at`,
    [input.address, input.group_id, input.default_type, input.language, now]);
  if (!row) throw new Error('support address upsert returned no row');
  return row;
}

export async function deleteSupportAddress(ctx: AppContext, actor: Principal, address: string): Promise<void> {
  requireStaff(actor, ['admin']);
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.query<SupportAddressView>('DELETE FROM support_addresses WHERE address = $1 RETURNING address, group_id, default_type, language, created_at', [address.trim().toLowerCase()]);
    if (!gone) throw notFound('support address');
    await recordAudit(tx, actor, { action: 'delete', target: 'support_address', targetId: gone.address, before: gone }, ctx.now());
  });
}
