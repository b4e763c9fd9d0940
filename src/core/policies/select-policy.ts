import type { PolicyCondition, PolicySubject, SlaPolicy } from './policy-model.ts';

function conditionHolds(c: PolicyCondition, s: PolicySubject): boolean {
  const values = c.field === 'tags' ? s.tags : c.field === 'urgency' ? [s.urgency ?? 'normal'] : [s[c.field] ?? ''];
  const hit = values.some((v) => c.values.includes(v));
  return c.op === 'in' ? hit : !hit;
}

export function policyMatches(p: SlaPolicy, s: PolicySubject): boolean {
  if (!p.active) return false;
  if (p.conditions.length === 0) return true;
  return p.match === 'all' ? p.conditions.every((c) => conditionHolds(c, s)) : p.conditions.some((c) => conditionHolds(c, s));
}

/** Policies are ordered; the first active one whose conditions match applies. */
export function selectPolicy<P extends SlaPolicy>(policies: readonly P[], s: PolicySubject): P | null {
  const ordered = [...policies].sort((a, b) => a.position - b.position);
  return ordered.find((p) => policyMatches(p, s)) ?? null;
}
