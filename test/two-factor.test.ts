import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchTotp, totpCode, totpSecretFromBytes } from '../src/core/auth/totp.ts';
import { startTestApp, PASSWORD, type TestApp } from './helpers/test-app.ts';

// RFC 6238 Appendix B: the seeds are the ASCII strings "1234567890" repeated to 20, 32 and 64 bytes.
const seed = (n: number) => totpSecretFromBytes(new TextEncoder().encode('1234567890'.repeat(7).slice(0, n)));
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it("computes the RFC's published test vectors for SHA-1, SHA-256 and SHA-512", () => {
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      const at = new Date(seconds * 1000);
      expect(totpCode(seed(20), at, { digits: 8, algorithm: 'SHA1' })).toBe(sha1);
      expect(totpCode(seed(32), at, { digits: 8, algorithm: 'SHA256' })).toBe(sha256);
      expect(totpCode(seed(64), at, { digits: 8, algorithm: 'SHA512' })).toBe(sha512);
    }
  });

  it('accepts a code one step either side and no further', () => {
    const s = seed(20);
    const at = new Date(1_111_111_111_000);
    const code = totpCode(s, at);
    expect(matchTotp(s, code, at)).toBe(Math.floor(1_111_111_111 / 30));
    expect(matchTotp(s, code, new Date(at.getTime() + 30_000))).toBe(Math.floor(1_111_111_111 / 30));
    expect(matchTotp(s, code, new Date(at.getTime() - 30_000))).toBe(Math.floor(1_111_111_111 / 30));
    expect(matchTotp(s, code, new Date(at.getTime() + 61_000))).toBeNull();
    expect(matchTotp(s, 'abcdef', at)).toBeNull();
  });
});

