import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadBodyLimit } from '../src/app/attachments/upload-attachments.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The public web form: POST /api/v1/public/requests, no auth, rate limited, hostile input.

let t: TestApp;
let limited: TestApp; // the same server with 3 requests a minute
let sup: string;
beforeAll(async () => {
  [t, limited] = await Promise.all([startTestApp(), startTestApp({ rateLimit: 3 })]);
  sup = await t.signIn('super@test.dev');
});
afterAll(async () => {
  await Promise.all([t.close(), limited.close()]);
});

const form = (over: Record<string, unknown> = {}) => ({ name: 'Paula Public', email: 'Paula@Example.org', subject: 'Broken link', message: 'The download link 404s.', ...over });
const URL = '/api/v1/public/requests';
const expectErrorShape = (body: any, code: string) => {
  expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(body.error.message.length).toBeGreaterThan(0);
};

describe('web form', () => {
  it('creates a web_form ticket in the default group for the requester, with a follow link', async () => {
    const res = await t.call('POST', URL, null, form());
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['display_number', 'follow_url', 'number', 'promise']);
    expect(res.body.display_number).toBe(`#${res.body.number}`);
    expect(res.body.follow_url).toBe(`http://replyby.test/portal/tickets/${res.body.number}`);
    const tk = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup)).body;
    expect(tk).toMatchObject({
      subject: 'Broken link', channel: 'web_form', status: 'new', type: 'technical_question', priority: 'normal',
      group: { id: t.fixtures.groups.support, name: 'Support' }, assignee: null,
      requester: { name: 'Paula Public', email: 'paula@example.org' },
    });
    const msgs = (await t.call('GET', `/api/v1/tickets/${res.body.number}/messages`, sup)).body.data;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ kind: 'public', body_text: 'The download link 404s.', author: { kind: 'contact', id: tk.requester.id } });
    const evs = (await t.call('GET', `/api/v1/tickets/${res.body.number}/events`, sup)).body.data;
    expect(evs[0]).toMatchObject({ kind: 'created', actor: { kind: 'contact', id: tk.requester.id }, after: { channel: 'web_form' } });
    // The acknowledgement is queued in the same transaction.
    const jobs = await t.ctx.db.query<{ payload: { ticket_id: string } }>("SELECT payload FROM outbox WHERE kind = 'mail.acknowledgement'");
    expect(jobs.map((j) => j.payload.ticket_id)).toContain(tk.id);
  });

  it('reuses the contact for a known address and links its organization; honours a known type', async () => {
    const res = await t.call('POST', URL, null, form({ email: 'oleg@acme.example', type: 'complaint' }));
    expect(res.status).toBe(201);
    const tk = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup)).body;
    expect(tk).toMatchObject({ type: 'complaint', requester: { id: t.fixtures.contacts.oleg }, organization: { id: t.fixtures.orgs.acme } });
    // The form does not rename an existing contact.
    expect(tk.requester.name).toBe('oleg@acme.example');
  });

  it('names the missing or bad field in a 400 and writes nothing', async () => {
    const before = (await t.ctx.db.query('SELECT 1 FROM tickets')).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ name: undefined }, 'name'],
      [{ email: undefined }, 'email'],
      [{ subject: undefined }, 'subject'],
      [{ message: undefined }, 'message'],
      [{ name: '   ' }, 'name'],
      [{ email: 'paula-at-example' }, 'email'],
      [{ subject: 'x'.repeat(251) }, 'subject'],
      [{ message: 42 }, 'message'],
      [{ type: 'not_a_type' }, 'type'],
    ];
    for (const [over, path] of cases) {
      const res = await t.call('POST', URL, null, form(over));
      expect(res.status, `${JSON.stringify(over)} → ${JSON.stringify(res.body)}`).toBe(400);
      expectErrorShape(res.body, 'invalid_input');
      expect(res.body.error.path).toBe(path);
    }
    const missing = await t.call('POST', URL, null, form({ subject: undefined }));
    expect(missing.body.error.message).toMatch(/required/);
    expect((await t.ctx.db.query('SELECT 1 FROM tickets')).length).toBe(before);
  });

  it('stores hostile HTML as inert text', async () => {
    const res = await t.call('POST', URL, null, form({ message: '<script>alert(1)</script><img src=x onerror=alert(2)>' }));
    expect(res.status).toBe(201);
    const [msg] = (await t.call('GET', `/api/v1/tickets/${res.body.number}/messages`, sup)).body.data;
    expect(msg.body_html).not.toMatch(/<script|<img/i);
    expect(msg.body_html).toContain('&lt;script&gt;');
  });

  it('answers malformed JSON, wrong content types, empty and oversized bodies with the error shape, never 500', async () => {
    const send = (payload: string | Buffer, contentType?: string) =>
      t.app.inject({ method: 'POST', url: URL, payload, headers: contentType ? { 'content-type': contentType } : {} });
    const malformed = await send('{"name": "x", ', 'application/json');
    expect(malformed.statusCode).toBe(400);
    expectErrorShape(malformed.json(), 'invalid_input');

    for (const [payload, type] of [['name=x&email=y', 'application/x-www-form-urlencoded'], ['hello', 'text/plain'], ['<a/>', 'application/xml']] as const) {
      const res = await send(payload, type);
      expect([400, 415], type).toContain(res.statusCode);
      expectErrorShape(res.json(), 'invalid_input');
    }
    const empty = await send('', 'application/json');
    expect(empty.statusCode).toBe(400);
    expectErrorShape(empty.json(), 'invalid_input');
    const arrayBody = await send('[1,2]', 'application/json');
    expect(arrayBody.statusCode).toBe(400);
    expectErrorShape(arrayBody.json(), 'invalid_input');
    const nullBody = await send('null', 'application/json');
    expect(nullBody.statusCode).toBe(400);
    expectErrorShape(nullBody.json(), 'invalid_input');

    // The form takes files (review item 11), so its body may reach the attachments' total in base64: a
    // long message is refused by its own limit, naming the field; a body past the upload limit is a 413.
    const long = await send(JSON.stringify(form({ message: 'x'.repeat(65 * 1024) })), 'application/json');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.path).toBe('message');
    const big = await send(JSON.stringify(form({ message: 'x'.repeat(uploadBodyLimit(t.ctx) + 1) })), 'application/json');
    expect(big.statusCode).toBe(413);
    expectErrorShape(big.json(), 'payload_too_large');
    expect(big.json().error.message).toBe(`body is larger than ${uploadBodyLimit(t.ctx)} bytes`);
    // A long message under both limits is fine.
    const fits = await send(JSON.stringify(form({ message: 'y'.repeat(50_000) })), 'application/json');
    expect(fits.statusCode).toBe(201);
  });
});

describe('rate limit', () => {
  it('answers the request over the limit with 429 and the error shape, and creates nothing for it', async () => {
    const statuses: number[] = [];
    let last: { status: number; body: any } | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await limited.call('POST', URL, null, form({ subject: `burst ${i}` }));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expectErrorShape(last?.body, 'rate_limited');
    expect(last?.body.error.message).toMatch(/too many requests/);
    expect(Object.keys(last?.body ?? {})).toEqual(['error']);
    const created = await limited.ctx.db.query("SELECT subject FROM tickets WHERE subject LIKE 'burst %' ORDER BY number");
    expect(created.map((r) => r.subject)).toEqual(['burst 0', 'burst 1', 'burst 2']);
  });

  it('is not bypassed by a forged X-Forwarded-For header (no proxy is trusted by default)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await limited.app.inject({
        method: 'POST', url: URL, headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 10}` },
        payload: JSON.stringify(form({ subject: `forged ${i}` })),
      });
      statuses.push(res.statusCode);
    }
    // The burst above already used this client's three requests for the minute.
    expect(statuses).toEqual([429, 429, 429]);
  });
});
