import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../src/app/context.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { installOfficeCommitments } from './helpers/office-commitments.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The chat widget through HTTP (issue 20 item 1): the admin's settings and audit rows, the Origin check on
// every call, the pre-chat form → a `widget` ticket with the acknowledgement in the chat, agent replies in
// the conversation's log, the cursor, repeats counted once, rate limits, the transcript mail, the
// fallback to an e-mailed acknowledgement when nobody is on duty, and the live stream over a real socket.

let t: TestApp;
let admin: string;
let agent: string;
const mails: OutgoingMail[] = [];
const work = () => runDueJobs(t.ctx, async (m) => {
  mails.push(m);
});
const PAGE = 'http://shop.localhost:5173';

type Res = { status: number; body: any; headers: Record<string, unknown> };
const widgetCall = async (method: 'GET' | 'POST' | 'OPTIONS', url: string, opts: { origin?: string | null; token?: string; body?: unknown; ip?: string } = {}): Promise<Res> => {
  const res = await t.app.inject({
    method, url, remoteAddress: opts.ip ?? '203.0.113.7',
    headers: {
      ...(opts.origin === null ? {} : { origin: opts.origin ?? PAGE }),
      ...(opts.token ? { 'x-widget-token': opts.token } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, headers: res.headers };
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  agent = await t.signIn('alex@test.dev');
  await installOfficeCommitments(t, admin);
});
afterAll(async () => {
  await t.close();
});

let widget: { id: string; embed: string; widget: { allowed_origins: string[] } };

describe('chat widget: admin', () => {
  it('is created by an admin with its allowed origins, an embed tag, an audit row and the chat SLA policy', async () => {
    expect((await t.call('POST', '/api/v1/channels', agent, { kind: 'widget', name: 'Chat' })).status).toBe(403);
    const bad = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Chat', widget: { allowed_origins: ['https://shop.example.com/path'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('widget.allowed_origins[0]');
    const badColour = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Chat', widget: { color: 'red' } });
    expect(badColour.body.error.path).toBe('widget.color');
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Site chat', widget: { allowed_origins: [`${PAGE}/`], title: 'Help', first_response_seconds: 45 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    widget = created.body;
    expect(widget.widget.allowed_origins).toEqual([PAGE]);
    expect(widget.embed).toBe(`<script src="http://replyby.test/widget.js" data-replyby-widget="${widget.id}" async></script>`);
    expect(JSON.stringify(created.body)).not.toMatch(/chsec_/);
    const audit = (await t.call('GET', '/api/v1/audit-log?target_type=channel', admin)).body.data as { target_id: string; action: string }[];
    expect(audit.some((r) => r.target_id === widget.id && r.action === 'create')).toBe(true);
    const policies = (await t.call('GET', '/api/v1/sla/policies', admin)).body.data as { name: string; position: number; conditions: unknown; metrics: { name: string; target_minutes: number }[] }[];
    const first = [...policies].sort((a, b) => a.position - b.position)[0];
    expect(first?.name).toBe('Chat widget');
    expect(first?.conditions).toEqual([{ field: 'channel', op: 'in', values: ['widget'] }]);
    expect(first?.metrics[0]).toMatchObject({ name: 'first_response', target_minutes: 1 });
  });

  it('changes settings with an audit row holding before and after', async () => {
    const res = await t.call('PATCH', `/api/v1/channels/${widget.id}`, admin, { widget: { per_visitor_per_minute: 5, color: '#aa3300' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.widget).toMatchObject({ per_visitor_per_minute: 5, color: '#aa3300', title: 'Help', allowed_origins: [PAGE] });
    const audit = (await t.call('GET', '/api/v1/audit-log?target_type=channel', admin)).body.data as { target_id: string; action: string; before: any; after: any }[];
    const row = audit.find((r) => r.target_id === widget.id && r.action === 'update');
    expect(row?.before.widget.color).toBe('#1d4ed8');
    expect(row?.after.widget.color).toBe('#aa3300');
    expect((await t.call('PATCH', `/api/v1/channels/${widget.id}`, admin, { widget: { per_ip_per_minute: 0 } })).body.error.path).toBe('widget.per_ip_per_minute');
  });
});

describe('chat widget: a visitor', () => {
  let token = '';
  let ticketId = '';

  it('is refused from an origin the admin did not allow (and without one), with no CORS header', async () => {
    const other = await widgetCall('GET', `/api/v1/widget/${widget.id}/status`, { origin: 'https://evil.example.net' });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await widgetCall('GET', `/api/v1/widget/${widget.id}/status`, { origin: null })).status).toBe(403);
    const pre = await widgetCall('OPTIONS', `/api/v1/widget/${widget.id}/sessions`, { origin: 'https://evil.example.net' });
    expect(pre.status).toBe(403);
    const ok = await widgetCall('OPTIONS', `/api/v1/widget/${widget.id}/sessions`);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(PAGE);
    expect(String(ok.headers['access-control-allow-headers'])).toContain('x-widget-token');
  });

  it('sees the title, that someone is on duty and the expected wait before writing', async () => {
    const res = await widgetCall('GET', `/api/v1/widget/${widget.id}/status`);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(PAGE);
    expect(res.body).toMatchObject({ title: 'Help', color: '#aa3300', online: true, ahead: 0, wait_seconds: 45, first_response_seconds: 45 });
  });

  it('starts a chat with the pre-chat form: a widget ticket, the acknowledgement with the promise in the chat', async () => {
    const bad = await widgetCall('POST', `/api/v1/widget/${widget.id}/sessions`, { body: { name: 'Ann', email: 'nope', message: 'hi' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('email');
    expect((await widgetCall('POST', `/api/v1/widget/${widget.id}/sessions`, { body: { name: 'Ann', message: '   ' } })).body.error.path).toBe('message');
    const res = await widgetCall('POST', `/api/v1/widget/${widget.id}/sessions`, { body: { name: 'Ann Lee', email: 'Ann.Lee@example.com', message: 'My order #55 has not arrived', language: 'en-GB' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'ticket_created', online: true });
    token = res.body.token;
    const tickets = await t.ctx.db.query<{ id: string; channel: string; subject: string; email: string }>(
      'SELECT t.id, t.channel, t.subject, c.email FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.number = $1', [res.body.ticket_number]);
    expect(tickets[0]).toMatchObject({ channel: 'widget', subject: 'My order #55 has not arrived', email: 'ann.lee@example.com' });
    ticketId = tickets[0]?.id ?? '';
    await work();
    // On duty: the acknowledgement goes to the chat only, not by mail.
    expect(mails.filter((m) => m.to === 'ann.lee@example.com')).toHaveLength(0);
    const log = await widgetCall('GET', `/api/v1/widget/${widget.id}/messages?after=0`, { token });
    expect(log.body.data.map((m: { seq: number; author: string }) => [m.seq, m.author])).toEqual([[1, 'visitor'], [2, 'system']]);
    expect(log.body.data[1].body).toMatch(/^We received your request #\d+\.\nWe will reply by .+ — within /);
  });

  it('writes more; a retried message counts once; an agent reply arrives after the cursor, never twice', async () => {
    const noToken = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { body: { client_id: 'c-0000001', text: 'hello' } });
    expect(noToken.status).toBe(401);
    const forged = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { token: `${token.slice(0, -2)}AA`, body: { client_id: 'c-0000001', text: 'hello' } });
    expect(forged.status).toBe(401);
    const first = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { token, body: { client_id: 'c-0000001', text: 'It was due Monday' } });
    expect(first.body).toMatchObject({ status: 'appended', ticket_id: ticketId, seq: 3 });
    const again = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { token, body: { client_id: 'c-0000001', text: 'It was due Monday' } });
    expect(again.body).toMatchObject({ status: 'duplicate', seq: null });
    expect((await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { token, body: { client_id: 'x', text: 'a' } })).body.error.path).toBe('client_id');
    const reply = await t.call('POST', `/api/v1/tickets/${ticketId}/messages`, agent, { body: 'Checking with the courier now.' });
    expect(reply.status).toBe(201);
    await work();
    await work();
    const after = await widgetCall('GET', `/api/v1/widget/${widget.id}/messages?after=3`, { token });
    expect(after.body.data).toHaveLength(1);
    const [alex] = await t.ctx.db.query<{ name: string }>("SELECT name FROM users WHERE email = 'alex@test.dev'");
    expect(after.body.data[0]).toMatchObject({ seq: 4, author: 'agent', author_name: alex?.name, body: 'Checking with the courier now.' });
    const messages = (await t.call('GET', `/api/v1/tickets/${ticketId}/messages`, agent)).body.data as { body_text: string }[];
    expect(messages.filter((m) => m.body_text === 'It was due Monday')).toHaveLength(1);
  });

  it('gets the transcript by e-mail in its language', async () => {
    const res = await widgetCall('POST', `/api/v1/widget/${widget.id}/transcript`, { token, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.to).toBe('ann.lee@example.com');
    await work();
    const mail = mails.find((m) => m.subject === 'Your chat transcript');
    expect(mail?.to).toBe('ann.lee@example.com');
    expect(mail?.text).toContain('You:\nMy order #55 has not arrived');
    expect(mail?.text).toMatch(/\] [^\n]+:\nChecking with the courier now\./);
    expect(mail?.text).toMatch(/Support:\nWe received your request #\d+\.\nWe will reply by/);
  });

  it('is limited per visitor (the admin set 5 a minute) with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await widgetCall('POST', `/api/v1/widget/${widget.id}/typing`, { token, body: { typing: i % 2 === 0 } })).status);
    // Three message posts with this token above (one refused for its client_id, counted all the same) and the
    // transcript: one of the five of this window is left (the window opened with this token's first call, seconds ago).
    expect(statuses).toEqual([204, 429, 429]);
    const refused = await widgetCall('POST', `/api/v1/widget/${widget.id}/typing`, { token, body: { typing: false } });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    expect(refused.body.error.message).toMatch(/^at most 5 messages a minute in one chat; retry in \d+ s$/);
    // The page can read when to retry: the limit's headers, exposed to the allowed origin.
    expect(refused.headers['x-ratelimit-limit']).toBe('5');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(refused.headers['x-ratelimit-reset']).toBe(String(retry));
    expect(refused.headers['access-control-allow-origin']).toBe(PAGE);
    expect(String(refused.headers['access-control-expose-headers'])).toContain('retry-after');
    // Another visitor from the same address is not limited by this one.
    const other = await widgetCall('POST', `/api/v1/widget/${widget.id}/sessions`, { body: { name: 'Bo', message: 'Hello there' } });
    expect(other.status).toBe(201);
  });
});

describe('chat widget: after the ticket is solved', () => {
  it('a retried message stays once, a new one opens a new request in the same chat', async () => {
    const start = await widgetCall('POST', `/api/v1/widget/${widget.id}/sessions`, { ip: '192.0.2.60', body: { name: 'Lin', message: 'Where is my invoice?' } });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    const token = start.body.token as string;
    const first = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { ip: '192.0.2.60', token, body: { client_id: 'solved-00001', text: 'It was due Monday' } });
    expect(first.body).toMatchObject({ status: 'appended', ticket_number: start.body.ticket_number });
    const solved = await t.call('PATCH', `/api/v1/tickets/${start.body.ticket_number}`, agent, { status: 'solved' });
    expect(solved.status, JSON.stringify(solved.body)).toBe(200);
    const again = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { ip: '192.0.2.60', token, body: { client_id: 'solved-00001', text: 'It was due Monday' } });
    expect(again.body).toMatchObject({ status: 'duplicate', seq: null });
    const next = await widgetCall('POST', `/api/v1/widget/${widget.id}/messages`, { ip: '192.0.2.60', token, body: { client_id: 'solved-00002', text: 'Another question' } });
    expect(next.body.status).toBe('ticket_created');
    expect(next.body.ticket_number).not.toBe(start.body.ticket_number);
    const log = await widgetCall('GET', `/api/v1/widget/${widget.id}/messages`, { ip: '192.0.2.60', token });
    const bodies = (log.body.data as { body: string }[]).map((m) => m.body);
    expect(bodies.filter((b) => b === 'It was due Monday')).toHaveLength(1);
    expect(bodies).toContain('Another question');
  });
});

