import { describe, expect, it } from 'vitest';
import { advanceCursor, lifecycleEventOf } from './lifecycle-events.ts';
import { grants, requiredScope } from './token-scopes.ts';
import { rateHeaders, windowStart } from './rate-window.ts';

describe('lifecycle events from the event log', () => {
  it('maps kinds to lifecycle events', () => {
    expect(lifecycleEventOf({ kind: 'created', after: {} })).toBe('ticket.created');
    expect(lifecycleEventOf({ kind: 'message_added', after: { kind: 'public', initial: true } })).toBeNull();
    expect(lifecycleEventOf({ kind: 'message_added', after: { kind: 'public' } })).toBe('ticket.replied');
    expect(lifecycleEventOf({ kind: 'message_added', after: { kind: 'internal' } })).toBeNull();
    expect(lifecycleEventOf({ kind: 'status_changed', after: { status: 'solved' } })).toBe('ticket.solved');
    expect(lifecycleEventOf({ kind: 'status_changed', after: { status: 'closed' } })).toBe('ticket.closed');
    expect(lifecycleEventOf({ kind: 'status_changed', after: { status: 'pending' } })).toBe('ticket.updated');
    expect(lifecycleEventOf({ kind: 'priority_changed', after: { priority: 'high' } })).toBe('ticket.updated');
    expect(lifecycleEventOf({ kind: 'merged', after: {} })).toBe('ticket.merged');
    expect(lifecycleEventOf({ kind: 'snoozed', after: {} })).toBeNull();
  });

  it('keeps the numbers skipped as gaps until they turn up or their wait is over', () => {
    const a = advanceCursor(10, [], [11, 14, 15], 1000, 500);
    expect(a).toEqual({ last: 15, gaps: [{ seq: 12, since: 1000 }, { seq: 13, since: 1000 }] });
    const b = advanceCursor(a.last, a.gaps, [13, 16], 1200, 500);
    expect(b).toEqual({ last: 16, gaps: [{ seq: 12, since: 1000 }] });
    expect(advanceCursor(b.last, b.gaps, [], 1500, 500)).toEqual({ last: 16, gaps: [] });
    // A huge jump (a large rolled-back batch) keeps at most maxGaps, the newest.
    expect(advanceCursor(0, [], [10_000], 0, 500, 5).gaps.length).toBeLessThanOrEqual(5);
  });
});

describe('token scopes and rate windows', () => {
  it('needs read for GET, tickets for ticket writes, admin for other writes; each includes the ones below', () => {
    expect(requiredScope('GET', '/api/v1/webhooks')).toBe('read');
    expect(requiredScope('POST', '/api/v1/tickets')).toBe('tickets');
    expect(requiredScope('PATCH', '/api/v1/tickets/:ref')).toBe('tickets');
    expect(requiredScope('POST', '/api/v1/ticketsx')).toBe('admin');
    expect(requiredScope('POST', '/api/v1/groups')).toBe('admin');
    expect(grants(['admin'], 'read')).toBe(true);
    expect(grants(['tickets'], 'admin')).toBe(false);
    expect(grants(['read'], 'tickets')).toBe(false);
    expect(grants(['bogus'], 'read')).toBe(false);
  });

  it('tells the window in the draft-07 headers', () => {
    const now = new Date('2025-03-12T10:00:15.500Z');
    expect(windowStart(now).toISOString()).toBe('2025-03-12T10:00:00.000Z');
    expect(rateHeaders({ limit: 3, count: 1, windowStart: windowStart(now) }, now)).toEqual({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '2', 'RateLimit-Reset': '45', 'RateLimit-Policy': '3;w=60' });
    expect(rateHeaders({ limit: 3, count: 4, windowStart: windowStart(now) }, now)['Retry-After']).toBe('45');
  });
});
