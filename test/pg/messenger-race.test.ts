import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Messenger intake under real concurrency (PostgreSQL): a chat's first messages arriving at once must make
// one contact, one conversation and one ticket; a redelivery racing its original must be written once.

let t: TestApp;
let channel: { id: string; secret: string };
beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signIn('admin@test.dev');
  channel = (await t.call('POST', '/api/v1/channels', admin, { kind: 'telegram', name: 'Race bot', bot_token: '123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ' })).body;
});
afterAll(() => t.close());

const post = (updateId: number, chatId: number, text: string) => t.app.inject({
  method: 'POST', url: `/api/v1/channels/telegram/${channel.id}/webhook`,
  headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': channel.secret },
  payload: JSON.stringify({ update_id: updateId, message: { message_id: updateId, chat: { id: chatId }, from: { id: chatId, first_name: 'Race', language_code: 'en' }, text } }),
});

describe('messenger intake races (PostgreSQL)', () => {
  it('runs on a PostgreSQL server', () => {
    expect(t.ctx.db.engine).toBe('postgres');
  });

  it('a new chat\'s messages arriving together open one ticket for one contact', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map((i) => post(100 + i, 9001, `Message ${i} of a new chat`)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const statuses = answers.map((a) => (JSON.parse(a.body) as { status: string }).status).sort();
    expect(statuses).toEqual(['appended', 'appended', 'appended', 'ticket_created']);
    const [row] = await t.ctx.db.query<{ tickets: number; contacts: number; conversations: number; messages: number }>(
      `SELECT (SELECT count(*)::int FROM tickets WHERE channel = 'telegram') AS tickets,
              (SELECT count(*)::int FROM contacts WHERE name = 'Race') AS contacts,
              (SELECT count(*)::int FROM channel_conversations WHERE external_id = '9001') AS conversations,
              (SELECT count(*)::int FROM messages m JOIN tickets tk ON tk.id = m.ticket_id WHERE tk.channel = 'telegram' AND m.kind = 'public') AS messages`);
    expect(row).toEqual({ tickets: 1, contacts: 1, conversations: 1, messages: 4 });
  });

  it('the same update delivered twice at once is written once', async () => {
    const answers = await Promise.all([post(500, 9001, 'Twice'), post(500, 9001, 'Twice')]);
    expect(answers.map((a) => (JSON.parse(a.body) as { status: string }).status).sort()).toEqual(['appended', 'duplicate']);
    const [row] = await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE body_text = 'Twice'");
    expect(row?.n).toBe(1);
  });
});