describe('chat widget: the per-address limit', () => {
  it('answers 429 with Retry-After past the admin\'s per-IP limit, counting every call to the widget from that address', async () => {
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Small shop', widget: { allowed_origins: [PAGE], per_ip_per_minute: 3 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const ip = '192.0.2.44';
    const first = await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip });
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    const session = await widgetCall('POST', `/api/v1/widget/${id}/sessions`, { ip, body: { name: 'Kim', message: 'Hello' } });
    expect(session.status).toBe(201);
    expect(session.headers['x-ratelimit-remaining']).toBe('1');
    expect((await widgetCall('GET', `/api/v1/widget/${id}/messages`, { ip, token: session.body.token })).status).toBe(200);
    const refused = await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^at most 3 chat requests a minute from one address; retry in \d+ s$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    // Another address, and the same address on another widget, are counted apart.
    expect((await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip: '192.0.2.45' })).status).toBe(200);
    expect((await widgetCall('GET', `/api/v1/widget/${widget.id}/status`, { ip })).status).toBe(200);
    // A page whose origin is not allowed is refused for that (403) before it is counted.
    expect((await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip: '192.0.2.46', origin: 'https://evil.example' })).status).toBe(403);
  });

  it('takes a raised limit at once (the admin\'s change in this process)', async () => {
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Growing shop', widget: { allowed_origins: [PAGE], per_ip_per_minute: 1 } });
    const id = created.body.id as string;
    const ip = '192.0.2.50';
    expect((await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip })).status).toBe(200);
    expect((await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip })).status).toBe(429);
    expect((await t.call('PATCH', `/api/v1/channels/${id}`, admin, { widget: { per_ip_per_minute: 10 } })).status).toBe(200);
    const after = await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip });
    expect(after.status).toBe(200);
    expect(after.headers['x-ratelimit-limit']).toBe('10');
  });
});

