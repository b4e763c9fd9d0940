import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLifecycleSweep } from '../../src/app/promise/lifecycle-sweep.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// The lifecycle sweep in several "processes" at once (concurrent transactions on a PostgreSQL server):
// each silent solved ticket closes once, each old closed ticket is archived once, each promise about
// to pass is moved and announced once.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(() => t?.close());

describe('lifecycle sweep, concurrent sweepers (PostgreSQL)', () => {
  it('runs on a PostgreSQL server', () => {
    expect(t.ctx.db.engine).toBe('postgres');
  });

  it('six sweepers at once act on each ticket exactly once', async () => {
    const sup = await t.signIn('super@test.dev');
    expect((await t.call('POST', '/api/v1/sla/policies', sup, { name: '1h', metrics: [{ name: 'first_response', target_minutes: 60, clock: 'calendar' }] })).status).toBe(201);
    t.clock.set('2025-03-01T10:00:00Z');
    const make = async (subject: string) => (await t.call('POST', '/api/v1/tickets', sup, { subject, message: 'm', requester: { email: `${subject}@example.org` } })).body as { id: string; number: number };
    const solved = [];
    for (let i = 0; i < 12; i++) {
      const tk = await make(`solved${i}`);
      expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { status: i % 2 ? 'solved' : 'closed' })).status).toBe(200);
      solved.push(tk);
    }
    // Ten days later: the solved ones close by silence; the closed ones wait for their 30 days.
    t.clock.set('2025-03-11T10:00:00Z');
    const fresh = [];
    for (let i = 0; i < 8; i++) fresh.push(await make(`fresh${i}`));
    t.clock.set('2025-03-11T10:45:00Z'); // their 11:00 promise is 15 minutes away
    const results = await Promise.all(Array.from({ length: 6 }, () => runLifecycleSweep(t.ctx)));
    expect(results.reduce((n, r) => n + r.closed, 0)).toBe(6);
    expect(results.reduce((n, r) => n + r.warned, 0)).toBe(8);
    const count = async (kind: string) => (await t.ctx.db.query<{ ticket_id: string; n: number }>('SELECT ticket_id, count(*)::int AS n FROM ticket_events WHERE kind = $1 GROUP BY ticket_id', [kind]));
    const silent = await count('closed_after_silence');
    expect(silent).toHaveLength(6);
    expect(silent.every((r) => r.n === 1)).toBe(true);
    const mails = await t.ctx.db.query<{ ticket_id: string; n: number }>("SELECT payload->>'ticket_id' AS ticket_id, count(*)::int AS n FROM outbox WHERE kind = 'mail.promise_changed' GROUP BY 1");
    expect(mails).toHaveLength(8);
    expect(mails.every((r) => r.n === 1)).toBe(true);

    t.clock.set('2025-04-12T10:00:00Z');
    const again = await Promise.all(Array.from({ length: 6 }, () => runLifecycleSweep(t.ctx)));
    expect(again.reduce((n, r) => n + r.archived, 0)).toBe(12);
    const archived = await count('archived');
    expect(archived).toHaveLength(12);
    expect(archived.every((r) => r.n === 1)).toBe(true);
  }, 120_000);
});
