// Chat widget journey (issue 20 item 1): a shop page served from a second origin (its own loopback server)
// embeds /widget.js; an admin allows that origin on Admin → Chat widget, a customer starts a chat there, an agent signed in in another browser context answers from
// the ticket page, typing shows both ways, a reload keeps the conversation, and axe passes on the widget.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiAs, check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

/** The third-party page: another origin (localhost:<its port> against the app's 127.0.0.1:<port>). */
async function startShop(base: string, channelId: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>button { all: unset; } * { font-size: 40px !important; color: #000 !important; background: #fff; }</style></head>
<body><main><h1>The shop</h1><p>Buy things.</p></main>
<script src="${base}/widget.js" data-replyby-widget="${channelId}" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function widgetJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const api = await apiAs(base, 'ada@demo.replyby.dev');
  const shared: { shop?: { origin: string; close: () => Promise<void> }; number?: number } = {};
  const customer = await newActor(browser, base);
  const agent = await newActor(browser, base);
  const first = `My parcel never came ${RUN_ID}`;

  const started = 'widget: a customer on another origin sees the wait, fills the pre-chat form and gets the acknowledgement with the promise';
  await step(started, async () => {
    const created = await api<{ id: string }>('POST', '/api/v1/channels', { kind: 'widget', name: `Shop chat ${RUN_ID}`, widget: { title: 'Shop help', allowed_origins: [] } });
    check(created.status === 201, `widget created: ${created.status}`);
    shared.shop = await startShop(base, created.body.id);
    // The admin allows the shop's origin on Admin → Chat widget, by keyboard; the widget works there only after that.
    const admin = await newActor(browser, base);
    watch(admin.page);
    await staffSignIn(admin.page, 'ada@demo.replyby.dev', 'demo1234');
    await admin.page.goto('/admin/chat-widget');
    const row = admin.page.getByTestId(`widget-row-Shop chat ${RUN_ID}`);
    check((await row.innerText()).includes('none — no page may use it'), 'a new widget allows no page');
    await row.getByRole('button', { name: `Edit Shop chat ${RUN_ID}` }).focus();
    await admin.page.keyboard.press('Enter');
    const editor = admin.page.getByRole('form', { name: `Edit Shop chat ${RUN_ID}` });
    await editor.getByLabel('Allowed origins').fill('shop.example/with/a/path');
    await editor.getByLabel('Allowed origins').press('Tab');
    await editor.getByRole('button', { name: 'Save' }).click();
    // A bad origin is named beside the field and keeps the focus there.
    await editor.getByRole('alert').filter({ hasText: 'must be an origin' }).waitFor();
    await editor.getByLabel('Allowed origins').fill(shared.shop.origin);
    await editor.getByLabel('Requests a minute from one address').fill('120');
    await editor.getByLabel('Requests a minute from one address').press('Enter');
    await admin.page.getByTestId('admin-status').filter({ hasText: 'is saved' }).waitFor();
    check((await row.innerText()).includes(shared.shop.origin), 'the list shows the allowed origin');
    const embed = await admin.page.getByTestId(`widget-embed-Shop chat ${RUN_ID}`).getByTestId('widget-embed-code').innerText();
    check(embed.includes(`data-replyby-widget="${created.body.id}"`) && embed.includes('/widget.js'), `the embed tag names the widget: ${embed}`);
    await axe(admin.page, 'admin chat widget');
    await admin.ctx.close();
    const { page } = customer;
    watch(page);
    await page.goto(`${shared.shop.origin}/`);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.click();
    const panel = page.getByRole('dialog', { name: 'Shop help' });
    await panel.waitFor();
    await panel.getByText(/We are online\.|Nobody is on duty/).waitFor();
    // The page's own hostile styles do not reach into the shadow root.
    const size = await panel.getByRole('heading', { name: 'Shop help' }).evaluate((h) => getComputedStyle(h).fontSize);
    check(size === '16px', `the shadow root keeps the page's styles out (heading ${size})`);
    await axe(page, 'widget (pre-chat form)');
    await panel.getByRole('button', { name: 'Start chat' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Please fill in this field.' }).waitFor();
    await panel.getByLabel('Your name').fill('Mia Customer');
    await panel.getByLabel('E-mail (for the transcript)').fill(`mia.${RUN_ID}@customers.example`);
    await panel.getByLabel('How can we help?').fill(first);
    await panel.getByRole('button', { name: 'Start chat' }).click();
    const log = panel.getByRole('log');
    await log.getByText(first).waitFor();
    const ack = log.locator('.msg.system');
    await ack.waitFor({ timeout: 15_000 });
    const text = await ack.innerText();
    const number = /#(\d+)/.exec(text)?.[1];
    check(number && /We will reply by|We received your request/.test(text), `the acknowledgement with the promise is in the chat: "${text}"`);
    shared.number = Number(number);
    await axe(page, 'widget (conversation)');
    await shot(page, 'widget-customer');
  });

  const answered = 'widget: the agent sees the customer typing, types (shown in the widget) and the reply arrives live';
  await step(answered, async () => {
    const { page } = agent;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.goto(`/tickets/${shared.number}`);
    await page.getByTestId('ticket-page').waitFor();
    const head = await page.locator('.ticket-head .eyebrow').innerText();
    check(/widget/i.test(head), `the ticket shows its channel: "${head}"`);
    const widget = customer.page.getByRole('dialog', { name: 'Shop help' });
    await widget.getByLabel('How can we help?').pressSequentially('News, please?', { delay: 30 });
    await page.getByTestId('collision-notice').filter({ hasText: 'Mia Customer' }).waitFor({ timeout: 15_000 });
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.getByRole('log').getByText('News, please?').waitFor();
    await page.getByTestId('timeline-message').filter({ hasText: 'News, please?' }).waitFor({ timeout: 15_000 });
    const reply = `The courier has it, arriving today ${RUN_ID}`;
    await page.locator('label').filter({ has: page.getByTestId('mode-public') }).click();
    await page.getByTestId('composer-body').pressSequentially('The courier', { delay: 30 });
    await widget.getByText('An agent is typing…').waitFor({ timeout: 15_000 });
    await page.getByTestId('composer-body').fill(reply);
    await page.getByTestId('composer-send').click();
    await widget.getByRole('log').locator('.msg.agent').filter({ hasText: reply }).waitFor({ timeout: 20_000 });
    await shot(customer.page, 'widget-reply');
  }, [started]);

  await step('widget: a reload keeps the conversation, each message once', async () => {
    const { page } = customer;
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const log = page.getByRole('dialog', { name: 'Shop help' }).getByRole('log');
    await log.locator('.msg.agent').filter({ hasText: 'The courier has it' }).waitFor();
    const items = await log.locator('.msg').allInnerTexts();
    check(items.filter((i) => i.includes(first)).length === 1 && items.filter((i) => i.includes('News, please?')).length === 1, `each message once after the reload: ${JSON.stringify(items)}`);
    await axe(page, 'widget (after reload)');
  }, [answered]);

  await customer.ctx.close();
  await agent.ctx.close();
  await shared.shop?.close();
}
