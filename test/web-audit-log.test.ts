import { describe, expect, it } from 'vitest';
import { changedFields } from '../web/src/features/admin/audit-log-admin.tsx';

// The audit-log screen's "before → after" cell (web/src/features/admin/audit-log-admin.tsx).

describe('audit log changes column', () => {
  it('lists only the top-level fields that differ, with both sides', () => {
    expect(changedFields({ name: 'Gold', target: 60, tags: ['a'] }, { name: 'Platinum', target: 60, tags: ['a', 'b'] }))
      .toBe('name: Gold → Platinum; tags: ["a"] → ["a","b"]');
  });

  it('shows a created row as fields from nothing and a deleted one as fields to nothing', () => {
    expect(changedFields(null, { url: 'https://x' })).toBe('url: — → https://x');
    expect(changedFields({ url: 'https://x' }, null)).toBe('url: https://x → —');
  });

  it('is empty when nothing differs or the sides are not objects', () => {
    expect(changedFields({ a: 1 }, { a: 1 })).toBe('');
    expect(changedFields([1], 'x')).toBe('');
  });
});
