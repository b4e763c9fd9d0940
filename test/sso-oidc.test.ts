import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcSettings } from '../src/app/auth/oidc.ts';
import { totpCode } from '../src/core/auth/totp.ts';
import { loginAtProvider, startTestOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Single sign-on against a real OpenID Connect provider (oidc-provider) on loopback.
const REDIRECT = 'http://replyby.test/api/v1/auth/oidc/callback';
let idp: TestOidcProvider;
let t: TestApp;
let oidc: OidcSettings;

beforeAll(async () => {
  idp = await startTestOidcProvider([REDIRECT]);
  for (const [id, account] of Object.entries({
    alex: { email: 'alex@test.dev', groups: ['staff'] },
    dana: { email: 'dana@test.dev', name: 'Dana New', groups: ['helpdesk-admins'] },
    erin: { email: 'erin@test.dev', groups: [] },
    unverified: { email: 'bea@test.dev', email_verified: false },
    bea: { email: 'bea@test.dev', groups: ['helpdesk-leads'] },
  })) idp.accounts.set(id, account);
  oidc = {
    name: 'Test IdP', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUrl: REDIRECT, scopes: 'openid email profile',
    emailClaim: 'email', roleClaim: 'groups', roleMap: [{ value: 'helpdesk-admins', role: 'admin' }, { value: 'helpdesk-leads', role: 'supervisor' }],
    createUsers: false, defaultRole: 'agent', trustProviderMfa: true,
  };
  t = await startTestApp({ settings: { oidc } });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

async function start(): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start?next=/tickets' });
  expect(res.statusCode).toBe(303);
  return res.headers.location as string;
}
const callback = (url: URL, accept = 'application/json') => t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { accept } });
async function signInAs(login: string, opts: { mfa?: boolean } = {}) {
  const back = await loginAtProvider(await start(), REDIRECT, login, opts);
  return { back, res: await callback(back) };
}
const sessionCookie = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'rb_session')?.value;

