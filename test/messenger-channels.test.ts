import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../src/app/context.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { installOfficeCommitments } from './helpers/office-commitments.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Messenger channels through HTTP (issue 20 item 2): Telegram updates in, the acknowledgement and agent
// replies out through a local stand-in for the Bot API (a real HTTP server on loopback that answers like
// Telegram and records sendMessage calls), and the generic signed webhook channel both ways.

let t: TestApp;
let admin: string;
let agent: string;
const mails: OutgoingMail[] = [];
const sendMail = async (m: OutgoingMail) => {
  mails.push(m);
};

type Sent = { token: string; chat_id: string; text: string };
let botApi: http.Server;
const sent: Sent[] = [];
let botApiFailures = 0;

type Posted = { body: string; signature: string };
let receiver: http.Server;
let receiverUrl = '';
const posted: Posted[] = [];

const listen = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const readBody = (req: http.IncomingMessage): Promise<string> => new Promise((resolve) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
});

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  agent = await t.signIn('alex@test.dev');
  // Published commitments, so every new request is promised a reply time.
  await installOfficeCommitments(t, admin);
  // The Bot API stand-in: POST /bot<token>/sendMessage, answered as Telegram does ({ ok, result } or { ok: false, error_code, description }).
  botApi = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (!match) return res.writeHead(404).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
    if (botApiFailures > 0) {
      botApiFailures -= 1;
      return res.writeHead(502).end(JSON.stringify({ ok: false, error_code: 502, description: 'Bad Gateway' }));
    }
    const { chat_id, text } = JSON.parse(body) as { chat_id: string; text: string };
    sent.push({ token: match[1] ?? '', chat_id: String(chat_id), text });
    res.writeHead(200).end(JSON.stringify({ ok: true, result: { message_id: sent.length, chat: { id: Number(chat_id) }, date: 0, text } }));
  });
  t.ctx.settings.telegramApiUrl = await listen(botApi);
  receiver = http.createServer(async (req, res) => {
    posted.push({ body: await readBody(req), signature: String(req.headers['x-replyby-signature']) });
    res.writeHead(204).end();
  });
  receiverUrl = `${await listen(receiver)}/messenger`;
  t.ctx.settings.allowPrivateUrls = true;
});
afterAll(async () => {
  await new Promise((r) => botApi.close(r));
  await new Promise((r) => receiver.close(r));
  await t.close();
});

