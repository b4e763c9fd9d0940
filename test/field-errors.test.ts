import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 12: a form with three wrong fields learns about all three from one answer.

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
});
afterAll(() => t.close());

describe('every field error at once', () => {
  it('the public form names each missing or wrong field, first one also in path/message', async () => {
    const res = await t.call('POST', '/api/v1/public/requests', null, { name: '', email: 'not-mail', subject: '', message: 'hi' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.errors).toEqual([
      { path: 'name', message: 'is required' },
      { path: 'email', message: 'must be an e-mail address' },
      { path: 'subject', message: 'is required' },
    ]);
    // The older single-error fields still name the first problem.
    expect(res.body.error.path).toBe('name');
    expect(res.body.error.message).toBe('name: is required');
  });

  it('unknown keys are listed one by one, beside wrong values', async () => {
    const res = await t.call('PATCH', `/api/v1/users/${t.fixtures.users.agentSupport}`, admin, { name: 'X', password: 'short', colour: 'red', size: 3 });
    expect(res.status).toBe(400);
    const paths = (res.body.error.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['colour', 'password', 'size']);
  });

  it('a single non-field error keeps its shape; a path parameter error carries a one-entry list', async () => {
    const res = await t.call('GET', '/api/v1/users/not-a-uuid', admin);
    expect(res.status).toBe(400);
    expect(res.body.error.errors).toEqual([{ path: 'id', message: 'must be a UUID' }]);
    const unauth = await t.call('GET', '/api/v1/users', null);
    expect(unauth.status).toBe(401);
    expect(unauth.body.error.errors).toBeUndefined();
  });
});
