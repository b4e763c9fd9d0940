import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { toCsv } from '../../core/reports/csv.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { AUDIT_TARGETS } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';

export const auditLogQuery = z.object({
  actor: z.string().uuid().optional(),
  target_type: z.enum(AUDIT_TARGETS).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  /** The `next_cursor` of the previous page (opaque). */
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a next_cursor from a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  format: z.enum(['json', 'csv']).default('json'),
}).strict();

export type AuditRow = {
  id: string; at: Date; actor_id: string | null; actor_email: string | null; address: string | null;
  action: string; target_type: string; target_id: string | null; before: unknown; after: unknown;
};

/** Admins read the audit log newest first, a page at a time (cursor = the last id seen), or as CSV. */
export async function listAuditLog(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: AuditRow[]; next_cursor: string | null } | { csv: string }> {
  requireStaff(actor, ['admin']);
  const q = parseInput(auditLogQuery, raw);
  const limit = q.format === 'csv' ? 10_000 : q.limit;
  const rows = await ctx.db.query<AuditRow>(
    `SELECT id::text AS id, at, actor_id, actor_email, address, action, target_type, target_id, before, after FROM audit_log
     WHERE ($1::uuid IS NULL OR actor_id = $1) AND ($2::text IS NULL OR target_type = $2)
       AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4) AND ($5::bigint IS NULL OR id < $5)
     ORDER BY audit_log.id DESC LIMIT $6`,
    [q.actor ?? null, q.target_type ?? null, q.from ?? null, q.to ?? null, q.cursor ?? null, limit + 1]);
  const page = rows.slice(0, limit);
  if (q.format === 'csv') {
    return { csv: toCsv(['id', 'at', 'actor_id', 'actor_email', 'address', 'action', 'target_type', 'target_id', 'before', 'after'],
      page.map((r) => [r.id, r.at, r.actor_id, r.actor_email, r.address, r.action, r.target_type, r.target_id, JSON.stringify(r.before), JSON.stringify(r.after)])) };
  }
  return { data: page, next_cursor: rows.length > limit ? page[page.length - 1]?.id ?? null : null };
}