describe('two-factor sign-in through HTTP', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.signIn('admin@test.dev');
  });
  afterAll(async () => t?.close());

  const signInStep = (email: string) => t.call('POST', '/api/v1/auth/sign-in', null, { email, password: PASSWORD });

  async function enrol(token: string): Promise<{ secret: string; recovery: string[] }> {
    const started = await t.call('POST', '/api/v1/me/two-factor/enrolment', token);
    expect(started.status).toBe(200);
    expect(started.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Replyby:.+\?.*secret=/);
    expect(started.body.qr_svg).toMatch(/^<svg/);
    const secret = started.body.secret as string;
    const wrong = await t.call('POST', '/api/v1/me/two-factor/confirm', token, { code: '000000' === totpCode(secret, t.clock.now) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.path).toBe('code');
    expect((await t.call('GET', '/api/v1/me/two-factor', token)).body.enabled).toBe(false);
    const ok = await t.call('POST', '/api/v1/me/two-factor/confirm', token, { code: totpCode(secret, t.clock.now) });
    expect(ok.status).toBe(200);
    expect(ok.body.recovery_codes).toHaveLength(10);
    expect(new Set(ok.body.recovery_codes).size).toBe(10);
    return { secret, recovery: ok.body.recovery_codes };
  }

  it('enrols from the profile, then asks for the code after the password; a code works once', async () => {
    const alex = await t.signIn('alex@test.dev');
    const { secret } = await enrol(alex);
    expect((await t.call('GET', '/api/v1/me/two-factor', alex)).body).toEqual({ enabled: true, required: false, recovery_codes_left: 10 });
    const stored = await t.ctx.db.query<{ code_hash: string }>('SELECT code_hash FROM user_recovery_codes WHERE user_id = $1', [t.fixtures.users.agentSupport]);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash))).toBe(true);

    t.clock.advanceMinutes(1);
    const first = await signInStep('alex@test.dev');
    expect(first.status).toBe(200);
    expect(first.body.token).toBeUndefined();
    expect(first.body.two_factor).toMatchObject({ enrol: false });
    const challenge = first.body.two_factor.challenge as string;
    const code = totpCode(secret, t.clock.now);
    const done = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge, code });
    expect(done.status).toBe(200);
    expect(done.body.token).toMatch(/^rbs_/);
    expect((await t.call('GET', '/api/v1/auth/me', done.body.token)).body.principal.email).toBe('alex@test.dev');
    // The same code again, within its window, on a new sign-in: refused (no replay).
    const again = await signInStep('alex@test.dev');
    const replay = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: again.body.two_factor.challenge, code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.path).toBe('code');
    // The next step's code is fine (±1 step of clock drift).
    t.clock.advanceMinutes(0.5);
    const next = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: again.body.two_factor.challenge, code: totpCode(secret, t.clock.now) });
    expect(next.status).toBe(200);
  });

  it('takes each recovery code once', async () => {
    const bea = await t.signIn('bea@test.dev');
    const { recovery } = await enrol(bea);
    const c1 = (await signInStep('bea@test.dev')).body.two_factor.challenge;
    const used = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c1, recovery_code: recovery[0]?.toUpperCase() });
    expect(used.status).toBe(200);
    const c2 = (await signInStep('bea@test.dev')).body.two_factor.challenge;
    const reused = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c2, recovery_code: recovery[0] });
    expect(reused.status).toBe(401);
    expect(reused.body.error.path).toBe('recovery_code');
    expect((await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c2, recovery_code: recovery[1] })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/me/two-factor', (await t.call('POST', '/api/v1/auth/two-factor', null, {
      challenge: (await signInStep('bea@test.dev')).body.two_factor.challenge, recovery_code: recovery[2] })).body.token)).body.recovery_codes_left).toBe(7);
  });

  it('ends a challenge after five wrong codes and locks the factor after ten', async () => {
    const c = (await signInStep('alex@test.dev')).body.two_factor.challenge;
    for (let i = 0; i < 5; i++) expect((await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c, code: '999999' })).status).toBe(401);
    const dead = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c, code: '999999' });
    expect(dead.body.error).toMatchObject({ code: 'unauthenticated', path: 'challenge' });
    const c2 = (await signInStep('alex@test.dev')).body.two_factor.challenge;
    for (let i = 0; i < 5; i++) await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c2, code: '999999' });
    const c3 = (await signInStep('alex@test.dev')).body.two_factor.challenge;
    const locked = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: c3, code: '123456' });
    expect(locked.status).toBe(429);
    t.clock.advanceMinutes(16);
  });

  it('lets admins require 2FA per role and reset a user (audit rows); API tokens are not asked', async () => {
    const agent = await t.signIn('super@test.dev');
    const apiToken = (await t.call('POST', '/api/v1/api-tokens', agent, { name: 'script' })).body.token as string;
    expect((await t.call('PUT', '/api/v1/admin/two-factor', agent, { required_roles: ['supervisor'] })).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/admin/two-factor', admin, { required_roles: ['boss'] })).body.error.path).toMatch(/^required_roles/);
    const set = await t.call('PUT', '/api/v1/admin/two-factor', admin, { required_roles: ['supervisor'] });
    expect(set.body).toEqual({ required_roles: ['supervisor'] });
    const [audit] = await t.ctx.db.query<{ after: unknown }>("SELECT after FROM audit_log WHERE target_type = 'settings' AND target_id = 'two_factor' ORDER BY id DESC LIMIT 1");
    expect(audit?.after).toEqual({ required_roles: ['supervisor'] });
    // A supervisor without a factor enrols during sign-in.
    const first = await signInStep('super@test.dev');
    expect(first.body.two_factor).toMatchObject({ enrol: true });
    const secret = (await t.call('POST', '/api/v1/auth/two-factor/enrolment', null, { challenge: first.body.two_factor.challenge })).body.secret as string;
    const done = await t.call('POST', '/api/v1/auth/two-factor', null, { challenge: first.body.two_factor.challenge, code: totpCode(secret, t.clock.now) });
    expect(done.status).toBe(200);
    expect(done.body.recovery_codes).toHaveLength(10);
    // The API token still works without a code.
    expect((await t.call('GET', '/api/v1/auth/me', apiToken)).status).toBe(200);
    // Reset by an admin: the next sign-in enrols again.
    expect((await t.call('DELETE', `/api/v1/users/${t.fixtures.users.supervisor}/two-factor`, agent)).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/users/${t.fixtures.users.supervisor}/two-factor`, admin)).status).toBe(204);
    const [reset] = await t.ctx.db.query<{ after: unknown }>("SELECT after FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id DESC LIMIT 1", [t.fixtures.users.supervisor]);
    expect(reset?.after).toEqual({ two_factor: false, two_factor_reset: true });
    expect((await signInStep('super@test.dev')).body.two_factor).toMatchObject({ enrol: true });
    await t.call('PUT', '/api/v1/admin/two-factor', admin, { required_roles: [] });
    expect((await signInStep('super@test.dev')).body.token).toMatch(/^rbs_/);
  });
});
