// Browser journeys for the promise (issue 11, review items 1–3): a ru-RU / Europe/Moscow customer
// sees the commitments in Russian before sending, cannot choose the staff-only type "urgent", states
// an urgency, and sees the promised time on the confirmation and on the portal's ticket page in
// Moscow time — where the review found it on no screen at all, and only in UTC in the mail.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { step, type JourneyEnv } from './harness.ts';
import { signInPathIn } from './mailbox.ts';


function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

const RUN = Date.now().toString(36).slice(-6);
const H = 3_600_000;

/** "HH:MM" of an instant in a zone: the part of the rendering that both ICU builds agree on. */
const hhmm = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));

async function actor(browser: Browser, base: string, locale: string, timezoneId: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: base, locale, timezoneId, viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20_000);
  return { ctx, page: await ctx.newPage() };
}

export async function promiseJourneys({ browser, base, mailbox }: JourneyEnv): Promise<void> {
  const ru = await actor(browser, base, 'ru-RU', 'Europe/Moscow');
  const en = await actor(browser, base, 'en-US', 'America/New_York');
  const email = `olga.${RUN}@example.com`;
  let number = 0;
  let promisedAt = '';

  await step('promise: the form publishes commitments in English and offers no "urgent" type', async () => {
    const { page } = en;
    await page.goto('/support');
    const panel = page.getByTestId('commitments');
    await panel.getByText('When you will hear from us').waitFor();
    check((await page.getByTestId('commitment-technical_question').innerText()).includes('within 24 hours'), 'technical question: within 24 hours');
    check((await page.getByTestId('commitment-suggestion').innerText()).includes('within 72 hours'), 'suggestion: within 72 hours');
    check((await page.getByTestId('commitment-critical').innerText()).includes('within 2 hours'), 'critical: within 2 hours');
    const types = await page.getByTestId('support-form').getByLabel('Request type').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    check(types.includes('technical_question') && !types.includes('urgent'), `customer-selectable types: ${types.join(', ')}`);
  });

  await step('promise: a ru-RU customer in Moscow sees commitments in Russian and the promised time in Moscow time', async () => {
    const { page } = ru;
    await page.goto('/support');
    await page.getByTestId('commitments').getByText('Когда мы ответим').waitFor();
    check((await page.getByTestId('commitment-technical_question').innerText()).includes('в течение 24 часов'), 'ru: technical within 24 hours');
    const form = page.getByTestId('support-form');
    // The whole form speaks Russian (labels included), not only the promise — its error messages too.
    await form.getByLabel('Ваше имя').fill('Ольга');
    await form.getByLabel('Эл. почта').fill('olga-at-example');
    await page.getByTestId('submit-request').click();
    await form.getByText('Нужен адрес электронной почты').waitFor();
    check((await form.getByText('Обязательное поле.').count()) === 2, 'subject and message are marked required in Russian');
    await form.getByLabel('Эл. почта').fill(email);
    await form.getByLabel('Тип обращения').selectOption('technical_question');
    await form.getByLabel('Насколько срочно?').selectOption('high');
    await form.getByLabel('Тема').fill(`Экспорт не работает ${RUN}`);
    await form.getByLabel('Сообщение').fill('Экспорт CSV падает с ошибкой 502, нужна помощь.');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/public/requests') && r.request().method() === 'POST');
    await page.getByTestId('submit-request').click();
    const body = (await (await answer).json()) as { number: number; promise: { promised_at: string; clock: string } | null };
    const promise = body.promise;
    check(promise, 'the API answer carries the promise');
    number = body.number;
    promisedAt = promise.promised_at;
    const wait = Date.parse(promisedAt) - Date.now();
    // The demo's technical questions: 24 wall-clock hours (a deep queue may only make it later).
    check(promise.clock === 'calendar' && wait > 0 && wait >= 24 * H - 5 * 60_000, `a 24-hour calendar promise, got ${JSON.stringify(promise)}`);
    const notice = page.getByTestId('promise-notice');
    await notice.waitFor();
    const text = await notice.innerText();
    check(text.includes('Мы ответим до'), `confirmation states the promise in Russian: "${text}"`);
    const shown = await page.getByTestId('promised-at').innerText();
    check(shown.includes(hhmm(promisedAt, 'Europe/Moscow')), `promised time in Moscow time (${hhmm(promisedAt, 'Europe/Moscow')}), shown "${shown}"`);
    check(!shown.includes(hhmm(promisedAt, 'UTC')), `promised time is not UTC: "${shown}"`);
    check((await page.getByTestId('promise-target').innerText()).includes('24 часов'), 'says "within 24 hours" in Russian');
  });

  await step('promise: the portal ticket page states the promise in the customer\'s zone', async () => {
    const { page } = ru;
    const ack = await mailbox.waitFor(email, /\/api\/v1\/portal\/magic\/rbm_/);
    const link = signInPathIn(ack);
    check(link, 'sign-in link in the acknowledgement');
    await page.goto(link);
    await page.waitForURL(`**/portal/tickets/${number}`);
    const notice = page.getByTestId('promise-notice');
    await notice.waitFor();
    const shown = await page.getByTestId('promised-at').innerText();
    // A contact created by the form has no stored zone yet (UTC): the browser's own is used then.
    check(shown.includes(hhmm(promisedAt, 'Europe/Moscow')), `portal shows the promise in Moscow time (${hhmm(promisedAt, 'Europe/Moscow')}): "${shown}"`);
    check((await notice.innerText()).includes('Мы ответим до'), 'portal states the promise in Russian');
  }, ['promise: a ru-RU customer in Moscow sees commitments in Russian and the promised time in Moscow time']);

  await step('portal: the Russian customer\'s portal shows its headings, labels and statuses in Russian', async () => {
    const { page } = ru;
    await page.goto(`/portal/tickets/${number}`);
    await page.getByTestId('portal-ticket-head').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Переписка' }).waitFor();
    await page.getByTestId('portal-reply').getByLabel('Ваш ответ').waitFor();
    check(await page.getByTestId('portal-reply').getByRole('button', { name: 'Отправить ответ' }).isVisible(), 'reply button in Russian');
    const eyebrow = (await page.getByTestId('portal-ticket-head').locator('.eyebrow').textContent()) ?? '';
    check(eyebrow.includes('создано'), `the opened date is labelled in Russian: "${eyebrow}"`);
    await page.goto('/portal');
    const h1 = await page.getByRole('heading', { level: 1 }).innerText();
    check(h1 === 'Мои обращения', `the list heading is in Russian: "${h1}"`);
    await page.getByRole('navigation').getByRole('link', { name: 'Новое обращение' }).waitFor();
    const count = await page.getByTestId('portal-count').innerText();
    check(/^\d+ обращени(е|я|й)$/.test(count), `the request count uses a Russian plural: "${count}"`);
    check(await page.getByTestId('language-switch').inputValue() === 'ru', 'the header\'s language switch shows Russian');
  }, ['promise: the portal ticket page states the promise in the customer\'s zone']);

  await closureJourneys({ browser, base, mailbox }, ru, en, email, () => number);

  await ru.ctx.close();
  await en.ctx.close();
}

