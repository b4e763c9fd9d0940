import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Every write endpoint, every field, every kind of wrong value: the answer is a 4xx in the one error
// shape, never a 500 — and a NUL character (which PostgreSQL text cannot hold) is named by its path.

let t: TestApp;
let tokens: { agent: string; sup: string; admin: string };
let ticketNumber: number;
let calendarId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [agent, sup, admin] = await Promise.all([t.signIn('alex@test.dev'), t.signIn('super@test.dev'), t.signIn('admin@test.dev')]);
  tokens = { agent, sup, admin };
  ticketNumber = (await t.call('POST', '/api/v1/tickets', agent, { subject: 'Target', message: 'm', requester: { email: 'target@example.org' } })).body.number;
  calendarId = (await t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Hostile', spec: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] } } })).body.id;
});
afterAll(() => t.close());

type Leaf = { path: (string | number)[]; value: unknown };

function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

function replaceAt(body: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(body)) {
    const copy: unknown[] = [...body];
    copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  copy[String(head)] = replaceAt(copy[String(head)], rest, replacement);
  return copy;
}

const formatPath = (path: (string | number)[]) => path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');

type Case = { method: 'POST' | 'PATCH'; url: () => string; as: keyof typeof tokens | null; body: () => Record<string, unknown> };
let seq = 0;
const unique = () => `h${(seq += 1)}`;
const CASES: Case[] = [
  { method: 'POST', url: () => '/api/v1/public/requests', as: null, body: () => ({ name: 'Pat', email: `${unique()}@example.org`, subject: 'S', message: 'M', type: 'technical_question' }) },
  { method: 'POST', url: () => '/api/v1/tickets', as: 'agent', body: () => ({ subject: 'S', message: 'M', priority: 'high', tags: ['a'], requester: { email: `${unique()}@example.org`, name: 'R' } }) },
  { method: 'PATCH', url: () => `/api/v1/tickets/${ticketNumber}`, as: 'agent', body: () => ({ priority: 'low', type: 'complaint', subject: 'Changed' }) },
  { method: 'POST', url: () => `/api/v1/tickets/${ticketNumber}/messages`, as: 'agent', body: () => ({ kind: 'internal', body: 'note' }) },
  { method: 'POST', url: () => '/api/v1/contacts', as: 'sup', body: () => ({ email: `${unique()}@example.org`, name: 'C', time_zone: 'Europe/Paris', language: 'fr' }) },
  { method: 'POST', url: () => '/api/v1/organizations', as: 'sup', body: () => ({ name: `Org ${unique()}`, tier: 'vip', domains: [`${unique()}.example`] }) },
  { method: 'POST', url: () => '/api/v1/groups', as: 'sup', body: () => ({ name: `Group ${unique()}` }) },
  { method: 'POST', url: () => '/api/v1/users', as: 'admin', body: () => ({ email: `${unique()}@test.dev`, name: 'U', role: 'agent', password: 'long-enough-pw' }) },
  { method: 'POST', url: () => '/api/v1/lists/types', as: 'admin', body: () => ({ key: `k_${unique()}`, label: 'L' }) },
  { method: 'POST', url: () => '/api/v1/api-tokens', as: 'agent', body: () => ({ name: 'N' }) },
  { method: 'POST', url: () => '/api/v1/sla/policies', as: 'sup', body: () => ({ name: `P ${unique()}`, conditions: [{ field: 'priority', values: ['urgent'] }], metrics: [{ name: 'first_response', target_minutes: 30 }] }) },
  { method: 'PATCH', url: () => `/api/v1/sla/calendars/${calendarId}`, as: 'sup', body: () => ({ name: `Cal ${unique()}`, spec: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] }, holidays: ['2026-12-25'] } }) },
  { method: 'POST', url: () => '/api/v1/sla/simulate', as: 'sup', body: () => ({ calendar: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] } }, metrics: [{ name: 'first_response', target_minutes: 60 }], events: [{ at: '2026-01-05T10:00:00Z', type: 'created' }] }) },
];

const WRONG_VALUES: unknown[] = [42, -1e308, true, null, {}, [], '', ' ', 'x'.repeat(60_000), '2026-02-30T25:61:00Z', '../../etc/passwd', "'; DROP TABLE tickets; --", '\u202e\ud800'];

const send = (c: Case, body: unknown) => t.call(c.method, c.url(), c.as ? tokens[c.as] : null, body);

