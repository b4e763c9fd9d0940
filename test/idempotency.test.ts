import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetExpiredIdempotencyKeys } from '../src/app/shared/idempotency.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Safe retries (issue 21 item 5): a creating POST with an Idempotency-Key is answered once; the same key and
// body replay that answer and create nothing; the same key with another body is refused (422); keys last 24 h.

let t: TestApp;
let agent: string;
let other: string;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  other = await t.signIn('super@test.dev');
});
afterAll(() => t.close());

async function post(url: string, token: string | null, body: unknown, key?: string) {
  const res = await t.app.inject({
    method: 'POST', url,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: JSON.parse(res.body || 'null') as Record<string, unknown>, replayed: res.headers['idempotent-replayed'] };
}
const count = async (sql: string, params: unknown[] = []) => (await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]?.n ?? -1;

const ticket = (subject: string) => ({ subject, message: 'The export stops at 50 %', requester: { email: 'anna@acme.example' } });

describe('Idempotency-Key', () => {
  it('answers a repeated ticket creation with the first answer and creates one ticket', async () => {
    const before = await count('tickets');
    const first = await post('/api/v1/tickets', agent, ticket('Retry me'), 'key-ticket-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.replayed).toBeUndefined();
    const again = await post('/api/v1/tickets', agent, ticket('Retry me'), 'key-ticket-1');
    expect(again.status).toBe(201);
    expect(again.replayed).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count('tickets')).toBe(before + 1);
    // The same JSON with its keys in another order is the same request.
    const reordered = await post('/api/v1/tickets', agent, { requester: { email: 'anna@acme.example' }, message: 'The export stops at 50 %', subject: 'Retry me' }, 'key-ticket-1');
    expect(reordered.status).toBe(201);
    expect(await count('tickets')).toBe(before + 1);
  });

  it('refuses the same key for another body or another path with 422 naming the header', async () => {
    await post('/api/v1/tickets', agent, ticket('First use'), 'key-reuse');
    const other = await post('/api/v1/tickets', agent, ticket('Second use'), 'key-reuse');
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'unprocessable', path: 'Idempotency-Key' } });
    const number = (await post('/api/v1/tickets', agent, ticket('Target'), 'key-target')).body.number as number;
    const reply = await post(`/api/v1/tickets/${number}/messages`, agent, { body: 'x', internal: true }, 'key-reuse');
    expect(reply.status).toBe(422);
  });

  it('creates again without a key, and keys of different callers never meet', async () => {
    const before = await count('tickets');
    await post('/api/v1/tickets', agent, ticket('No key'));
    await post('/api/v1/tickets', agent, ticket('No key'));
    expect(await count('tickets')).toBe(before + 2);
    const mine = await post('/api/v1/tickets', agent, ticket('Shared key'), 'shared');
    const theirs = await post('/api/v1/tickets', other, ticket('Shared key'), 'shared');
    expect(theirs.status).toBe(201);
    expect(theirs.replayed).toBeUndefined();
    expect(theirs.body.number).not.toBe(mine.body.number);
  });

  it('replays a reply or note once, and the web form once', async () => {
    const number = (await post('/api/v1/tickets', agent, ticket('Replies'))).body.number as number;
    const messages = () => count('messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = $1', [number]);
    const before = await messages();
    const note = { body: 'Checked the logs', internal: true };
    const a = await post(`/api/v1/tickets/${number}/messages`, agent, note, 'note-1');
    const b = await post(`/api/v1/tickets/${number}/messages`, agent, note, 'note-1');
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(await messages()).toBe(before + 1);

    const form = { name: 'Olga', email: 'olga@customers.example', subject: 'Form retry', message: 'The portal shows an error' };
    const tickets = await count('tickets');
    const f1 = await post('/api/v1/public/requests', null, form, 'form-1');
    const f2 = await post('/api/v1/public/requests', null, form, 'form-1');
    expect(f1.status, JSON.stringify(f1.body)).toBe(201);
    expect(f2.body).toEqual(f1.body);
    expect(await count('tickets')).toBe(tickets + 1);
  });

  it('does not keep a failed request: the client may fix it and send it with the same key', async () => {
    const bad = await post('/api/v1/tickets', agent, { subject: '', message: 'x', requester: { email: 'anna@acme.example' } }, 'fix-me');
    expect(bad.status).toBe(400);
    const fixed = await post('/api/v1/tickets', agent, ticket('Fixed'), 'fix-me');
    expect(fixed.status).toBe(201);
  });

  it('refuses a malformed key naming the header', async () => {
    const res = await post('/api/v1/tickets', agent, ticket('Bad key'), 'x'.repeat(256));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { path: 'Idempotency-Key' } });
  });

  it('forgets a key after 24 hours: the same key then creates again', async () => {
    const first = await post('/api/v1/tickets', agent, ticket('Day one'), 'daily');
    t.clock.advanceMinutes(24 * 60 + 1);
    const next = await post('/api/v1/tickets', agent, ticket('Day one'), 'daily');
    expect(next.status).toBe(201);
    expect(next.replayed).toBeUndefined();
    expect(next.body.number).not.toBe(first.body.number);
    await post('/api/v1/tickets', agent, ticket('Old'), 'old-key');
    t.clock.advanceMinutes(24 * 60 + 1);
    expect(await forgetExpiredIdempotencyKeys(t.ctx)).toBeGreaterThanOrEqual(1);
    expect(await count("idempotency_keys WHERE key = 'old-key'")).toBe(0);
  });
});
