import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { assertListKey } from '../shared/lists.ts';
import { markKpiRollupStale } from '../reports/kpi-rollup-dirty.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { MANAGERS, requireStaff } from './require-role.ts';
import { recordAudit } from '../shared/audit.ts';

export type OrganizationView = { id: string; name: string; tier: string; domains: string[]; created_at: Date; updated_at: Date };

const domain = z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'is not a domain name');
export const organizationInput = z.object({
  name: z.string().trim().min(1).max(200),
  tier: z.string().trim().min(1).max(40).default('standard'),
  domains: z.array(domain).max(50).default([]),
});

export const organizationPatchInput = patchSchema(organizationInput);

export async function listOrganizations(ctx: AppContext, actor: Principal): Promise<OrganizationView[]> {
  requireStaff(actor);
  return ctx.db.query<OrganizationView>('SELECT * FROM organizations ORDER BY name');
}

export async function getOrganization(ctx: AppContext, actor: Principal, id: string): Promise<OrganizationView> {
  requireStaff(actor);
  const [row] = await ctx.db.query<OrganizationView>('SELECT * FROM organizations WHERE id = $1', [id]);
  if (!row) throw notFound('organization');
  return row;
}

export async function createOrganization(ctx: AppContext, actor: Principal, raw: unknown): Promise<OrganizationView> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(organizationInput, raw);
  return ctx.db.transaction(async (tx) => {
    await assertListKey(tx, 'tier', input.tier, 'tier');
    const now = ctx.now();
    const [row] = await tx.query<OrganizationView>(
      'INSERT INTO organizations (name, tier, domains, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING RETURNING *',
      [input.name, input.tier, [...new Set(input.domains)], now]);
    if (!row) throw conflict('an organization with this name exists', 'name');
    // An organization's tier picks its tickets' SLA policy: a change of it is a configuration change.
    await recordAudit(tx, actor, { action: 'create', target: 'organization', targetId: row.id, before: null, after: row }, now);
    return row;
  });
}

/** A tier change can change which SLA policy applies, so the organization's open tickets are re-evaluated in the same transaction. */
export async function updateOrganization(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<OrganizationView> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(organizationPatchInput, raw);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [existing] = await tx.query<OrganizationView>('SELECT * FROM organizations WHERE id = $1 FOR UPDATE', [id]);
    if (!existing) throw notFound('organization');
    if (input.tier !== undefined) await assertListKey(tx, 'tier', input.tier, 'tier');
    if (input.name !== undefined && input.name !== existing.name) {
      const clash = await tx.query('SELECT 1 FROM organizations WHERE name = $1', [input.name]);
      if (clash.length) throw conflict('an organization with this name exists', 'name');
    }
    const [row] = await tx.query<OrganizationView>(
      'UPDATE organizations SET name = $2, tier = $3, domains = $4, updated_at = $5 WHERE id = $1 RETURNING *',
      [id, input.name ?? existing.name, input.tier ?? existing.tier, input.domains ? [...new Set(input.domains)] : existing.domains, now]);
    if (!row) throw notFound('organization');
    if (input.tier !== undefined && input.tier !== existing.tier) {
      const open = await tx.query<{ id: string }>("SELECT id FROM tickets WHERE organization_id = $1 AND status NOT IN ('solved', 'closed') ORDER BY id FOR UPDATE", [id]);
      for (const t of open) await refreshTicketSla(tx, t.id, now);
      await markKpiRollupStale(tx, open.map((t) => t.id));
    }
    await recordAudit(tx, actor, { action: 'update', target: 'organization', targetId: id, before: existing, after: row }, now);
    return row;
  });
}