const TOKEN = '123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ';
let update = 1000;
const telegramUpdate = (chatId: number, text: string, extra: { update_id?: number; language_code?: string } = {}) => ({
  update_id: extra.update_id ?? (update += 1),
  message: { message_id: update, date: 1741593600, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Иван', last_name: 'Петров', language_code: extra.language_code ?? 'ru' }, text },
});
const postUpdate = async (channelId: string, secret: string | null, body: unknown) => {
  const res = await t.app.inject({
    method: 'POST', url: `/api/v1/channels/telegram/${channelId}/webhook`, payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as { status: string; ticket_id: string | null; ticket_number: number | null; error?: { path?: string } } };
};
const work = () => runDueJobs(t.ctx, sendMail);
const messagesOf = async (ticketId: string) => (await t.call('GET', `/api/v1/tickets/${ticketId}/messages`, agent)).body.data as { body_text: string; kind: string; delivery: { status: string } | null }[];

describe('Telegram bot', () => {
  let channel: { id: string; secret: string; inbound_url: string };

  it('is connected by an admin; the secret is shown once and the token never', async () => {
    expect((await t.call('POST', '/api/v1/channels', agent, { kind: 'telegram', name: 'Bot', bot_token: TOKEN })).status).toBe(403);
    const bad = await t.call('POST', '/api/v1/channels', admin, { kind: 'telegram', name: 'Bot', bot_token: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('bot_token');
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'telegram', name: 'Support bot', bot_token: TOKEN, group_id: t.fixtures.groups.support });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    channel = created.body;
    expect(channel.secret).toMatch(/^[A-Za-z0-9_-]{20,256}$/);
    expect(channel.inbound_url).toBe(`http://replyby.test/api/v1/channels/telegram/${channel.id}/webhook`);
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
    const list = await t.call('GET', '/api/v1/channels', admin);
    expect(list.body.data).toHaveLength(1);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(channel.secret);
  });

  it('refuses a missing (401) or wrong (403) secret and writes nothing', async () => {
    expect((await postUpdate(channel.id, null, telegramUpdate(1, 'Помогите'))).status).toBe(401);
    expect((await postUpdate(channel.id, `${channel.secret}x`, telegramUpdate(1, 'Помогите'))).status).toBe(403);
    expect((await postUpdate('00000000-0000-4000-8000-000000000000', channel.secret, telegramUpdate(1, 'Помогите'))).status).toBe(404);
    const [n] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE channel = 'telegram'");
    expect(n?.n).toBe(0);
  });

  let ticketId = '';
  it('turns a message into a ticket and sends the acknowledgement with the promise in the customer\'s language', async () => {
    const res = await postUpdate(channel.id, channel.secret, telegramUpdate(4242, 'Не могу войти в личный кабинет, пишет «неверный пароль».'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('ticket_created');
    ticketId = res.body.ticket_id ?? '';
    const ticket = (await t.call('GET', `/api/v1/tickets/${ticketId}`, agent)).body;
    expect(ticket.channel).toBe('telegram');
    expect(ticket.group.id).toBe(t.fixtures.groups.support);
    expect(ticket.subject).toBe('Не могу войти в личный кабинет, пишет «неверный пароль».');
    await work();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.token).toBe(TOKEN);
    expect(sent[0]?.chat_id).toBe('4242');
    expect(sent[0]?.text).toContain(`Мы получили ваше обращение #${res.body.ticket_number}`);
    expect(sent[0]?.text).toMatch(/Мы ответим до .+/);
    expect(mails).toHaveLength(0);
  });

  it('appends later messages of the chat to the same ticket and ignores a redelivered update', async () => {
    const again = telegramUpdate(4242, 'Пароль точно правильный.');
    const res = await postUpdate(channel.id, channel.secret, again);
    expect(res.body).toMatchObject({ status: 'appended', ticket_id: ticketId });
    const repeat = await postUpdate(channel.id, channel.secret, again);
    expect(repeat.status).toBe(200);
    expect(repeat.body.status).toBe('duplicate');
    const texts = (await messagesOf(ticketId)).filter((m) => m.kind === 'public').map((m) => m.body_text);
    expect(texts.filter((x) => x === 'Пароль точно правильный.')).toHaveLength(1);
    // An edit (no `message`) is answered 200 so Telegram stops redelivering, and makes no ticket.
    const edit = await postUpdate(channel.id, channel.secret, { update_id: (update += 1), edited_message: { message_id: 1, chat: { id: 4242 }, text: 'x' } });
    expect(edit.body.status).toBe('ignored');
    const bad = await postUpdate(channel.id, channel.secret, { message: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.path).toBe('update_id');
  });

  it('sends an agent\'s public reply through the Bot API, retrying while the Bot API is down', async () => {
    botApiFailures = 1;
    const reply = await t.call('POST', `/api/v1/tickets/${ticketId}/messages`, agent, { body: 'Сбросили пароль, попробуйте ещё раз.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const before = sent.length;
    await work();
    expect(sent).toHaveLength(before);
    const [job] = await t.ctx.db.query<{ attempts: number; last_error: string | null; done_at: Date | null }>("SELECT attempts, last_error, done_at FROM outbox WHERE kind = 'channel.send' AND payload->>'what' = 'reply'");
    expect(job).toMatchObject({ attempts: 1, done_at: null });
    expect(job?.last_error).toContain('502');
    expect(job?.last_error).not.toContain(TOKEN);
    expect((await messagesOf(ticketId)).find((m) => m.body_text.startsWith('Сбросили'))?.delivery?.status).toBe('retrying');
    t.clock.advanceMinutes(1);
    await work();
    expect(sent.at(-1)).toMatchObject({ chat_id: '4242', text: 'Сбросили пароль, попробуйте ещё раз.' });
    expect((await messagesOf(ticketId)).find((m) => m.body_text.startsWith('Сбросили'))?.delivery?.status).toBe('sent');
    expect(mails).toHaveLength(0);
  });

  it('starts a new ticket once the conversation\'s ticket is solved', async () => {
    expect((await t.call('PATCH', `/api/v1/tickets/${ticketId}`, agent, { status: 'solved' })).status).toBe(200);
    const res = await postUpdate(channel.id, channel.secret, telegramUpdate(4242, 'Hello again, I have another question about invoices', { language_code: 'en' }));
    expect(res.body.status).toBe('ticket_created');
    expect(res.body.ticket_id).not.toBe(ticketId);
    // The contact is the chat's, in the language it was first seen with.
    const [a, b] = await t.ctx.db.query<{ requester_id: string }>('SELECT requester_id FROM tickets WHERE id = ANY($1) ORDER BY number', [[ticketId, res.body.ticket_id]]);
    expect(a?.requester_id).toBe(b?.requester_id);
    await work();
    expect(sent.at(-1)?.text).toContain(`Мы получили ваше обращение #${res.body.ticket_number}`);
    const next = await postUpdate(channel.id, channel.secret, telegramUpdate(4242, 'One more detail'));
    expect(next.body).toMatchObject({ status: 'appended', ticket_id: res.body.ticket_id });
  });

  it('a disabled channel refuses updates', async () => {
    expect((await t.call('PATCH', `/api/v1/channels/${channel.id}`, admin, { active: false })).body.active).toBe(false);
    expect((await postUpdate(channel.id, channel.secret, telegramUpdate(4242, 'Anyone?'))).status).toBe(403);
    await t.call('PATCH', `/api/v1/channels/${channel.id}`, admin, { active: true });
  });

  it('answers a new chat in the language Telegram states (English)', async () => {
    const res = await postUpdate(channel.id, channel.secret, telegramUpdate(777, 'Где мой заказ?', { language_code: 'en' }));
    await work();
    expect(sent.at(-1)).toMatchObject({ chat_id: '777' });
    expect(sent.at(-1)?.text).toContain(`We received your request #${res.body.ticket_number}.`);
  });
});

describe('generic webhook channel', () => {
  let channel: { id: string; secret: string };
  const sign = (secret: string, ts: number, body: string) => `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
  const post = async (body: string, signature: string | null) => {
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/channels/webhook/${channel.id}/messages`, payload: body,
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-replyby-signature': signature } : {}) },
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as { status?: string; ticket_id?: string; ticket_number?: number; error?: { path?: string; message: string } } };
  };
  const now = () => Math.floor(t.clock.now.getTime() / 1000);

  it('is created with its URL checked; the signing secret is shown once', async () => {
    const created = await t.call('POST', '/api/v1/channels', admin, { kind: 'webhook', name: 'WhatsApp bridge', url: receiverUrl });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    channel = created.body;
    expect(channel.secret).toMatch(/^chsec_/);
    expect(JSON.stringify((await t.call('GET', '/api/v1/channels', admin)).body)).not.toContain(channel.secret);
  });

  it('refuses an unsigned, wrongly signed or replayed request', async () => {
    const body = JSON.stringify({ id: 'm-1', conversation_id: 'c-1', text: 'Hi' });
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, sign('wrong', now(), body))).status).toBe(401);
    const replay = await post(body, sign(channel.secret, now() - 600, body));
    expect(replay.status).toBe(401);
    expect(replay.body.error?.message).toContain('5 minutes');
    // The signature covers the exact bytes: the same JSON re-spaced does not match.
    expect((await post(JSON.stringify(JSON.parse(body), null, 1), sign(channel.secret, now(), body))).status).toBe(401);
  });

  it('answers a bad body with 400 naming the field', async () => {
    for (const [doc, path] of [
      [{ conversation_id: 'c-1', text: 'Hi' }, 'id'],
      [{ id: 'm-1', conversation_id: 'c-1', text: '   ' }, 'text'],
      [{ id: 'm-1', conversation_id: 'c-1', text: 'Hi', from: { language: 5 } }, 'from.language'],
      [{ id: 'm-1', conversation_id: 'c-1', text: 'Hi', extra: 1 }, 'extra'],
    ] as const) {
      const body = JSON.stringify(doc);
      const res = await post(body, sign(channel.secret, now(), body));
      expect(res.status, body).toBe(400);
      expect(res.body.error?.path, body).toBe(path);
    }
    const res = await post('{"id":', sign(channel.secret, now(), '{"id":'));
    expect(res.status).toBe(400);
    expect(res.body.error?.path).toBe('body');
  });

  it('creates a ticket, POSTs the signed acknowledgement and agent replies, and drops a repeated message id', async () => {
    const body = JSON.stringify({ id: 'm-10', conversation_id: 'c-7', from: { name: 'Мария', language: 'bg' }, text: 'Поръчката ми не е пристигнала.' });
    const res = await post(body, sign(channel.secret, now(), body));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('ticket_created');
    expect((await post(body, sign(channel.secret, now(), body))).body.status).toBe('duplicate');
    await work();
    const ack = posted.at(-1);
    expect(ack).toBeDefined();
    const [, ts] = /^t=(\d+),/.exec(ack?.signature ?? '') ?? [];
    expect(ack?.signature).toBe(sign(channel.secret, Number(ts), ack?.body ?? ''));
    const ackBody = JSON.parse(ack?.body ?? '{}');
    expect(ackBody).toMatchObject({ event: 'acknowledgement', conversation_id: 'c-7', language: 'bg', ticket: { id: res.body.ticket_id, number: res.body.ticket_number } });
    expect(ackBody.text).toContain(`Получихме вашето запитване #${res.body.ticket_number}`);
    expect(ackBody.promise.promised_at).toEqual(expect.any(String));
    const ticket = (await t.call('GET', `/api/v1/tickets/${res.body.ticket_id}`, agent)).body;
    expect(ticket.channel).toBe('messenger');
    const reply = await t.call('POST', `/api/v1/tickets/${res.body.ticket_id}/messages`, agent, { body: 'Проверяваме с куриера.' });
    await work();
    expect(JSON.parse(posted.at(-1)?.body ?? '{}')).toMatchObject({ event: 'reply', id: reply.body.message_id ?? expect.any(String), conversation_id: 'c-7', text: 'Проверяваме с куриера.' });
  });
});
