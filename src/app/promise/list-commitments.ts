import type { Principal } from '../../core/auth/principal.ts';
import type { PolicySubject } from '../../core/policies/policy-model.ts';
import { selectPolicy } from '../../core/policies/select-policy.ts';
import { targetFor } from '../../core/policies/ticket-sla-input.ts';
import { URGENCIES, type Urgency } from '../../core/promise/index.ts';
import type { AppContext } from '../context.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';

export type Commitment = { target_minutes: number; clock: 'business' | 'calendar'; policy: string };
export type Commitments = {
  tier: string | null;
  /** Every request type a customer may choose (staff-only types such as "urgent" are left out). */
  types: { key: string; label: string }[];
  by_type: (Commitment & { type: string; label: string })[];
  /** Urgencies whose own policy promises something other than the type's (e.g. critical within 2 hours). */
  by_urgency: (Commitment & { urgency: Urgency })[];
};

/**
 * The first-response commitments a customer can see before submitting: per customer-selectable
 * type, and per urgency where a policy matches on it; for a signed-in customer, for their tier.
 */
export async function listCommitments(ctx: AppContext, viewer: Principal | null): Promise<Commitments> {
  let tier: string | null = null;
  if (viewer?.kind === 'contact') {
    const [row] = await ctx.db.query<{ tier: string | null }>('SELECT o.tier FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1', [viewer.id]);
    tier = row?.tier ?? null;
  }
  const [config, types, group] = await Promise.all([
    loadSlaConfig(ctx.db),
    ctx.db.query<{ key: string; label: string }>("SELECT key, label FROM list_entries WHERE list = 'ticket_type' AND customer_selectable ORDER BY position, key"),
    ctx.db.query<{ id: string }>('SELECT id FROM groups WHERE is_default'),
  ]);
  const subject = (type: string, urgency: Urgency): PolicySubject => ({
    type, priority: 'normal', tier, organization_id: null, channel: viewer ? 'portal' : 'web_form', group_id: group[0]?.id ?? null, tags: [], urgency,
  });
  const commitment = (s: PolicySubject): Commitment | null => {
    const policy = selectPolicy(config.policies, s);
    const metric = policy?.metrics.find((m) => m.name === 'first_response');
    const target = metric ? targetFor(metric, 'normal') : null;
    return policy && metric && target !== null ? { target_minutes: target, clock: metric.clock ?? 'business', policy: policy.name } : null;
  };
  const byType = types.flatMap((t) => {
    const c = commitment(subject(t.key, 'normal'));
    return c ? [{ type: t.key, label: t.label, ...c }] : [];
  });
  const firstType = types[0]?.key ?? 'technical_question';
  const byUrgency = URGENCIES.flatMap((urgency) => {
    const policy = selectPolicy(config.policies, subject(firstType, urgency));
    if (!policy?.conditions.some((c) => c.field === 'urgency')) return [];
    const c = commitment(subject(firstType, urgency));
    return c ? [{ urgency, ...c }] : [];
  });
  return { tier, types, by_type: byType, by_urgency: byUrgency };
}
