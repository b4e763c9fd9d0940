import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Twenty copies of one ticket creation with one Idempotency-Key, sent at once over a connection pool on a real
// PostgreSQL (a client retrying while the first is still in flight): exactly one ticket, and every answer is
// either that ticket (201) or "still being processed" (409) — never a second ticket.

let t: TestApp;
let agent: string;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
});
afterAll(() => t.close());

describe('Idempotency-Key under concurrent retries', () => {
  it('creates one ticket for twenty simultaneous copies', async () => {
    const body = JSON.stringify({ subject: 'Race', message: 'Sent twenty times', requester: { email: 'race@customers.example' } });
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.app.inject({
      method: 'POST', url: '/api/v1/tickets', payload: body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}`, 'idempotency-key': 'race-1' },
    })));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.every((s) => s === 201 || s === 409), statuses.join(',')).toBe(true);
    const numbers = new Set(answers.filter((a) => a.statusCode === 201).map((a) => (JSON.parse(a.body) as { number: number }).number));
    expect(numbers.size).toBe(1);
    const [row] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE subject = 'Race'");
    expect(row?.n).toBe(1);
    // Once the first has answered, a retry gets its answer.
    const late = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', payload: body, headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}`, 'idempotency-key': 'race-1' } });
    expect(late.statusCode).toBe(201);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect((JSON.parse(late.body) as { number: number }).number).toBe([...numbers][0]);
  });
});
