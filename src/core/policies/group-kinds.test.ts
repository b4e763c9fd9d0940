import { describe, expect, it } from 'vitest';
import { resolveGroupKinds } from './group-kinds.ts';

const billing = { id: '6f1c2a3b-0000-4000-8000-000000000001', name: 'Billing' };
const support = { id: '6f1c2a3b-0000-4000-8000-000000000002', name: 'Second line' };
const groups = [billing, support];

describe('resolveGroupKinds (group:<key> in ownership clocks)', () => {
  it('stores a group named by name or id as group:<id>, leaving other kinds alone', () => {
    const raw = { name: 'p', metrics: [{ name: 'held_by_billing', start_on: ['group:billing', 'created'], stop_on: [`group:${support.id}`, 'group: Second Line ', 'status:solved'] }] };
    const { value, errors } = resolveGroupKinds(raw, groups);
    expect(errors).toEqual([]);
    expect(value).toEqual({ name: 'p', metrics: [{ name: 'held_by_billing', start_on: [`group:${billing.id}`, 'created'], stop_on: [`group:${support.id}`, `group:${support.id}`, 'status:solved'] }] });
  });

  it('names each unknown group at its own path', () => {
    const raw = { metrics: [{ name: 'a', start_on: ['created'] }, { name: 'b', start_on: ['group:Legal'], stop_on: ['created', 'group:00000000-0000-4000-8000-000000000000'] }] };
    const { errors } = resolveGroupKinds(raw, groups);
    expect(errors).toEqual([
      { path: 'metrics.1.start_on.0', message: 'no group has the id or name "Legal"' },
      { path: 'metrics.1.stop_on.1', message: 'no group has the id or name "00000000-0000-4000-8000-000000000000"' },
    ]);
  });

  it('prefers the exact name, and refuses a key two groups share up to case', () => {
    const twins = [...groups, { id: '6f1c2a3b-0000-4000-8000-000000000003', name: 'billing' }];
    const exact = resolveGroupKinds({ metrics: [{ start_on: ['group:Billing', 'group:billing'] }] }, twins);
    expect(exact.errors).toEqual([]);
    expect(exact.value).toEqual({ metrics: [{ start_on: [`group:${billing.id}`, 'group:6f1c2a3b-0000-4000-8000-000000000003'] }] });
    const { errors } = resolveGroupKinds({ metrics: [{ start_on: ['group:BILLING'] }] }, twins);
    expect(errors).toEqual([{ path: 'metrics.0.start_on.0', message: 'several groups are named "BILLING" up to case; use the exact name or the id' }]);
  });

  it('passes through what the schema will judge (no metrics, odd shapes)', () => {
    expect(resolveGroupKinds({ name: 'x' }, groups)).toEqual({ value: { name: 'x' }, errors: [] });
    expect(resolveGroupKinds(null, groups)).toEqual({ value: null, errors: [] });
    expect(resolveGroupKinds({ metrics: [5, { start_on: 'group:billing' }] }, groups).errors).toEqual([]);
  });
});
