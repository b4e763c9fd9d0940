// Browser journey for the acknowledgement (issue 8): a customer with a ru-RU browser in Moscow sends the web
// form; the acknowledgement that reaches the loopback mailbox is in Russian, names the ticket and promises
// the same instant the confirmation screen shows, in Moscow time. Her reply to that mail, sent over SMTP to
// the server's own listener, threads into the same ticket (no second ticket, no second acknowledgement),
// and the portal shows her new words without the quoted acknowledgement.

import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { check, log, newActor, RUN_ID, staffSignIn, step, STEP_TIMEOUT_MS, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';
import { signInPathIn, type Mail } from './mailbox.ts';

/** "HH:MM" of an instant in a zone. */
const hhmm = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));
/** The day of the month of an instant in a zone. */
const dayOfMonth = (iso: string, timeZone: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', timeZone }).format(new Date(iso));

async function russianInMoscow(browser: Browser, base: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: base, locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => log(`    [page error] ${err.message}`));
  watch(page);
  return { ctx, page };
}

export async function emailJourneys({ browser, base, mailbox, smtp }: JourneyEnv): Promise<void> {
  const { ctx, page } = await russianInMoscow(browser, base);
  const email = `svetlana.${RUN_ID}@example.com`;
  const subject = `Не приходит код подтверждения ${RUN_ID}`;
  let number = 0;
  let ack: Mail | null = null;
  const sent = 'email: a ru-RU customer in Moscow sends the web form; the acknowledgement reaches her mailbox in Russian, with the number and the promised time of the confirmation screen, in Moscow time';

  await step(sent, async () => {
    await page.goto('/support');
    const form = page.getByTestId('support-form');
    await form.getByLabel('Ваше имя').fill('Светлана');
    await form.getByLabel('Эл. почта').fill(email);
    await form.getByLabel('Тип обращения').selectOption('technical_question');
    await form.getByLabel('Тема').fill(subject);
    await form.getByLabel('Сообщение').fill('Здравствуйте! Уже час не приходит SMS с кодом подтверждения, войти в личный кабинет не получается.');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/public/requests') && r.request().method() === 'POST');
    await page.getByTestId('submit-request').click();
    const body = (await (await answer).json()) as { number: number; display_number: string; promise: { promised_at: string } | null };
    check(body.promise, 'the API answer carries the promise');
    number = body.number;
    const promisedAt = body.promise.promised_at;
    const moscow = hhmm(promisedAt, 'Europe/Moscow');
    const day = dayOfMonth(promisedAt, 'Europe/Moscow');

    // What the confirmation screen shows.
    const shownNumber = (await page.getByTestId('ticket-number').innerText()).trim();
    check(shownNumber.includes(String(number)), `confirmation shows the number ${number}: "${shownNumber}"`);
    const shownAt = await page.getByTestId('promised-at').innerText();
    check(shownAt.includes(moscow) && new RegExp(`\\b${day}\\b`).test(shownAt), `confirmation shows ${day} … ${moscow} (Moscow): "${shownAt}"`);

    // What the mail says.
    ack = await mailbox.waitFor(email, /Мы ответим до/);
    log(`    acknowledgement: "${ack.subject}" / "${ack.text.split('\n').find((l) => l.startsWith('Мы ответим')) ?? ''}"`);
    check(ack.subject.includes(`#${number}`) && ack.subject.includes(subject), `subject names the ticket: "${ack.subject}"`);
    check(ack.text.startsWith('Здравствуйте, Светлана!'), `Russian greeting: "${ack.text.slice(0, 40)}"`);
    check(ack.text.includes(`Мы получили ваше обращение #${number}`), 'the body names the ticket number in Russian');
    const promiseLine = ack.text.split('\n').find((l) => l.startsWith('Мы ответим до')) ?? '';
    check(promiseLine.includes(`${moscow} (Europe/Moscow)`), `promise in Moscow time ${moscow}: "${promiseLine}"`);
    check(new RegExp(`\\b${day}\\b`).test(promiseLine), `promise on day ${day} as on the screen: "${promiseLine}"`);
    const target = (await page.getByTestId('promise-target').innerText()).trim();
    const amount = /(\d+\s+[^\s()]+)\)?$/.exec(target)?.[1] ?? target;
    check(promiseLine.includes(`в течение ${amount}`), `the commitment as on the screen ("${target}"): "${promiseLine}"`);
    if (moscow !== hhmm(promisedAt, 'UTC')) check(!promiseLine.includes(hhmm(promisedAt, 'UTC')), `no UTC time in the promise: "${promiseLine}"`);
    check(!/\bwe\b|Channel|Api\b|\{\{/.test(ack.text), 'no English, no channel label, no raw placeholder in the Russian mail');
  });

  const replied = 'email: her reply to the acknowledgement, over SMTP, threads into the same ticket; the portal shows the new part with the quote folded';
  await step(replied, async () => {
    check(smtp, 'the e2e server runs its SMTP listener (REPLYBY_SMTP_PORT)');
    check(ack?.messageId, 'the acknowledgement has a Message-ID');
    const before = mailbox.all().length;
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    const quoted = ack.text.split('\n').map((l) => `&gt; ${l}`).join('<br>');
    const info = await client.sendMail({
      from: `Светлана <${email}>`, to: smtp.supportAddress, subject: `Re: ${ack.subject}`,
      inReplyTo: ack.messageId, references: [ack.messageId],
      text: `Код так и не пришёл, номер телефона +7 900 000-00-00.\n\nOn ${new Date().toUTCString()}, Support wrote:\n${ack.text.split('\n').map((l) => `> ${l}`).join('\n')}`,
      html: `<div dir="ltr">Код так и не пришёл, номер телефона <b>+7 900 000-00-00</b>.</div><br><div class="gmail_quote"><div class="gmail_attr">On ${new Date().toUTCString()}, Support wrote:<br></div><blockquote class="gmail_quote">${quoted}</blockquote></div>`,
      attachments: [{ filename: 'скриншот-ошибки.txt', content: `SMS gateway error 503 ${RUN_ID}\n`, contentType: 'text/plain' }],
    });
    client.close();
    check(/^250/.test(info.response), `the listener accepted the reply: ${info.response}`);
    // Signed in through the acknowledgement's link, she sees the ticket's conversation.
    const link = signInPathIn(ack);
    check(link, 'sign-in link in the acknowledgement');
    await page.goto(link);
    await page.waitForURL(`**/portal/tickets/${number}`);
    const messages = page.getByTestId('timeline-message');
    await messages.filter({ hasText: 'Код так и не пришёл' }).first().waitFor();
    check((await messages.count()) === 2, `two messages on ticket ${number} (request and reply), found ${await messages.count()}`);
    const replyText = await messages.nth(1).innerText();
    check(!replyText.includes('Мы получили ваше обращение'), `the quoted acknowledgement is not shown as her words: "${replyText.slice(0, 200)}"`);
    // her attachment is listed under her message and downloads with its content
    const file = messages.nth(1).getByTestId('attachments').getByRole('link', { name: 'скриншот-ошибки.txt' });
    await file.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    const body = readFileSync(await download.path(), 'utf8');
    check(body.includes(`SMS gateway error 503 ${RUN_ID}`), `the downloaded attachment holds what she sent: ${body.slice(0, 80)}`);
    // No second ticket: no second acknowledgement reaches her.
    await page.waitForTimeout(2500);
    const later = mailbox.all().slice(before).filter((m) => m.to.includes(email));
    check(later.length === 0, `no new mail to her after the reply (got ${later.map((m) => m.subject).join(', ')})`);
  }, [sent]);

  await step('email: the agent sees her reply without the quote, and "Show quoted text" reveals the folded history', async () => {
    const agent = await newActor(browser, base);
    watch(agent.page);
    try {
      await staffSignIn(agent.page, 'alex@demo.replyby.dev', 'demo1234');
      await agent.page.goto(`/tickets/${number}`);
      const reply = agent.page.getByTestId('timeline-message').filter({ hasText: 'Код так и не пришёл' });
      await reply.waitFor();
      check(!(await reply.locator('.tl-body').innerText()).includes('Мы получили ваше обращение'), 'the quote is part of the message body');
      check((await reply.getByTestId('quoted-text').count()) === 0, 'the quoted text is shown before the toggle');
      const toggle = reply.getByRole('button', { name: 'Show quoted text' });
      check((await toggle.getAttribute('aria-expanded')) === 'false', 'the toggle does not say it is closed');
      await toggle.focus();
      await agent.page.keyboard.press('Enter');
      await reply.getByTestId('quoted-text').filter({ hasText: 'Мы получили ваше обращение' }).waitFor();
      check((await reply.getByRole('button', { name: 'Hide quoted text' }).getAttribute('aria-expanded')) === 'true', 'the open toggle does not say so');
      await axe(agent.page, 'ticket with quoted text open');
      await reply.getByRole('button', { name: 'Hide quoted text' }).click();
      await reply.getByTestId('quoted-text').waitFor({ state: 'detached' });
      await reply.getByTestId('attachments').getByRole('link', { name: 'скриншот-ошибки.txt' }).waitFor();
    } finally {
      await agent.ctx.close();
    }
  }, [replied]);

  await ctx.close();
}
