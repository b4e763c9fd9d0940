import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Probes, the OpenAPI document, and the one error shape for everything that goes wrong.

let t: TestApp;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
});
afterAll(() => t.close());

const expectError = (res: { status: number; body: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
};

describe('probes and docs', () => {
  it('/health and /ready answer 200; /ready names the engine', async () => {
    expect(await t.call('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await t.call('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', engine: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('every answer carries the baseline security headers', async () => {
    for (const url of ['/health', '/api/v1/tickets', '/api/v1/nothing-here']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect({ url, nosniff: res.headers['x-content-type-options'], frame: res.headers['x-frame-options'], referrer: res.headers['referrer-policy'] })
        .toEqual({ url, nosniff: 'nosniff', frame: 'DENY', referrer: 'same-origin' });
    }
  });

  it('every answer says how long the server took (Server-Timing, read by bench:scale)', async () => {
    for (const url of ['/health', '/api/v1/tickets', '/api/v1/nothing-here']) {
      const res = await t.app.inject({ method: 'GET', url });
      const timing = /^app;dur=(\d+\.\d)$/.exec(String(res.headers['server-timing']));
      expect(timing, `${url}: ${String(res.headers['server-timing'])}`).not.toBeNull();
    }
  });

  it('/api/openapi.json is an OpenAPI 3 document with the ticket paths', async () => {
    const res = await t.call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.paths['/api/v1/tickets']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/tickets/{ref}']).sort()).toEqual(['get', 'patch']);
    expect(Object.keys(doc.paths['/api/v1/tickets/{ref}/messages']).sort()).toEqual(['get', 'post']);
    for (const p of ['/api/v1/tickets/{ref}/events', '/api/v1/tickets/{ref}/timeline', '/api/v1/queue', '/api/v1/public/requests', '/api/v1/auth/sign-in', '/api/v1/users', '/api/v1/lists']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    // Request bodies are documented from the same schemas the use cases parse with.
    const create = doc.paths['/api/v1/tickets'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['subject', 'message']));
    expect(schema.properties.channel.enum).toContain('web_form');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // The probes are not part of the API.
    expect(doc.paths['/health']).toBeUndefined();
  });

  it('/api/docs serves the browsable documentation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body.toLowerCase()).toContain('swagger');
  });
});

describe('error shape', () => {
  it('unknown API routes and methods are 404 not_found', async () => {
    expectError(await t.call('GET', '/api/v1/nope', agent), 404, 'not_found');
    expectError(await t.call('POST', '/api/v1/nope', agent, {}), 404, 'not_found');
    expectError(await t.call('DELETE', '/api/v1/tickets/1001', agent), 404, 'not_found');
    expectError(await t.call('GET', '/api/v2/tickets'), 404, 'not_found');
    const res = await t.call('GET', '/api/v1/nope?x=1', agent);
    expect(res.body.error.message).toContain('/api/v1/nope');
    expect(res.body.error.message).not.toContain('x=1');
  });

  it('401 unauthenticated without a credential or with a bad one', async () => {
    expectError(await t.call('GET', '/api/v1/tickets'), 401, 'unauthenticated');
    expectError(await t.call('GET', '/api/v1/tickets', 'rbs_bogus'), 401, 'unauthenticated');
    expectError(await t.call('GET', '/api/v1/tickets', 'rbt_bogus'), 401, 'unauthenticated');
    const basic = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization: 'Basic YTpi' } });
    expectError({ status: basic.statusCode, body: basic.json() }, 401, 'unauthenticated');
  });

  it('400 names the field for bad path parameters and query strings', async () => {
    const user = await t.call('GET', '/api/v1/users/not-a-uuid', agent);
    expectError(user, 400, 'invalid_input');
    expect(user.body.error.path).toBe('id');
    const list = await t.call('GET', '/api/v1/tickets?limit=lots', agent);
    expectError(list, 400, 'invalid_input');
    expect(list.body.error.path).toBe('limit');
    const ref = await t.call('GET', `/api/v1/tickets/${'9'.repeat(70)}`, agent);
    expectError(ref, 400, 'invalid_input');
    expect(ref.body.error.path).toBe('ref');
  });

  it('403 forbidden, 404 not_found, 409 conflict, 422 unprocessable keep the shape', async () => {
    expectError(await t.call('POST', '/api/v1/groups', agent, { name: 'Agents cannot' }), 403, 'forbidden');
    expectError(await t.call('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000', agent), 404, 'not_found');
    const sup = await t.signIn('super@test.dev');
    const dup = await t.call('POST', '/api/v1/groups', sup, { name: 'Support' });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.path).toBe('name');
    const tk = await t.call('POST', '/api/v1/tickets', agent, { subject: 's', message: 'm', requester: { email: 'e@example.org' } });
    await t.call('PATCH', `/api/v1/tickets/${tk.body.number}`, agent, { status: 'closed' });
    expectError(await t.call('PATCH', `/api/v1/tickets/${tk.body.number}`, agent, { status: 'open' }), 422, 'unprocessable');
    // Closed is final for every field, and a refused change writes nothing.
    const closedPriority = await t.call('PATCH', `/api/v1/tickets/${tk.body.number}`, agent, { priority: 'urgent', tags: ['late'] });
    expectError(closedPriority, 422, 'unprocessable');
    expect((await t.call('GET', `/api/v1/tickets/${tk.body.number}`, agent)).body).toMatchObject({ status: 'closed', priority: 'normal', tags: [] });
    // Sending the values it already has is not a change.
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.body.number}`, agent, { status: 'closed' })).status).toBe(200);
  });

  it('a body on a route that takes none is ignored', async () => {
    const token = await t.signIn('alex@test.dev');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, payload: 'bye' });
    expect(out.statusCode).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', token)).status).toBe(401);
  });
});