/** A staff API session (Bearer) for the steps an agent takes between the customer's screens. */
async function staffApi(base: string): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>> {
  const res = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'sam@demo.replyby.dev', password: 'demo1234' }) });
  const { token } = (await res.json()) as { token: string };
  return async (method, path, body) => {
    const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  };
}

const confirmPathIn = (text: string, answer: string): string | null => new RegExp(`https?://\\S+?(/portal/confirm/rbc_[A-Za-z0-9_-]+\\?answer=${answer})`).exec(text)?.[1] ?? null;

// Confirmed closure (issue 11): the "is it solved?" mail's link opens a page (a GET changes nothing)
// whose button answers; the portal's ticket page asks the same; an organization manager's list says
// who raised each request and filters open / closed.
async function closureJourneys({ browser, base, mailbox }: JourneyEnv, ru: { page: Page }, en: { page: Page }, email: string, ticketNumber: () => number): Promise<void> {
  const promiseStep = 'promise: the portal ticket page states the promise in the customer\'s zone';
  let api: Awaited<ReturnType<typeof staffApi>> | null = null;

  await step('closure: the mail\'s "not solved" link opens a page; only its button reopens the request', async () => {
    api = await staffApi(base);
    const n = ticketNumber();
    const before = mailbox.all().length;
    check((await api('PATCH', `/api/v1/tickets/${n}`, { status: 'solved' })).status === 200, 'staff solve the request');
    const mail = await mailbox.waitFor(email, /\/portal\/confirm\/rbc_/, before);
    const solvedLink = confirmPathIn(mail.text, 'solved');
    const notSolvedLink = confirmPathIn(mail.text, 'not_solved');
    check(solvedLink && notSolvedLink, `two one-click links in the mail: ${mail.text}`);
    // A fresh browser, as from the mail client: no portal session.
    const visitor = await browser.newContext({ baseURL: base, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    try {
      const page = await visitor.newPage();
      await page.goto(notSolvedLink);
      await page.getByTestId('closure-link-page').waitFor();
      check((await page.getByTestId('closure-subject').innerText()).includes(`#${n}`), 'the page names the request');
      check((await page.getByTestId('closure-panel').innerText()).includes('Ваша проблема решена?'), 'asks in Russian');
      check((await api('GET', `/api/v1/tickets/${n}`)).body.status === 'solved', 'opening the link changed nothing');
      await page.getByTestId('closure-comment').fill('Экспорт всё ещё падает');
      await page.getByTestId('closure-submit').click();
      await page.getByTestId('closure-done').getByText('Мы снова открыли запрос').waitFor();
      const tk = (await api('GET', `/api/v1/tickets/${n}`)).body;
      check(tk.status === 'open' && tk.stage === 'diagnosis', `reopened into diagnosis: ${tk.status}/${tk.stage}`);
      // The link is spent: opening it again says so.
      await page.goto(solvedLink);
      await page.getByTestId('closure-not-answerable').waitFor();
    } finally {
      await visitor.close();
    }
  }, [promiseStep]);

  await step('closure: on the portal the requester confirms "solved" with a rating; the request closes', async () => {
    const n = ticketNumber();
    if (!api) throw new Error('no staff session');
    check((await api('PATCH', `/api/v1/tickets/${n}`, { status: 'solved' })).status === 200, 'staff solve it again');
    const { page } = ru;
    await page.goto(`/portal/tickets/${n}`);
    const panel = page.getByTestId('closure-panel');
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Решено', exact: true }).click();
    await page.getByTestId('rating-5').check();
    await page.getByTestId('closure-submit').click();
    await page.getByTestId('closure-done').getByText('Спасибо! Запрос закрыт.').waitFor();
    await page.getByTestId('ticket-status').getByText('Закрыто').waitFor();
    // a closed request takes no more replies: no reply box that would fail, a way to a new request instead (review item 7)
    await page.getByTestId('portal-closed').getByRole('link', { name: 'Отправьте новый запрос' }).waitFor();
    check((await page.getByTestId('portal-reply').count()) === 0, 'a closed request still offers a reply box');
    const tk = (await api('GET', `/api/v1/tickets/${n}`)).body;
    check(tk.status === 'closed' && tk.stage === 'quality_check', `closed into quality_check: ${tk.status}/${tk.stage}`);
    const report = (await api('GET', '/api/v1/reports/closures')).body;
    check(report.confirmed >= 1 && report.reopened >= 1 && report.rated >= 1, `closure report counts both answers: ${JSON.stringify(report)}`);
  }, ['closure: the mail\'s "not solved" link opens a page; only its button reopens the request']);

  await step('closure: an organization manager\'s list says who raised each request and filters open / closed', async () => {
    const { page } = en;
    await page.goto('/portal');
    await page.getByTestId('portal-sign-in').getByLabel('E-mail').fill('anna@acme.example');
    await page.getByTestId('portal-sign-in').getByLabel('Password').fill('demo1234');
    await page.getByTestId('portal-sign-in').getByRole('button', { name: 'Sign in', exact: true }).click();
    const list = page.getByTestId('portal-tickets');
    await list.waitFor();
    const raisedBy = await list.getByTestId('raised-by').allInnerTexts();
    check(raisedBy.length > 0 && raisedBy.every((r) => r.startsWith('Raised by: ')), `every row says who raised it: ${raisedBy.join(' | ')}`);
    check(raisedBy.some((r) => !r.endsWith('you')), `the manager sees colleagues' requests by name: ${raisedBy.join(' | ')}`);
    const all = raisedBy.length;
    const closedLoaded = page.waitForResponse((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('status=solved%2Cclosed'));
    await page.getByTestId('portal-filter-closed').click();
    await closedLoaded;
    await page.waitForURL('**/portal?status=closed');
    await page.getByTestId('portal-tickets').or(page.getByText('You have no requests yet.')).waitFor();
    const closedBadges = await page.getByTestId('portal-tickets').locator('.badge').allInnerTexts().catch(() => [] as string[]);
    check(closedBadges.every((b) => b === 'Solved' || b === 'Closed'), `closed filter shows only solved/closed: ${closedBadges.join(', ')}`);
    const openLoaded = page.waitForResponse((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('status=new%2Copen'));
    await page.getByTestId('portal-filter-open').click();
    await openLoaded;
    await page.waitForURL('**/portal?status=open');
    await page.getByTestId('portal-tickets').or(page.getByText('You have no requests yet.')).waitFor();
    const openBadges = await page.getByTestId('portal-tickets').locator('.badge').allInnerTexts().catch(() => [] as string[]);
    check(openBadges.every((b) => b !== 'Solved' && b !== 'Closed'), `open filter shows no solved/closed: ${openBadges.join(', ')}`);
    check(all > 0 && closedBadges.length > 0 && openBadges.length > 0, `both filters find the organization's requests (all ${all}, open ${openBadges.length}, closed ${closedBadges.length})`);
  });
}
