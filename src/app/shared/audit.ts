import type { Principal } from '../../core/auth/principal.ts';
import type { Queryable } from '../../store/db.ts';
import { currentRequestFacts } from './request-context.ts';

/** What an audit row is about (the filter `target_type` of GET /api/v1/audit-log). */
export const AUDIT_TARGETS = [
  'sla_policy', 'calendar', 'group', 'group_routing', 'agent_routing', 'trigger', 'macro', 'template', 'support_address',
  'settings', 'user', 'api_token', 'webhook', 'webhook_delivery', 'import', 'channel', 'roster', 'list_entry',
  'organization', 'diagnosis_field', 'surge_thresholds', 'surge', 'classifier',
  // personal data (app/privacy): an export or erasure of one contact, a retention batch of tickets
  'contact', 'ticket',
] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];

export type AuditChange = {
  action: 'create' | 'update' | 'delete' | 'reorder' | 'revoke' | 'start' | 'end' | 'retry' | 'resend' | 'export' | 'erase';
  target: AuditTarget;
  targetId: string | null;
  /** The row (or the part of it that changed) as it was, and as it is; null for the side that does not exist. */
  before?: unknown;
  after?: unknown;
};

// Secrets never enter the log: a row is read by every admin for years.
const SECRET_KEYS = new Set(['password_hash', 'token_hash', 'secret', 'token', 'password']);
const redact = (v: unknown): unknown => {
  if (v === undefined || v === null) return null;
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (SECRET_KEYS.has(k) ? (x === null ? null : '[redacted]') : x)));
};

/**
 * The one way into the audit log: the admin use cases call it inside their own transaction, so a change
 * and its row commit together or not at all. The actor is the signed-in principal; the address comes from
 * the request (app/shared/request-context.ts).
 */
export async function recordAudit(tx: Queryable, actor: Principal | null, change: AuditChange, now: Date): Promise<void> {
  await tx.query(
    'INSERT INTO audit_log (at, actor_id, actor_email, address, action, target_type, target_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [now, actor?.kind === 'user' ? actor.id : null, actor?.email ?? null, currentRequestFacts()?.address ?? null, change.action, change.target, change.targetId,
      JSON.stringify(redact(change.before)), JSON.stringify(redact(change.after))]);
}
