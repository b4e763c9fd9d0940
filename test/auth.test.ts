import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';
import { renderMail } from '../src/app/notifications/render-mail.ts';

// Sign-in (staff and portal), cookie sessions with CSRF, bearer tokens, API tokens, magic links.

let t: TestApp;
let sup: string;
beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
});
afterAll(() => t.close());

type Cookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; path?: string; expires?: Date; maxAge?: number };
type Jar = Record<string, string>;

async function raw(method: InjectOptions['method'], url: string, opts: { cookies?: Jar; headers?: Record<string, string>; body?: unknown } = {}) {
  const res = await t.app.inject({
    method, url,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.cookies ? { cookies: opts.cookies } : {}),
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
  const cookies = res.cookies as Cookie[];
  let body: any = null;
  try {
    body = res.body ? JSON.parse(res.body) : null;
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, cookies, headers: res.headers };
}
const jarOf = (cookies: Cookie[]): Jar => Object.fromEntries(cookies.map((c) => [c.name, c.value]));
const ticketBody = (subject: string) => ({ subject, message: 'x', requester: { email: 'csrf@example.org' } });
const ticketCount = async (subject: string) => (await t.ctx.db.query('SELECT 1 FROM tickets WHERE subject = $1', [subject])).length;

describe('password sign-in', () => {
  it('a contact without a password cannot sign in with any password, the internal decoy included', async () => {
    await t.call('POST', '/api/v1/public/requests', null, { name: 'No Pass', email: 'nopass@example.org', subject: 'Hello', message: 'x' });
    const [row] = await t.ctx.db.query<{ password_hash: string | null }>("SELECT password_hash FROM contacts WHERE email = 'nopass@example.org'");
    expect(row?.password_hash).toBeNull();
    for (const password of ['decoy-password', PASSWORD, 'x']) {
      const res = await t.call('POST', '/api/v1/portal/sign-in', null, { email: 'nopass@example.org', password });
      expect(res.status, password).toBe(401);
    }
  });

  it('signs staff in and answers /auth/me with the principal', async () => {
    const res = await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'Alex@Test.dev', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^rbs_/);
    expect(res.body.principal).toEqual({ kind: 'user', id: t.fixtures.users.agentSupport, email: 'alex@test.dev', name: 'alex@test.dev', role: 'agent', language: 'en', time_zone: 'UTC' });
    const me = await t.call('GET', '/api/v1/auth/me', res.body.token);
    expect(me.status).toBe(200);
    expect(me.body.principal.id).toBe(t.fixtures.users.agentSupport);
  });

  it('refuses a wrong password and an unknown e-mail with the same 401', async () => {
    const wrong = await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'alex@test.dev', password: 'not-the-password' });
    const unknown = await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'nobody@test.dev', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthenticated');
    expect(unknown.body).toEqual(wrong.body);
    expect((await raw('POST', '/api/v1/auth/sign-in', { body: { email: 'alex@test.dev', password: 'nope-nope' } })).cookies).toEqual([]);
    // Customers are not staff and staff are not customers.
    expect((await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'anna@acme.example', password: PASSWORD })).status).toBe(401);
    expect((await t.call('POST', '/api/v1/portal/sign-in', null, { email: 'alex@test.dev', password: PASSWORD })).status).toBe(401);
    const missing = await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'alex@test.dev' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_input', path: 'password' });
  });

  it('refuses a deactivated user, and their existing sessions stop working', async () => {
    const created = await t.call('POST', '/api/v1/users', sup, { email: 'leaving@test.dev', name: 'Leaving', password: PASSWORD });
    expect(created.status).toBe(201);
    const token = await t.signIn('leaving@test.dev');
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { active: false })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(401);
    const again = await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'leaving@test.dev', password: PASSWORD });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toBe('e-mail or password is wrong');
  });

  it('a new password set by a manager signs the user or contact out everywhere', async () => {
    const created = await t.call('POST', '/api/v1/users', sup, { email: 'reset@test.dev', name: 'Reset', password: PASSWORD });
    const token = await t.signIn('reset@test.dev');
    expect((await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { name: 'Still here' })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(200); // other changes keep the session
    expect((await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { password: 'a-new-password' })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(401);
    await t.signIn('reset@test.dev', 'a-new-password');
    const contact = await t.call('POST', '/api/v1/contacts', sup, { email: 'reset-customer@example.org', name: 'RC', password: PASSWORD });
    const customer = await t.signIn('reset-customer@example.org', PASSWORD, true);
    expect((await t.call('PATCH', `/api/v1/contacts/${contact.body.id}`, sup, { password: 'another-password' })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/auth/me', customer)).status).toBe(401);
  });

  it('signs a customer in to the portal; a contact without a password cannot', async () => {
    const res = await t.call('POST', '/api/v1/portal/sign-in', null, { email: 'anna@acme.example', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.principal).toMatchObject({ kind: 'contact', id: t.fixtures.contacts.anna, role: 'customer' });
    const me = await t.call('GET', '/api/v1/auth/me', res.body.token);
    expect(me.body.principal.role).toBe('customer');
    await t.call('POST', '/api/v1/tickets', sup, { subject: 'x', message: 'x', requester: { email: 'nopass@example.org' } });
    expect((await t.call('POST', '/api/v1/portal/sign-in', null, { email: 'nopass@example.org', password: 'anything-at-all' })).status).toBe(401);
  });

  it('sessions expire after 14 days', async () => {
    const token = await t.signIn('alex@test.dev');
    t.clock.advanceMinutes(13 * 24 * 60);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(200);
    t.clock.advanceMinutes(2 * 24 * 60);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(401);
    sup = await t.signIn('super@test.dev'); // the file's own session expired with it
  });
});

describe('cookie sessions and CSRF', () => {
  it('sets an httpOnly session cookie and a readable CSRF cookie', async () => {
    const res = await raw('POST', '/api/v1/auth/sign-in', { body: { email: 'alex@test.dev', password: PASSWORD } });
    expect(res.status).toBe(200);
    const session = res.cookies.find((c) => c.name === 'rb_session');
    const csrf = res.cookies.find((c) => c.name === 'rb_csrf');
    expect(session).toMatchObject({ value: res.body.token, httpOnly: true, path: '/', sameSite: 'Lax' });
    expect(csrf?.value).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(csrf?.httpOnly).not.toBe(true);
    expect(csrf?.value).not.toBe(session?.value);
  });

  it('a cookie-authenticated change needs X-CSRF-Token equal to the rb_csrf cookie; reads do not', async () => {
    const signIn = await raw('POST', '/api/v1/auth/sign-in', { body: { email: 'alex@test.dev', password: PASSWORD } });
    const jar = jarOf(signIn.cookies);
    expect((await raw('GET', '/api/v1/auth/me', { cookies: jar })).status).toBe(200);

    const none = await raw('POST', '/api/v1/tickets', { cookies: jar, body: ticketBody('csrf none') });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('forbidden');
    const wrong = await raw('POST', '/api/v1/tickets', { cookies: jar, headers: { 'x-csrf-token': 'guess' }, body: ticketBody('csrf wrong') });
    expect(wrong.status).toBe(403);
    // A CSRF cookie the attacker planted alongside is no help without the victim's session... and the header must match.
    const otherCsrf = await raw('POST', '/api/v1/tickets', { cookies: { ...jar, rb_csrf: 'planted' }, headers: { 'x-csrf-token': jar.rb_csrf! }, body: ticketBody('csrf mismatch') });
    expect(otherCsrf.status).toBe(403);
    expect(await ticketCount('csrf none') + await ticketCount('csrf wrong') + await ticketCount('csrf mismatch')).toBe(0);

    const ok = await raw('POST', '/api/v1/tickets', { cookies: jar, headers: { 'x-csrf-token': jar.rb_csrf! }, body: ticketBody('csrf ok') });
    expect(ok.status).toBe(201);
    const patchNo = await raw('PATCH', `/api/v1/tickets/${ok.body.number}`, { cookies: jar, body: { priority: 'high' } });
    expect(patchNo.status).toBe(403);
    const patchYes = await raw('PATCH', `/api/v1/tickets/${ok.body.number}`, { cookies: jar, headers: { 'x-csrf-token': jar.rb_csrf! }, body: { priority: 'high' } });
    expect(patchYes.status).toBe(200);
    expect(patchYes.body.priority).toBe('high');
  });

  it('a bearer request needs no CSRF header, even with cookies present', async () => {
    const token = await t.signIn('alex@test.dev');
    const res = await raw('POST', '/api/v1/tickets', { headers: { authorization: `Bearer ${token}` }, cookies: { rb_csrf: 'x' }, body: ticketBody('bearer no csrf') });
    expect(res.status).toBe(201);
  });

  it('sign-out ends the session and clears the cookies', async () => {
    const signIn = await raw('POST', '/api/v1/auth/sign-in', { body: { email: 'alex@test.dev', password: PASSWORD } });
    const jar = jarOf(signIn.cookies);
    expect((await raw('POST', '/api/v1/auth/sign-out', { cookies: jar })).status).toBe(403); // CSRF applies here too
    const out = await raw('POST', '/api/v1/auth/sign-out', { cookies: jar, headers: { 'x-csrf-token': jar.rb_csrf! } });
    expect(out.status).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'rb_session');
    expect(cleared?.value).toBe('');
    expect((await raw('GET', '/api/v1/auth/me', { cookies: jar })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/me', jar.rb_session)).status).toBe(401);
    // Bearer sign-out works the same way.
    const token = await t.signIn('alex@test.dev');
    expect((await t.call('POST', '/api/v1/auth/sign-out', token)).status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(401);
  });
});

describe('API tokens', () => {
  it('creates a long-lived token that works as a bearer and is stored only as a hash', async () => {
    const agent = await t.signIn('alex@test.dev');
    const res = await t.call('POST', '/api/v1/api-tokens', agent, { name: 'CRM sync' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'CRM sync' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const token = res.body.token as string;
    expect(token).toMatch(/^rbt_.{20,}/);
    const me = await t.call('GET', '/api/v1/auth/me', token);
    expect(me.status).toBe(200);
    expect(me.body.principal.id).toBe(t.fixtures.users.agentSupport);
    const created = await t.call('POST', '/api/v1/tickets', token, ticketBody('via api token'));
    expect(created.status).toBe(201);
    const evs = await t.call('GET', `/api/v1/tickets/${created.body.number}/events`, token);
    expect(evs.body.data[0].actor.id).toBe(t.fixtures.users.agentSupport);

    const rows = await t.ctx.db.query<Record<string, unknown>>('SELECT * FROM api_tokens');
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(4));
    expect(rows.find((r) => r.id === res.body.id)?.last_used_at).not.toBeNull();
    // Session tokens are hashed at rest too.
    expect(JSON.stringify(await t.ctx.db.query('SELECT * FROM sessions'))).not.toContain(agent.slice(4));

    expect((await t.call('GET', '/api/v1/auth/me', `${token}x`)).status).toBe(401);
    const noName = await t.call('POST', '/api/v1/api-tokens', agent, {});
    expect(noName.body.error).toMatchObject({ code: 'invalid_input', path: 'name' });
    const customer = await t.signIn('anna@acme.example', PASSWORD, true);
    expect((await t.call('POST', '/api/v1/api-tokens', customer, { name: 'mine' })).status).toBe(403);
  });

  it("a deactivated user's API token stops working", async () => {
    const user = await t.call('POST', '/api/v1/users', sup, { email: 'bot-owner@test.dev', name: 'Bot owner', password: PASSWORD });
    const session = await t.signIn('bot-owner@test.dev');
    const { token } = (await t.call('POST', '/api/v1/api-tokens', session, { name: 'bot' })).body;
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(200);
    await t.call('PATCH', `/api/v1/users/${user.body.id}`, sup, { active: false });
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(401);
  });

  it('lists the caller\'s tokens without secrets and revokes one at once; others\' tokens are out of reach', async () => {
    const owner = await t.signIn('bea@test.dev');
    const created = (await t.call('POST', '/api/v1/api-tokens', owner, { name: 'revoke me' })).body;
    expect((await t.call('GET', '/api/v1/auth/me', created.token)).status).toBe(200);
    const listed = await t.call('GET', '/api/v1/api-tokens', owner);
    expect(listed.body.data.map((x: { name: string }) => x.name)).toContain('revoke me');
    expect(JSON.stringify(listed.body)).not.toContain(created.token);
    const stranger = await t.signIn('alex@test.dev');
    expect((await t.call('DELETE', `/api/v1/api-tokens/${created.id}`, stranger)).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/api-tokens/${created.id}`, owner)).status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', created.token)).status).toBe(401);
    expect((await t.call('GET', '/api/v1/api-tokens', owner)).body.data.find((x: { id: string }) => x.id === created.id).revoked_at).not.toBeNull();
  });
});

/** The sign-in path in a rendered mail (the token is minted when the mail is rendered), or ''. */
const signInPathIn = (mail: { text: string } | null): string => /http:\/\/replyby\.test(\/api\/v1\/portal\/magic\/rbm_[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';

describe('magic links', () => {
  const linkJobs = async () => t.ctx.db.query<{ kind: string; payload: { contact_id: string } }>("SELECT kind, payload FROM outbox WHERE kind = 'mail.magic_link' ORDER BY id");
  /** The sign-in path in the e-mail the newest magic-link job renders to (the token is minted then). */
  const latestLinkPath = async (): Promise<string> => {
    const job = (await linkJobs()).at(-1);
    return signInPathIn(job ? await renderMail(t.ctx, job) : null);
  };

  it('answers 202 alike for known and unknown addresses; only a known contact gets a link', async () => {
    const before = (await linkJobs()).length;
    const unknown = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'stranger@example.org' });
    const staff = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'alex@test.dev' });
    const known = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'Ben@Globex.example' });
    expect([unknown.status, staff.status, known.status]).toEqual([202, 202, 202]);
    expect(unknown.body).toEqual(known.body);
    expect(staff.body).toEqual(known.body);
    const jobs = await linkJobs();
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.at(-1)?.payload.contact_id).toBe(t.fixtures.contacts.ben);
    const bad = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'not an address' });
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', path: 'email' });
  });

  it('the e-mailed link signs in once (cookies, 303 to /portal); a second use is 401', async () => {
    await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example' });
    const path = await latestLinkPath();
    expect(path).toMatch(/^\/api\/v1\/portal\/magic\/rbm_/);
    const first = await raw('GET', path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/portal');
    const jar = jarOf(first.cookies);
    expect(first.cookies.find((c) => c.name === 'rb_session')?.httpOnly).toBe(true);
    expect(jar.rb_csrf).toBeTruthy();
    const me = await raw('GET', '/api/v1/auth/me', { cookies: jar });
    expect(me.body.principal).toMatchObject({ kind: 'contact', id: t.fixtures.contacts.ben });
    const second = await raw('GET', path);
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('unauthenticated');
    expect(second.cookies).toEqual([]);
    // The plaintext token is nowhere at rest: not in magic_links, not in the outbox.
    const token = path.split('/').at(-1) ?? '';
    expect(JSON.stringify(await t.ctx.db.query('SELECT * FROM magic_links'))).not.toContain(token);
    expect(JSON.stringify(await t.ctx.db.query('SELECT * FROM outbox'))).not.toContain(token);
    expect((await raw('GET', '/api/v1/portal/magic/rbm_made-up-token-value')).status).toBe(401);
  });

  it('an e-mailed link expires after a day', async () => {
    await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example' });
    const path = await latestLinkPath();
    t.clock.advanceMinutes(25 * 60);
    expect((await raw('GET', path)).status).toBe(401);
  });

  it('a browser opening a used or expired link is sent to a page offering a new one (review 13)', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example', next: '/portal/tickets/1001' });
    const path = await latestLinkPath();
    expect((await raw('GET', path, { headers: html })).headers.location).toBe('/portal/tickets/1001');
    const again = await raw('GET', path, { headers: html });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/portal/tickets/1001?link=expired');
    expect(again.cookies).toEqual([]);
    const unknown = await raw('GET', '/api/v1/portal/magic/rbm_made-up-token-value', { headers: html });
    expect(unknown.headers.location).toBe('/portal?link=expired');
    // An API client still gets the JSON 401.
    expect((await raw('GET', path)).status).toBe(401);
  });

  it('honours ?next= for paths on this site only', async () => {
    const cases: [string, string][] = [
      ['/portal/tickets/1001', '/portal/tickets/1001'],
      ['https://evil.example/steal', '/portal'],
      ['//evil.example', '/portal'],
      ['/\\evil.example', '/portal'],
      ['portal', '/portal'],
      ['/\t/evil.example', '/portal'],
      ['/portal?tab=open', '/portal?tab=open'],
      ['/portal/é', '/portal'],
      ['/portal/\u2028x', '/portal'],
      ['/portal/%C3%A9', '/portal/%C3%A9'],
    ];
    for (const [next, location] of cases) {
      await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example' });
      const path = await latestLinkPath();
      const res = await raw('GET', `${path}?next=${encodeURIComponent(next)}`);
      expect(res.status, next).toBe(303);
      expect(res.headers.location, next).toBe(location);
    }
  });

  it("the web form's answer never signs anyone in; the acknowledgement mail carries a one-time link to the ticket", async () => {
    // The victim already has requests; an attacker submits the public form with the victim's address.
    const submitted = await t.call('POST', '/api/v1/public/requests', null, { name: 'Mallory', email: 'ben@globex.example', subject: 'Hi', message: 'let me in' });
    expect(submitted.status).toBe(201);
    const n = submitted.body.number as number;
    expect(submitted.body.follow_url).toBe(`http://replyby.test/portal/tickets/${n}`);
    const followed = await raw('GET', new URL(submitted.body.follow_url as string).pathname);
    expect(followed.cookies.find((c) => c.name === 'rb_session')).toBeUndefined();
    expect((await raw('GET', `/api/v1/tickets/${n}`)).status).toBe(401);
    // Only the mailbox owner gets the link that signs in, and it leads to that ticket.
    const [job] = await t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>(
      "SELECT kind, payload FROM outbox WHERE kind = 'mail.acknowledgement' AND payload->>'ticket_id' = (SELECT id::text FROM tickets WHERE number = $1)", [n]);
    const mail = job ? await renderMail(t.ctx, job) : null;
    expect(mail?.to).toBe('ben@globex.example');
    const path = signInPathIn(mail);
    const first = await raw('GET', path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/portal/tickets/${n}`);
    const tk = await raw('GET', `/api/v1/tickets/${n}`, { cookies: jarOf(first.cookies) });
    expect(tk.status).toBe(200);
    expect(tk.body.requester.email).toBe('ben@globex.example');
    expect((await raw('GET', path)).status).toBe(401);
    // The acknowledgement link lasts a week, then it is gone too.
    const later = signInPathIn(job ? await renderMail(t.ctx, job) : null);
    t.clock.advanceMinutes(6 * 24 * 60);
    const stillGood = await raw('GET', later);
    expect(stillGood.status).toBe(303);
    const expiredPath = signInPathIn(job ? await renderMail(t.ctx, job) : null);
    t.clock.advanceMinutes(7 * 24 * 60 + 1);
    expect((await raw('GET', expiredPath)).status).toBe(401);
  });

  it('a link asked for from a ticket page leads back to that ticket; other next values are refused', async () => {
    const ok = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example', next: '/portal/tickets/1001' });
    expect(ok.status).toBe(202);
    const res = await raw('GET', await latestLinkPath());
    expect(res.headers.location).toBe('/portal/tickets/1001');
    for (const next of ['https://evil.example', '//evil.example', '/admin', '/portal/tickets/0', '/portal/tickets/1?x=1']) {
      const bad = await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example', next });
      expect(bad.status, next).toBe(400);
      expect(bad.body.error.path, next).toBe('next');
    }
  });
});
