import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 15/16: what the admin screens need beyond create — password resets, group members, list edits.

let t: TestApp;
let admin: string;
let sup: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
});
afterAll(() => t.close());

const resetJobs = () => t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>("SELECT kind, payload FROM outbox WHERE kind = 'mail.password_reset' ORDER BY id");
/** The reset token in the mail the newest job renders to (minted at render time). */
async function latestResetToken(): Promise<{ to: string; token: string }> {
  const job = (await resetJobs()).at(-1);
  const mail = job ? await renderMail(t.ctx, job) : null;
  const token = /http:\/\/replyby\.test\/reset-password#token=(rbr_[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
  return { to: mail?.to ?? '', token };
}

describe('staff forgot password', () => {
  it('answers 202 alike for any address; only an active user gets a mail, with a link that works once', async () => {
    const before = (await resetJobs()).length;
    const known = await t.call('POST', '/api/v1/auth/password-reset', null, { email: 'Bea@test.dev' });
    const unknown = await t.call('POST', '/api/v1/auth/password-reset', null, { email: 'nobody@test.dev' });
    const customer = await t.call('POST', '/api/v1/auth/password-reset', null, { email: 'anna@acme.example' });
    expect([known.status, unknown.status, customer.status]).toEqual([202, 202, 202]);
    expect(unknown.body).toEqual(known.body);
    expect((await resetJobs()).length).toBe(before + 1);

    const oldSession = await t.signIn('bea@test.dev');
    const { to, token } = await latestResetToken();
    expect(to).toBe('bea@test.dev');
    expect(token).toMatch(/^rbr_/);
    // Only the hash is at rest.
    expect(JSON.stringify(await t.ctx.db.query('SELECT * FROM password_resets'))).not.toContain(token);

    const short = await t.call('POST', '/api/v1/auth/password-reset/confirm', null, { token, password: 'short' });
    expect(short.body.error).toMatchObject({ code: 'invalid_input', path: 'password' });
    expect((await t.call('POST', '/api/v1/auth/password-reset/confirm', null, { token, password: 'a-new-password-1' })).status).toBe(204);
    // The old password and every old session are gone; the new password works; the link does not work twice.
    expect((await t.call('GET', '/api/v1/auth/me', oldSession)).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'bea@test.dev', password: PASSWORD })).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'bea@test.dev', password: 'a-new-password-1' })).status).toBe(200);
    const again = await t.call('POST', '/api/v1/auth/password-reset/confirm', null, { token, password: 'another-password-2' });
    expect(again.status).toBe(401);
    expect(again.body.error.path).toBe('token');
  });

  it('a reset link expires after an hour, and an older link dies when a newer one is used', async () => {
    await t.call('POST', '/api/v1/auth/password-reset', null, { email: 'alex@test.dev' });
    const expired = (await latestResetToken()).token;
    t.clock.advanceMinutes(61);
    expect((await t.call('POST', '/api/v1/auth/password-reset/confirm', null, { token: expired, password: 'whatever-123' })).status).toBe(401);
    await t.call('POST', '/api/v1/auth/password-reset', null, { email: 'alex@test.dev' });
    const first = (await latestResetToken()).token;
    const second = (await latestResetToken()).token;
    expect((await t.call('POST', '/api/v1/auth/password-reset/confirm', null, { token: second, password: PASSWORD })).status).toBe(204);
    expect((await t.call('POST', '/api/v1/auth/password-reset/confirm', null, { token: first, password: 'whatever-123' })).status).toBe(401);
  });

  it('an admin sends a reset mail from the user list; a supervisor cannot for an admin, an agent not at all', async () => {
    const before = (await resetJobs()).length;
    const { users } = t.fixtures;
    agent = await t.signIn('alex@test.dev'); // the reset above ended alex's sessions
    expect((await t.call('POST', `/api/v1/users/${users.agentBilling}/password-reset`, admin)).status).toBe(202);
    expect((await t.call('POST', `/api/v1/users/${users.agentBilling}/password-reset`, sup)).status).toBe(202);
    expect((await t.call('POST', `/api/v1/users/${users.admin}/password-reset`, sup)).status).toBe(403);
    expect((await t.call('POST', `/api/v1/users/${users.agentBilling}/password-reset`, agent)).status).toBe(403);
    expect((await t.call('POST', '/api/v1/users/00000000-0000-4000-8000-000000000000/password-reset', admin)).status).toBe(404);
    expect((await resetJobs()).length).toBe(before + 2);
  });
});

describe('group members', () => {
  it('replaces the members; unknown users are named by index; agents may not', async () => {
    const { groups, users } = t.fixtures;
    const res = await t.call('PUT', `/api/v1/groups/${groups.billing}/members`, sup, { user_ids: [users.agentSupport, users.agentBilling] });
    expect(res.status).toBe(200);
    expect([...res.body.member_ids].sort()).toEqual([users.agentSupport, users.agentBilling].sort());
    const user = await t.call('GET', `/api/v1/users/${users.agentSupport}`, admin);
    expect(user.body.group_ids).toContain(groups.billing);
    const bad = await t.call('PUT', `/api/v1/groups/${groups.billing}/members`, sup, { user_ids: [users.agentBilling, '00000000-0000-4000-8000-000000000000'] });
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', path: 'user_ids[1]' });
    // Nothing half-written: the failed change left the members as they were.
    expect((await t.call('GET', '/api/v1/groups', admin)).body.data.find((g: { id: string }) => g.id === groups.billing).member_ids).toHaveLength(2);
    expect((await t.call('PUT', `/api/v1/groups/${groups.billing}/members`, agent, { user_ids: [] })).status).toBe(403);
    const emptied = await t.call('PUT', `/api/v1/groups/${groups.billing}/members`, admin, { user_ids: [] });
    expect(emptied.body.member_ids).toEqual([]);
  });
});

describe('editable lists', () => {
  it('renames and moves an entry; keys stay; unknown entries are 404', async () => {
    const res = await t.call('PATCH', '/api/v1/lists/tiers/vip', admin, { label: 'Very important', position: 0 });
    expect(res.body).toEqual({ key: 'vip', label: 'Very important', position: 0 });
    const lists = await t.call('GET', '/api/v1/lists');
    expect(lists.body.tiers[0]).toEqual({ key: 'vip', label: 'Very important' });
    expect((await t.call('PATCH', '/api/v1/lists/tiers/nope', admin, { label: 'x' })).status).toBe(404);
    expect((await t.call('PATCH', '/api/v1/lists/colours/vip', admin, { label: 'x' })).body.error.path).toBe('list');
    expect((await t.call('PATCH', '/api/v1/lists/tiers/vip', admin, { key: 'other' })).body.error.path).toBe('key');
    expect((await t.call('PATCH', '/api/v1/lists/tiers/vip', agent, { label: 'x' })).status).toBe(403);
  });
});