describe('OpenID Connect sign-in for staff', () => {
  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const url = new URL(await start());
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    const providers = await t.call('GET', '/api/v1/auth/providers');
    expect(providers.body).toEqual({ oidc: { name: 'Test IdP', start_url: '/api/v1/auth/oidc/start' } });
  });

  it('signs a known user in by verified e-mail: a session cookie and a redirect to next', async () => {
    const { res } = await signInAs('alex');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/tickets');
    const token = sessionCookie(res);
    expect(token).toMatch(/^rbs_/);
    const me = await t.call('GET', '/api/v1/auth/me', token);
    expect(me.body.principal).toMatchObject({ id: t.fixtures.users.agentSupport, role: 'agent' });
  });

  it('refuses a callback whose state this server never issued, and a replayed callback', async () => {
    const back = await loginAtProvider(await start(), REDIRECT, 'alex');
    const forged = new URL(back);
    forged.searchParams.set('state', 'not-a-state-we-issued');
    const wrong = await callback(forged);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'unauthenticated', path: 'state' });
    // The forged attempt did not spend the real state: the genuine callback still works, once.
    expect((await callback(back)).statusCode).toBe(303);
    const replay = await callback(back);
    expect(replay.statusCode).toBe(401);
    // A browser is sent back to the sign-in page with the reason.
    const html = await callback(back, 'text/html');
    expect(html.statusCode).toBe(303);
    expect(html.headers.location).toMatch(/^\/\?sso_error=/);
  });

  it('refuses a code used once already, even with a fresh state', async () => {
    const back = await loginAtProvider(await start(), REDIRECT, 'alex');
    expect((await callback(back)).statusCode).toBe(303);
    const fresh = new URL(await loginAtProvider(await start(), REDIRECT, 'alex'));
    fresh.searchParams.set('code', back.searchParams.get('code') ?? '');
    const res = await callback(fresh);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/refused/);
  });

  it('refuses an ID token for another audience, one signed by a foreign key and an expired one', async () => {
    try {
      idp.tamper = (c) => ({ ...c, aud: 'some-other-client' });
      const aud = (await signInAs('alex')).res;
      expect(aud.statusCode).toBe(401);
      expect(aud.json().error.message).toMatch(/"aud"/);
      idp.tamper = (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 });
      const expired = (await signInAs('alex')).res;
      expect(expired.statusCode).toBe(401);
      idp.tamper = (c) => c;
      idp.foreignKey = true;
      const foreign = (await signInAs('alex')).res;
      expect(foreign.statusCode).toBe(401);
      // The same path untampered but re-signed with the provider's key passes: the refusals above are the checks.
      idp.foreignKey = false;
      expect((await signInAs('alex')).res.statusCode).toBe(303);
    } finally {
      idp.tamper = null;
      idp.foreignKey = false;
    }
  });

  it('refuses an unknown user when creation is off, and creates one with the mapped role when on', async () => {
    const refused = (await signInAs('dana')).res;
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/no Replyby account for dana@test.dev/);
    oidc.createUsers = true;
    try {
      const created = (await signInAs('dana')).res;
      expect(created.statusCode).toBe(303);
      const me = await t.call('GET', '/api/v1/auth/me', sessionCookie(created));
      expect(me.body.principal).toMatchObject({ email: 'dana@test.dev', name: 'Dana New', role: 'admin' });
      const plain = (await signInAs('erin')).res;
      expect((await t.call('GET', '/api/v1/auth/me', sessionCookie(plain))).body.principal).toMatchObject({ email: 'erin@test.dev', role: 'agent' });
      const [audit] = await t.ctx.db.query<{ action: string; after: { by: string } }>("SELECT action, after FROM audit_log WHERE target_type = 'user' AND after->>'email' = 'erin@test.dev'");
      expect(audit).toMatchObject({ action: 'create', after: { by: 'single sign-on' } });
      // Created without a usable password.
      expect((await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'erin@test.dev', password: 'sso' })).status).toBe(401);
    } finally {
      oidc.createUsers = false;
    }
  });

  it("maps a role from the provider's groups onto an existing user, and refuses an unverified e-mail", async () => {
    expect((await signInAs('unverified')).res.statusCode).toBe(403);
    const res = (await signInAs('bea')).res;
    expect(res.statusCode).toBe(303);
    expect((await t.call('GET', '/api/v1/auth/me', sessionCookie(res))).body.principal).toMatchObject({ id: t.fixtures.users.agentBilling, role: 'supervisor' });
    const rows = await t.ctx.db.query<{ before: { role: string }; after: { role: string } }>('SELECT before, after FROM audit_log WHERE target_id = $1', [t.fixtures.users.agentBilling]);
    expect(rows.at(-1)).toMatchObject({ before: { role: 'agent' }, after: { role: 'supervisor' } });
  });

  it('refuses a deactivated user', async () => {
    await t.ctx.db.query("UPDATE users SET active = false WHERE email = 'erin@test.dev'");
    oidc.createUsers = true;
    try {
      const res = (await signInAs('erin')).res;
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toMatch(/deactivated/);
    } finally {
      oidc.createUsers = false;
    }
  });

  it('asks for the second factor after the provider when the role requires it, unless the provider asserted MFA', async () => {
    const admin = await t.signIn('admin@test.dev');
    expect((await t.call('PUT', '/api/v1/admin/two-factor', admin, { required_roles: ['agent'] })).status).toBe(200);
    try {
      const plain = (await signInAs('alex')).res;
      expect(plain.statusCode).toBe(303);
      expect(plain.headers.location).toBe('/?two_factor=enrol&next=%2Ftickets');
      expect(sessionCookie(plain)).toBeUndefined();
      const challenge = plain.cookies.find((c) => c.name === 'rb_2fa');
      expect(challenge?.httpOnly).toBe(true);
      // Enrol during sign-in with the challenge cookie, confirm with a code: a session and recovery codes.
      const cookie = `rb_2fa=${challenge?.value}`;
      const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/enrolment', headers: { cookie, 'content-type': 'application/json' }, payload: '{}' });
      expect(enrol.statusCode).toBe(200);
      const secret = enrol.json().secret as string;
      const done = await t.app.inject({ method: 'POST', url: '/api/v1/auth/two-factor', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ code: totpCode(secret, t.clock.now) }) });
      expect(done.statusCode).toBe(200);
      expect(done.json().recovery_codes).toHaveLength(10);
      expect(sessionCookie(done)).toMatch(/^rbs_/);
      const mfa = (await signInAs('alex', { mfa: true })).res;
      expect(mfa.statusCode).toBe(303);
      expect(sessionCookie(mfa)).toMatch(/^rbs_/);
    } finally {
      await t.call('PUT', '/api/v1/admin/two-factor', admin, { required_roles: [] });
      await t.call('DELETE', `/api/v1/users/${t.fixtures.users.agentSupport}/two-factor`, admin);
    }
  });
});
