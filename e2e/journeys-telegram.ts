// Messenger journey (issue 20 item 2): an admin connects a Telegram bot in Admin → Messengers (the secret is
// shown once), a customer's Telegram message arrives through the webhook, the acknowledgement with the promise
// reaches a local stand-in for the Bot API, and an agent's reply typed on the ticket page goes to the chat.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export type BotApi = { url: string; sent: { chat_id: string; text: string }[]; waitFor: (chatId: string, re: RegExp) => Promise<string>; close: () => Promise<void> };

/** A stand-in for the Telegram Bot API on loopback: records sendMessage, answers as Telegram does. */
export async function startBotApi(): Promise<BotApi> {
  const sent: BotApi['sent'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (!/^\/bot[^/]+\/sendMessage$/.test(req.url ?? '')) return res.writeHead(404).end('{"ok":false,"error_code":404,"description":"Not Found"}');
      const { chat_id, text } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chat_id: string; text: string };
      sent.push({ chat_id: String(chat_id), text });
      return res.writeHead(200).end(JSON.stringify({ ok: true, result: { message_id: sent.length, chat: { id: Number(chat_id) }, date: 0, text } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const waitFor = async (chatId: string, re: RegExp): Promise<string> => {
    for (let i = 0; i < 60; i += 1) {
      const hit = sent.find((m) => m.chat_id === chatId && re.test(m.text));
      if (hit) return hit.text;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`no sendMessage to chat ${chatId} matching ${re} (got ${JSON.stringify(sent.slice(-3))})`);
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, waitFor, close: () => new Promise((r) => server.close(() => r())) };
}

export async function telegramJourneys({ browser, base, botApi }: JourneyEnv): Promise<void> {
  const admin = await newActor(browser, base);
  const chatId = String(700_000 + Math.floor(Math.random() * 100_000));
  const shared: { channelId?: string; secret?: string; number?: number } = {};
  const connected = 'telegram: an admin connects a bot in Admin → Messengers and sees its secret once';
  await step(connected, async () => {
    check(botApi, 'the Bot API stand-in runs (e2e/run.ts)');
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.goto('/admin/channels');
    await page.getByTestId('channel-new').click();
    const form = page.getByTestId('channel-editor');
    await form.getByTestId('channel-name').fill(`Bot ${RUN_ID}`);
    await form.getByTestId('channel-token').fill('12345');
    await form.getByTestId('channel-save').click();
    await form.locator('.field.has-error').waitFor();
    await form.getByTestId('channel-token').fill('123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ');
    await form.getByTestId('channel-save').click();
    const banner = page.getByTestId('channel-secret');
    await banner.waitFor();
    shared.secret = (await banner.locator('code').innerText()).trim();
    const row = page.getByTestId(`channel-row-Bot ${RUN_ID}`);
    await row.waitFor();
    shared.channelId = /\/channels\/telegram\/([0-9a-f-]{36})\/webhook/.exec(await row.innerText())?.[1];
    check(shared.secret.length >= 20 && shared.channelId, `the secret and the inbound path are shown (${shared.channelId})`);
    await axe(page, 'admin/channels (secret banner)');
    await shot(page, 'telegram-admin-channels');
    await page.reload();
    await page.getByTestId(`channel-row-Bot ${RUN_ID}`).waitFor();
    check(!(await page.getByTestId('channels-admin').innerText()).includes(shared.secret), 'after a reload the secret is gone');
  });

  const arrived = 'telegram: a customer\'s message becomes a ticket and the acknowledgement with the promise goes back to the chat';
  await step(arrived, async () => {
    const post = (updateId: number, text: string) => fetch(`${base}/api/v1/channels/telegram/${shared.channelId}/webhook`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': shared.secret ?? '' },
      body: JSON.stringify({ update_id: updateId, message: { message_id: 1, date: 0, chat: { id: Number(chatId), type: 'private' }, from: { id: Number(chatId), is_bot: false, first_name: 'Ivan', language_code: 'ru' }, text } }),
    });
    const res = await post(Number(chatId), `Не приходит код подтверждения ${RUN_ID}`);
    const body = (await res.json()) as { status: string; ticket_number: number };
    check(res.status === 200 && body.status === 'ticket_created', `the update made a ticket: ${res.status} ${JSON.stringify(body)}`);
    shared.number = body.ticket_number;
    const ack = await botApi!.waitFor(chatId, new RegExp(`#${body.ticket_number}`));
    check(/Мы ответим до /.test(ack), `the acknowledgement states the promise in Russian: "${ack}"`);
    const again = (await (await post(Number(chatId), `Не приходит код подтверждения ${RUN_ID}`)).json()) as { status: string };
    check(again.status === 'duplicate', 'a redelivered update is dropped');
  }, [connected]);

  await step('telegram: an agent sees the Telegram channel on the ticket and the reply reaches the chat', async () => {
    const agent = await newActor(browser, base);
    const { page } = agent;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.goto(`/tickets/${shared.number}`);
    await page.getByTestId('ticket-page').waitFor();
    const head = await page.locator('.ticket-head .eyebrow').innerText();
    check(/telegram/i.test(head), `the ticket shows its channel: "${head}"`);
    const reply = `Отправили код ещё раз ${RUN_ID}`;
    await page.locator('label').filter({ has: page.getByTestId('mode-public') }).click();
    await page.getByTestId('composer-body').fill(reply);
    await page.getByTestId('composer-send').click();
    await page.getByTestId('timeline-message').filter({ hasText: reply }).waitFor();
    await botApi!.waitFor(chatId, new RegExp(reply));
    await shot(page, 'telegram-ticket');
    await agent.ctx.close();
  }, [arrived]);
  await admin.ctx.close();
}