describe('chat widget: nobody on duty', () => {
  it('falls back to a ticket whose acknowledgement with the promise is shown and e-mailed', async () => {
    const group = await t.call('POST', '/api/v1/groups', admin, { name: 'Night chat' });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Night', group_id: group.body.id, widget: { allowed_origins: [PAGE] } });
    const id = created.body.id as string;
    const status = await widgetCall('GET', `/api/v1/widget/${id}/status`, { ip: '198.51.100.1' });
    expect(status.body).toMatchObject({ online: false, wait_seconds: null });
    const res = await widgetCall('POST', `/api/v1/widget/${id}/sessions`, { ip: '198.51.100.1', body: { name: 'Олег', email: 'oleg.night@example.com', message: 'Не могу войти в аккаунт', language: 'ru' } });
    expect(res.body).toMatchObject({ status: 'ticket_created', online: false });
    await work();
    const mail = mails.find((m) => m.to === 'oleg.night@example.com');
    expect(mail, 'the acknowledgement by mail').toBeDefined();
    const log = await widgetCall('GET', `/api/v1/widget/${id}/messages`, { ip: '198.51.100.1', token: res.body.token });
    expect(log.body.data[1].body).toMatch(/^Мы получили ваше обращение #\d+/);
  });

  it('a switched-off widget refuses new chats', async () => {
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Off', widget: { allowed_origins: [PAGE] } });
    await t.call('PATCH', `/api/v1/channels/${created.body.id}`, admin, { active: false });
    expect((await widgetCall('POST', `/api/v1/widget/${created.body.id}/sessions`, { body: { name: 'A', message: 'hi' } })).status).toBe(403);
  });
});

describe('chat widget: the live stream', () => {
  it('sends messages after Last-Event-ID over SSE, then live ones, and an agent typing', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await t.call('PATCH', `/api/v1/channels/${widget.id}`, admin, { widget: { per_visitor_per_minute: 100 } });
    const start = await fetch(`${base}/api/v1/widget/${widget.id}/sessions`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Sam', message: 'Is the shop open on Sunday?' }) });
    const { token, ticket_number } = await start.json() as { token: string; ticket_number: number };
    await work();
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/widget/${widget.id}/stream?token=${encodeURIComponent(token)}`, { headers: { origin: PAGE, 'last-event-id': '1' }, signal: abort.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    const reader = res.body!.getReader();
    let text = '';
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 5000;
      while (!pattern.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toMatch(pattern);
    };
    // After id 1: the acknowledgement (id 2) only.
    await until(/id: 2\nevent: message\ndata: .*"author":"system"/);
    expect(text).not.toMatch(/id: 1\n/);
    await fetch(`${base}/api/v1/widget/${widget.id}/messages`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json', 'x-widget-token': token }, body: JSON.stringify({ client_id: 'live-000001', text: 'And Saturday?' }) });
    await until(/id: 3\nevent: message\ndata: .*And Saturday\?/);
    // Too long for a NOTIFY payload (8,000 bytes): announced without its row, read by the stream.
    const long = `${'Ä'.repeat(4500)} end of a long one`;
    await fetch(`${base}/api/v1/widget/${widget.id}/messages`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json', 'x-widget-token': token }, body: JSON.stringify({ client_id: 'live-000002', text: long }) });
    await until(/id: 4\nevent: message\ndata: .*end of a long one/);
    const typing = await t.call('POST', `/api/v1/tickets/${ticket_number}/presence`, agent, { state: 'typing' });
    expect(typing.status, JSON.stringify(typing.body)).toBe(200);
    await until(/event: typing\ndata: \{"typing":true\}/);
    abort.abort();
  });
});

describe('chat widget: many visitors writing at once', () => {
  it('writes every message once, in each chat\'s order, with the ticket\'s message and clock, when visitors and retries race', async () => {
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Busy chat', widget: { allowed_origins: [PAGE], per_ip_per_minute: 10_000, per_visitor_per_minute: 1000 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const busy = created.body.id as string;
    const visitors = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
      const res = await widgetCall('POST', `/api/v1/widget/${busy}/sessions`, { body: { name: `Busy ${i}`, message: `first from ${i}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { token: res.body.token as string, number: res.body.ticket_number as number };
    }));
    // Each visitor sends four messages one after another, all visitors at once; and every message is also
    // posted a second time at the same moment (a retry racing its original: the same client id).
    const answers = await Promise.all(visitors.map(async (v, i) => {
      const out: { status: string; seq: number | null }[] = [];
      for (let m = 0; m < 4; m += 1) {
        const body = { client_id: `busy-${i}-${m}`, text: `message ${m} from ${i}` };
        const both = await Promise.all([widgetCall('POST', `/api/v1/widget/${busy}/messages`, { token: v.token, body }), widgetCall('POST', `/api/v1/widget/${busy}/messages`, { token: v.token, body })]);
        for (const r of both) expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(both.map((r) => r.body.status).sort()).toEqual(['appended', 'duplicate']);
        out.push(...both.map((r) => r.body));
      }
      return out;
    }));
    for (const [i, v] of visitors.entries()) {
      const log = await widgetCall('GET', `/api/v1/widget/${busy}/messages?after=0`, { token: v.token });
      const visitorLines = (log.body.data as { seq: number; author: string; body: string }[]).filter((m) => m.author === 'visitor');
      // Gap-free seq over the whole log, and the visitor's messages in the order sent, once each.
      expect((log.body.data as { seq: number }[]).map((m) => m.seq)).toEqual(Array.from({ length: log.body.data.length }, (_, k) => k + 1));
      expect(visitorLines.map((m) => m.body)).toEqual([`first from ${i}`, ...[0, 1, 2, 3].map((m) => `message ${m} from ${i}`)]);
      expect(answers[i]?.filter((a) => a.status === 'appended').map((a) => a.seq)).toEqual(visitorLines.slice(1).map((m) => m.seq));
      const messages = (await t.call('GET', `/api/v1/tickets/${v.number}/messages`, agent)).body.data as { body_text: string }[];
      expect(messages.map((m) => m.body_text)).toEqual([`first from ${i}`, ...[0, 1, 2, 3].map((m) => `message ${m} from ${i}`)]);
      // The chat's first-response clock still runs on the chat policy's seconds-scale target.
      const [ticket] = await t.ctx.db.query<{ sla_next_due_at: Date | null; created_at: Date; status: string }>('SELECT sla_next_due_at, created_at, status FROM tickets WHERE number = $1', [v.number]);
      expect(ticket?.status).toBe('new');
      expect((ticket?.sla_next_due_at?.getTime() ?? 0) - (ticket?.created_at.getTime() ?? 0)).toBe(60_000);
    }
  });
});