describe('hostile input', () => {
  it('every valid base body is accepted, so the mutations below test one field at a time', async () => {
    for (const c of CASES) {
      const res = await send(c, c.body());
      expect(res.status, `${c.method} ${c.url()} ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });

  it('a NUL character in any string field is a 400 naming that field; nothing is written', async () => {
    for (const c of CASES) {
      const base = c.body();
      for (const leaf of leaves(base).filter((l) => typeof l.value === 'string')) {
        const before = await t.ctx.db.query<{ n: string }>('SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM messages) AS n');
        const res = await send(c, replaceAt(base, leaf.path, `${String(leaf.value)}\u0000tail`));
        const where = `${c.method} ${c.url()} ${formatPath(leaf.path)}`;
        expect(res.status, where).toBe(400);
        expect(res.body.error, where).toMatchObject({ code: 'invalid_input', path: formatPath(leaf.path) });
        const after = await t.ctx.db.query<{ n: string }>('SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM messages) AS n');
        expect(after[0]?.n, where).toBe(before[0]?.n);
      }
    }
  });

  it('any wrong value in any field gets a 4xx in the one error shape, never a 500', async () => {
    const failures: string[] = [];
    for (const c of CASES) {
      const base = c.body();
      for (const leaf of leaves(base)) {
        for (const wrong of WRONG_VALUES) {
          const res = await send(c, replaceAt(c.body(), leaf.path, wrong));
          const where = `${c.method} ${c.url()} ${formatPath(leaf.path)}=${JSON.stringify(wrong).slice(0, 40)} → ${res.status}`;
          if (res.status >= 500) failures.push(where);
          else if (res.status >= 400 && !(typeof res.body?.error?.code === 'string' && typeof res.body.error.message === 'string')) failures.push(`${where} (shape)`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('absurdly deep JSON is refused before anything walks it, even where no sign-in is needed', async () => {
    for (const depth of [40, 5_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/portal/sign-in', headers: { 'content-type': 'application/json' },
        payload: `{"email":"a@example.org","password":"x","z":${deep}}` });
      expect(res.statusCode, String(depth)).toBe(400);
      const body = JSON.parse(res.body);
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.message).toMatch(/nested deeper than 32 levels/);
      expect(body.error.path).toMatch(/^z(\[0\])+$/);
    }
    // Real inputs are far shallower: a calendar spec with split shifts and holidays passes.
    expect((await t.call('POST', '/api/v1/sla/simulate', tokens.sup, CASES.at(-1)?.body())).status).toBe(200);
  });

  it("the simulator's 400s always carry code, message and path, as its contract says", async () => {
    const bad = await t.call('POST', '/api/v1/sla/simulate', tokens.agent, { metrics: [{ name: 'first_response', target_minutes: 60 }], events: [{ at: 'soon', type: 'created' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', path: 'events[0].at' });
    for (const body of [[], 'text', 42]) {
      const whole = await t.call('POST', '/api/v1/sla/simulate', tokens.agent, body);
      expect(whole.status, JSON.stringify(body)).toBe(400);
      expect(whole.body.error, JSON.stringify(body)).toEqual({ code: 'invalid_input', message: expect.any(String), path: '', errors: [{ path: '', message: expect.any(String) }] });
    }
  });

  it('a wrong type says what was expected; only a missing field "is required"', async () => {
    const wrongType = await t.call('POST', '/api/v1/tickets', tokens.agent, { subject: 42, message: 'm', requester: { email: 'w@example.org' } });
    expect(wrongType.body.error).toMatchObject({ code: 'invalid_input', path: 'subject' });
    expect(wrongType.body.error.message).not.toMatch(/required/);
    expect(wrongType.body.error.message).toMatch(/string/);
    const missing = await t.call('POST', '/api/v1/tickets', tokens.agent, { message: 'm', requester: { email: 'w@example.org' } });
    expect(missing.body.error).toMatchObject({ code: 'invalid_input', path: 'subject', message: 'subject: is required' });
  });

  it('NUL and other bytes PostgreSQL refuses in query strings and path parameters are 400s', async () => {
    const yearZero = Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    const cursor = await t.call('GET', `/api/v1/tickets?sort=created_at&cursor=${yearZero}`, tokens.sup);
    expect(cursor.body.error).toMatchObject({ code: 'invalid_input', path: 'cursor' });
    for (const url of ['/api/v1/tickets?q=a%00b', '/api/v1/contacts?q=%00', `/api/v1/tickets/${ticketNumber}%00`, '/api/v1/tickets?cursor=%00', '/api/v1/users/%00']) {
      const res = await t.call('GET', url, tokens.sup);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe('invalid_input');
    }
  });
});
