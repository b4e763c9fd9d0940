import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { invalidInput } from '../../core/errors.ts';
import { retentionCutoffs, type RetentionCutoffs, type RetentionRule } from '../../core/privacy/retention.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { changeSettings, defineSettingsSection, loadSettings } from '../settings/settings.ts';
import { addCounts, allowErasure, anonymiseTicket, noCounts, type ErasureCounts } from './anonymise-ticket.ts';

const months = z.number({ error: 'must be a whole number of months' }).int('must be a whole number of months').min(1, 'must be at least 1 month').max(600, 'must be at most 600 months');

/** The retention section of the settings store: off until an admin sets it. */
export const RETENTION_SETTINGS = defineSettingsSection('retention', z.object({
  enabled: z.boolean().default(false),
  months: z.number().int().nullable().default(null),
  per_type: z.record(z.string(), z.number().int()).default({}),
}));

export const retentionSettingsInput = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  months: months.nullable().optional(),
  per_type: z.record(z.string().min(1).max(40), months).optional(),
});

/** Tickets anonymised per batch (one transaction, one audit row) and batches per sweep pass. */
export const RETENTION_BATCH = 50;
const BATCHES_PER_PASS = 10;

export async function getRetentionSettings(ctx: AppContext, actor: Principal): Promise<RetentionRule> {
  requireStaff(actor, ['admin']);
  return loadSettings(ctx.db, RETENTION_SETTINGS);
}

export async function updateRetentionSettings(ctx: AppContext, actor: Principal, raw: unknown): Promise<RetentionRule> {
  requireStaff(actor, ['admin']);
  const input = parseInput(retentionSettingsInput, raw);
  if (input.per_type) {
    const known = new Set((await ctx.db.query<{ key: string }>("SELECT key FROM list_entries WHERE list = 'ticket_type'")).map((r) => r.key));
    const unknown = Object.keys(input.per_type).find((k) => !known.has(k));
    if (unknown !== undefined) throw invalidInput(`per_type.${unknown}`, 'no such ticket type');
  }
  return changeSettings(ctx, actor, RETENTION_SETTINGS, (current) => ({
    enabled: input.enabled ?? current.enabled,
    months: input.months === undefined ? current.months : input.months,
    per_type: input.per_type ?? current.per_type,
  }));
}

/** The due tickets' condition over `t`, with its parameters from `first` on. */
function dueSql(cut: RetentionCutoffs, first: number): { sql: string; params: unknown[] } {
  const types = cut.perType.map((r) => r.type);
  return {
    sql: `t.status = 'closed' AND t.anonymised_at IS NULL AND (
      EXISTS (SELECT 1 FROM unnest($${first}::text[], $${first + 1}::timestamptz[]) r(type, before) WHERE r.type = t.type AND t.closed_at < r.before)
      OR (NOT (t.type = ANY($${first}::text[])) AND t.closed_at < $${first + 2}::timestamptz))`,
    params: [types, cut.perType.map((r) => r.before), cut.otherwise],
  };
}

export type RetentionDryRun = { enabled: boolean; due: number; per_type: Record<string, number>; cutoffs: { type: string | null; before: Date }[] };

/** GET /api/v1/admin/retention/dry-run: how many closed tickets the rule would anonymise now, per type; writes nothing. */
export async function retentionDryRun(ctx: AppContext, actor: Principal): Promise<RetentionDryRun> {
  requireStaff(actor, ['admin']);
  const rule = await loadSettings(ctx.db, RETENTION_SETTINGS);
  const cut = retentionCutoffs(ctx.now(), { ...rule, enabled: true });
  const due = dueSql(cut, 1);
  const rows = await ctx.db.query<{ type: string; n: number }>(`SELECT t.type, count(*)::int AS n FROM tickets t WHERE ${due.sql} GROUP BY t.type ORDER BY t.type`, due.params);
  return {
    enabled: rule.enabled,
    due: rows.reduce((s, r) => s + r.n, 0),
    per_type: Object.fromEntries(rows.map((r) => [r.type, r.n])),
    cutoffs: [...cut.perType.map((r) => ({ type: r.type, before: r.before })), ...(cut.otherwise ? [{ type: null, before: cut.otherwise }] : [])],
  };
}

/** One batch: claims up to `limit` due tickets (SKIP LOCKED: several workers may sweep) and anonymises them, with one audit row. */
async function anonymiseBatch(tx: Queryable, cut: RetentionCutoffs, now: Date, limit: number): Promise<{ n: number; counts: ErasureCounts }> {
  const due = dueSql(cut, 2);
  const rows = await tx.query<{ id: string; requester_id: string; email: string | null; name: string }>(
    `SELECT t.id, t.requester_id, c.email, c.name FROM tickets t JOIN contacts c ON c.id = t.requester_id
      WHERE ${due.sql} ORDER BY t.closed_at, t.id LIMIT $1 FOR UPDATE OF t SKIP LOCKED`, [limit, ...due.params]);
  if (!rows.length) return { n: 0, counts: noCounts() };
  await allowErasure(tx);
  let counts = noCounts();
  for (const r of rows) counts = addCounts(counts, await anonymiseTicket(tx, r.id, { id: r.requester_id, email: r.email, name: r.name }, true, now, { everyCustomer: true }));
  await recordAudit(tx, null, { action: 'erase', target: 'ticket', targetId: null, before: null, after: { reason: 'retention', ticket_ids: rows.map((r) => r.id), ...counts } }, now);
  return { n: rows.length, counts };
}

/** The lifecycle sweep's step: bounded batches (each its own transaction and audit row) while tickets are due. */
export async function runRetentionSweep(ctx: AppContext, opts: { batch?: number; maxBatches?: number } = {}): Promise<{ anonymised: number }> {
  const batch = opts.batch ?? RETENTION_BATCH;
  const rule = await loadSettings(ctx.db, RETENTION_SETTINGS);
  if (!rule.enabled) return { anonymised: 0 };
  let anonymised = 0;
  for (let i = 0; i < (opts.maxBatches ?? BATCHES_PER_PASS); i++) {
    const now = ctx.now();
    const { n } = await ctx.db.transaction((tx) => anonymiseBatch(tx, retentionCutoffs(now, rule), now, batch));
    anonymised += n;
    if (n < batch) break;
  }
  return { anonymised };
}
