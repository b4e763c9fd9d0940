import { describe, expect, it } from 'vitest';
import type { PolicySubject, SlaPolicy } from './policy-model.ts';
import { selectPolicy } from './select-policy.ts';

const policy = (name: string, position: number, extra: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id: name, name, position, active: true, match: 'all', conditions: [], calendar_id: null, pause_statuses: ['pending'],
  metrics: [{ name: 'first_response', target_minutes: 60, warn_at_percent: [], warn_at_minutes_left: [] }], ...extra,
});
const ticket: PolicySubject = { type: 'complaint', priority: 'high', tier: 'vip', organization_id: 'org-1', channel: 'email', group_id: 'g-1', tags: ['billing', 'eu'] };

describe('selectPolicy', () => {
  const cases: [string, SlaPolicy[], string | null][] = [
    ['no policies → none', [], null],
    ['a policy without conditions matches everything', [policy('all', 1)], 'all'],
    ['the first match by position wins, not by array order', [policy('second', 2), policy('first', 1)], 'first'],
    ['inactive policies are skipped', [policy('off', 1, { active: false }), policy('on', 2)], 'on'],
    ['all: every condition must hold', [policy('vip-urgent', 1, { conditions: [{ field: 'tier', op: 'in', values: ['vip'] }, { field: 'priority', op: 'in', values: ['urgent'] }] }), policy('fallback', 2)], 'fallback'],
    ['any: one condition is enough', [policy('vip-or-urgent', 1, { match: 'any', conditions: [{ field: 'tier', op: 'in', values: ['vip'] }, { field: 'priority', op: 'in', values: ['urgent'] }] })], 'vip-or-urgent'],
    ['not_in excludes', [policy('not-email', 1, { conditions: [{ field: 'channel', op: 'not_in', values: ['email'] }] }), policy('fallback', 2)], 'fallback'],
    ['tags match when any tag is listed', [policy('eu', 1, { conditions: [{ field: 'tags', op: 'in', values: ['eu', 'us'] }] })], 'eu'],
    ['tags not_in fails when any listed tag is present', [policy('no-billing', 1, { conditions: [{ field: 'tags', op: 'not_in', values: ['billing'] }] })], null],
    ['organization and group ids', [policy('org', 1, { conditions: [{ field: 'organization_id', op: 'in', values: ['org-1'] }, { field: 'group_id', op: 'in', values: ['g-1'] }] })], 'org'],
    ['type × tier matrix picks the specific row', [
      policy('complaint-standard', 1, { conditions: [{ field: 'type', op: 'in', values: ['complaint'] }, { field: 'tier', op: 'in', values: ['standard'] }] }),
      policy('complaint-vip', 2, { conditions: [{ field: 'type', op: 'in', values: ['complaint'] }, { field: 'tier', op: 'in', values: ['vip'] }] }),
    ], 'complaint-vip'],
  ];
  it.each(cases)('%s', (_name, policies, expected) => {
    expect(selectPolicy(policies, ticket)?.name ?? null).toBe(expected);
  });

  it('a ticket without organization has no tier to match', () => {
    const p = [policy('vip', 1, { conditions: [{ field: 'tier', op: 'in', values: ['vip'] }] })];
    expect(selectPolicy(p, { ...ticket, tier: null, organization_id: null })).toBeNull();
  });
});
