import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/app/auth/authenticate.ts';
import type { AppContext } from '../../src/app/context.ts';
import { importIcsHolidays } from '../../src/app/sla/import-ics-holidays.ts';
import { updateCalendar } from '../../src/app/sla/manage-calendars.ts';
import { updateContact } from '../../src/app/people/manage-contacts.ts';
import { updateOrganization } from '../../src/app/people/manage-organizations.ts';
import { signIn } from '../../src/app/auth/sign-in.ts';
import { recomputeOpenTickets } from '../../src/app/sla/recompute-open-tickets.ts';
import { addMessage } from '../../src/app/tickets/add-message.ts';
import type { Principal } from '../../src/core/auth/principal.ts';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.ts';

// Races that only a server with real concurrent connections can show (PGlite runs one transaction at
// a time), so this folder runs in `npm run test:pg` only. Each test holds one writer's transaction open
// at its last step and lets a second writer run into it.

let t: TestApp;
let agent: Principal;
let sup: Principal;
beforeAll(async () => {
  t = await startTestApp();
  agent = await authenticate(t.ctx, await t.signIn('alex@test.dev'));
  sup = await authenticate(t.ctx, await t.signIn('super@test.dev'));
});
afterAll(() => t.close());

/** A context whose transactions do all their work, then wait for `release()` before committing. */
function heldOpen(ctx: AppContext): { ctx: AppContext; release: () => void } {
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const db = { ...ctx.db, transaction: <T>(fn: Parameters<AppContext['db']['transaction']>[0]) => ctx.db.transaction(async (tx) => {
    const out = (await fn(tx)) as T;
    await gate;
    return out;
  }) } as AppContext['db'];
  return { ctx: { ...ctx, db }, release };
}
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('concurrent writers (PostgreSQL)', () => {
  it('runs on a PostgreSQL server', () => {
    expect(t.ctx.db.engine).toBe('postgres');
  });

  it('a background recompute never overwrites the clocks of a reply that lands while it runs', async () => {
    expect((await t.call('POST', '/api/v1/sla/policies', await t.signIn('super@test.dev'), { name: '24/7', metrics: [{ name: 'first_response', target_minutes: 60 }] })).status).toBe(201);
    const token = await t.signIn('alex@test.dev');
    const created = await t.call('POST', '/api/v1/tickets', token, { subject: 'Race', message: 'm', requester: { email: 'race@example.org' } });
    t.clock.advanceMinutes(10);
    const reply = heldOpen(t.ctx);
    const replying = addMessage(reply.ctx, agent, String(created.body.number), { kind: 'public', body: 'On it' });
    await settle(); // the reply is written, uncommitted, and holds the ticket
    const recomputing = recomputeOpenTickets(t.ctx);
    await settle();
    reply.release();
    await Promise.all([replying, recomputing]);
    const tk = await t.call('GET', `/api/v1/tickets/${created.body.number}`, token);
    expect(tk.body.sla.metrics.first_response).toMatchObject({ status: 'completed' });
    // What the queue orders by is stored: it must hold the reply too.
    const [row] = await t.ctx.db.query<{ sla_state: { result: { metrics: Record<string, { status: string }> } }; sla_next_due_at: Date | null }>(
      'SELECT sla_state, sla_next_due_at FROM tickets WHERE number = $1', [created.body.number]);
    expect(row?.sla_state.result.metrics.first_response?.status).toBe('completed');
    expect(row?.sla_next_due_at).toBeNull();
  });

  it('renaming a calendar while its holidays are imported keeps both changes', async () => {
    const cal = await t.call('POST', '/api/v1/sla/calendars', await t.signIn('super@test.dev'), { name: 'Racing', spec: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] } } });
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x@t\r\nDTSTART;VALUE=DATE:20251225\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const importing = heldOpen(t.ctx);
    const imported = importIcsHolidays(importing.ctx, sup, cal.body.id, { ics });
    await settle();
    const renamed = updateCalendar(t.ctx, sup, cal.body.id, { name: 'Racing (renamed)' });
    await settle();
    importing.release();
    await Promise.all([imported, renamed]);
    const [row] = await t.ctx.db.query<{ name: string; spec: { holidays?: unknown[] } }>('SELECT name, spec FROM calendars WHERE id = $1', [cal.body.id]);
    expect(row?.name).toBe('Racing (renamed)');
    expect(row?.spec.holidays).toEqual([{ ics }]);
  });

  it('a sign-in that checked the old password while a new one was being set gets no session', async () => {
    const contact = t.fixtures.contacts.anna;
    const change = heldOpen(t.ctx);
    const changing = updateContact(change.ctx, sup, contact, { password: 'brand-new-password' });
    await settle(); // the new hash is written, uncommitted, and the old sessions are deleted
    const signingIn = signIn(t.ctx, { email: 'anna@acme.example', password: PASSWORD }, 'customer').then(() => 'signed in', (e: Error) => e.message);
    await settle();
    change.release();
    await changing;
    expect(await signingIn).toMatch(/e-mail or password is wrong/);
    expect(await t.ctx.db.query("SELECT 1 FROM sessions WHERE principal_kind = 'contact' AND principal_id = $1", [contact])).toEqual([]);
    expect(await signIn(t.ctx, { email: 'anna@acme.example', password: 'brand-new-password' }, 'customer')).toMatchObject({ principal: { id: contact } });
  });

  it('a ticket created while its organization changes tier gets the new tier\'s policy', async () => {
    const supToken = await t.signIn('super@test.dev');
    const vip = await t.call('POST', '/api/v1/sla/policies', supToken, { name: 'VIP', conditions: [{ field: 'tier', values: ['vip'] }], metrics: [{ name: 'first_response', target_minutes: 15 }] });
    const order = (await t.call('GET', '/api/v1/sla/policies', supToken)).body.data.map((p: { id: string }) => p.id);
    await t.call('POST', '/api/v1/sla/policies/reorder', supToken, { ids: [vip.body.id, ...order.filter((id: string) => id !== vip.body.id)] });
    const retier = heldOpen(t.ctx);
    const retiering = updateOrganization(retier.ctx, sup, t.fixtures.orgs.globex, { tier: 'vip' });
    await settle();
    const creating = t.call('POST', '/api/v1/tickets', await t.signIn('alex@test.dev'), { subject: 'Mid-change', message: 'm', requester_id: t.fixtures.contacts.ben });
    await settle();
    retier.release();
    const [, created] = await Promise.all([retiering, creating]);
    expect(created.status).toBe(201);
    const [row] = await t.ctx.db.query<{ sla_policy_id: string }>('SELECT sla_policy_id FROM tickets WHERE number = $1', [created.body.number]);
    expect(row?.sla_policy_id).toBe(vip.body.id);
  });
});
