// Agent workspace journeys (issue 10): live queue across browsers, language switch, keyboard-only triage,
// collision notice, closed ticket → follow-up, axe-core on each main screen, 390 px portal and form.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { check, log, newActor, ROOT, RUN_ID, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page; fails on any serious or critical violation (WCAG 2 A/AA rules). */
export async function axe(page: Page, screen: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(serious.length === 0, `axe on ${screen}: ${JSON.stringify(serious)}`);
  log(`    axe ${screen}: 0 serious (${found.length} minor)`);
}

/** The page's text without people's and tickets' own data (names, subjects), which no language switch changes. */
async function uiText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.data, [data-testid="current-user"], [data-testid="queue-subject"], option').forEach((e) => e.remove());
    return copy.innerText || copy.textContent || '';
  });
}

function flatten(obj: unknown, out: string[] = []): string[] {
  if (typeof obj === 'string') out.push(obj);
  else if (obj && typeof obj === 'object') for (const v of Object.values(obj)) flatten(v, out);
  return out;
}

async function submitForm(base: string, subject: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/public/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Kim Keyboard', email: `kim.${RUN_ID}@example.com`, subject, message: 'Please help', type: 'technical_question' }),
  });
  const body = (await res.json()) as { number: number };
  check(res.status === 201, `web form answered ${res.status}`);
  return body.number;
}

export async function workspaceJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const customer = await newActor(browser, base);
  const alex = await newActor(browser, base);
  const chen = await newActor(browser, base);
  const sam = await newActor(browser, base);

  await step('a ticket sent from one browser appears in another agent’s open queue without a reload', async () => {
    watch(chen.page);
    await staffSignIn(chen.page, 'chen@demo.replyby.dev', 'demo1234');
    await chen.page.goto('/views/all_open');
    await chen.page.getByTestId('queue-table').waitFor();
    await chen.page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    await chen.page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const before = await chen.page.getByTestId('count-all_open').innerText();
    const subject = `Live queue ${RUN_ID}`;
    await customer.page.goto('/support');
    const form = customer.page.getByTestId('support-form');
    await form.getByLabel('Your name').fill('Lee Live');
    await form.getByLabel('E-mail').fill(`lee.${RUN_ID}@example.com`);
    await form.getByLabel('Subject').fill(subject);
    await form.getByLabel('Message').fill('Does the queue update by itself?');
    const t0 = Date.now();
    await customer.page.getByTestId('submit-request').click();
    await customer.page.getByTestId('ticket-number').waitFor();
    const created = Date.now();
    await chen.page.getByText(subject).waitFor({ timeout: 5000 });
    const shown = Date.now();
    log(`    row appeared ${shown - created} ms after the form's answer (${shown - t0} ms after the click)`);
    check(await chen.page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true), 'the page was reloaded');
    await chen.page.waitForFunction((b) => document.querySelector('[data-testid="count-all_open"]')?.textContent !== b, before, { timeout: 5000 });
  });

  await step('the language switch changes every visible string of the queue, and back', async () => {
    const { page } = alex;
    watch(page);
    await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
    await page.goto('/views/all_open');
    await page.getByTestId('queue-table').waitFor();
    const en = [...flatten(JSON.parse(readFileSync(join(ROOT, 'web/src/locales/en/common.json'), 'utf8'))),
      ...flatten(JSON.parse(readFileSync(join(ROOT, 'web/src/locales/en/workspace.json'), 'utf8')))];
    const ru = new Set([...flatten(JSON.parse(readFileSync(join(ROOT, 'web/src/locales/ru/common.json'), 'utf8'))),
      ...flatten(JSON.parse(readFileSync(join(ROOT, 'web/src/locales/ru/workspace.json'), 'utf8')))]);
    // UI strings (no placeholders, not the same in Russian) seen in English…
    const candidates = en.filter((s) => !s.includes('{{') && s.length > 2 && !ru.has(s));
    const textEn = await uiText(page);
    const seen = candidates.filter((s) => textEn.includes(s));
    check(seen.length >= 10, `only ${seen.length} UI strings found on the English queue`);
    await page.getByTestId('language-switch').selectOption('ru');
    try {
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    await page.getByText('Все открытые').first().waitFor();
    const textRu = await uiText(page);
    // …and none of them left after switching (ticket data such as subjects is not UI text).
    const left = seen.filter((s) => new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\p{L}]|$)`, 'u').test(textRu));
    check(left.length === 0, `still in English after switching: ${JSON.stringify(left)}`);
    check((await page.title()).includes('Все открытые'), `page title not translated: ${await page.title()}`);
    // the choice is on the profile: a reload keeps Russian
    await page.reload();
    await page.getByText('Все открытые').first().waitFor();
    } finally {
      await page.getByTestId('language-switch').selectOption('en');
      await page.getByText('All open').first().waitFor();
    }
  });

  await step('keyboard only: triage three tickets (assign to me with j/k/a), open one, reply with r', async () => {
    const { page } = alex;
    watch(page);
    const subjects = [1, 2, 3].map((i) => `Keyboard ${i} ${RUN_ID}`);
    const numbers: number[] = [];
    for (const s of subjects) numbers.push(await submitForm(base, s));
    await page.goto(`/views/unassigned?q=${encodeURIComponent(`Keyboard ${RUN_ID}`)}&sort=number`);
    for (const n of numbers) await page.getByTestId(`queue-row-${n}`).waitFor();
    // one tab stop per table (a roving tabindex over the rows); ArrowDown from the search box enters it
    const stops = await page.evaluate(() => document.querySelectorAll('tbody [tabindex="0"], tbody a:not([tabindex="-1"]), tbody input:not([tabindex="-1"])').length);
    check(stops === 1, `${stops} tab stops in the queue's rows`);
    await page.getByTestId('queue-filter').focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-number'));
    check(focused === String(numbers[0]), `Tab from search focused ${focused}, expected row ${numbers[0]}`);
    await page.keyboard.press('a');
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    // assigned tickets leave "Unassigned" live; in "My tickets" all three are there
    await page.goto(`/views/mine?q=${encodeURIComponent(`Keyboard ${RUN_ID}`)}&sort=number`);
    for (const n of numbers) await page.getByTestId(`queue-row-${n}`).waitFor();
    await page.getByTestId('queue-filter').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-page').waitFor();
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer-body');
    await page.keyboard.type(`Keyboard reply ${RUN_ID}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('composer-sent').waitFor();
    await page.getByText(`Keyboard reply ${RUN_ID}`).first().waitFor();
  });

  await step('two agents on one ticket see each other (collision notice); the ticket updates live', async () => {
    watch(chen.page);
    const n = await submitForm(base, `Collision ${RUN_ID}`);
    await alex.page.goto(`/tickets/${n}`);
    await chen.page.goto(`/tickets/${n}`);
    await chen.page.getByTestId('collision-notice').filter({ hasText: 'Alex' }).waitFor();
    await alex.page.locator('label').filter({ has: alex.page.getByTestId('mode-internal') }).click();
    await alex.page.getByTestId('composer-body').fill(`Seen live ${RUN_ID}`);
    await chen.page.getByTestId('collision-notice').filter({ hasText: 'typing' }).waitFor();
    await alex.page.getByTestId('composer-send').click();
    await chen.page.getByText(`Seen live ${RUN_ID}`).waitFor({ timeout: 5000 });
  });

  await step('a closed ticket has no reply box, offers a follow-up, and names its zone in every time', async () => {
    const { page } = alex;
    watch(page);
    const n = await submitForm(base, `Closing ${RUN_ID}`);
    await page.goto(`/tickets/${n}`);
    await page.getByTestId('field-status').selectOption('solved');
    await page.getByTestId('properties-status').filter({ hasText: /Saved/ }).waitFor();
    await page.getByTestId('field-status').selectOption('closed');
    await page.getByTestId('follow-up').waitFor();
    check((await page.getByTestId('composer').count()) === 0, 'a closed ticket still shows the reply box');
    const due = await page.getByTestId('sla-panel').innerText();
    check(!/\d+d\b/.test(due.split('Business hours left')[1] ?? ''), `business time in days: ${due}`);
    const eyebrow = await page.locator('.ticket-head .eyebrow').innerText();
    check(/GMT|UTC|CET|CEST|[+-]\d/.test(eyebrow), `time without a zone: ${eyebrow}`);
    await page.getByTestId('follow-up-body').fill('Still broken after the fix');
    await page.getByTestId('follow-up-submit').click();
    await page.waitForURL((u) => !u.pathname.endsWith(`/tickets/${n}`));
    await page.getByTestId('composer').waitFor();
  });

  await step('axe-core: no serious violations on the queue, a ticket, the board, sign-in, form and portal', async () => {
    watch(alex.page);
    await alex.page.goto('/views/all_open');
    await alex.page.getByTestId('queue-table').waitFor();
    await axe(alex.page, 'queue');
    await alex.page.locator('[data-testid^="queue-row-"]').first().press('Enter');
    await alex.page.getByTestId('ticket-page').waitFor();
    await axe(alex.page, 'ticket');
    watch(sam.page);
    await staffSignIn(sam.page, 'sam@demo.replyby.dev', 'demo1234');
    await sam.page.goto('/board');
    await sam.page.getByTestId('board-agents').waitFor();
    check((await sam.page.getByTestId('board-agents').textContent())?.includes('Alex Agent'), 'board lists agents');
    await axe(sam.page, 'board');
    const anon = await newActor(browser, base);
    watch(anon.page);
    await anon.page.goto('/');
    await anon.page.getByTestId('staff-sign-in').waitFor();
    await axe(anon.page, 'staff sign-in');
    await anon.ctx.close();
  });

  await step('390 px: the web form and the portal fit the screen; pages have their own titles', async () => {
    const narrow = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 } });
    const page = await narrow.newPage();
    watch(page);
    for (const path of ['/support', '/portal']) {
      await page.goto(path);
      await page.locator('form').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      check(width <= 390, `${path} is ${width} px wide at 390 px`);
      await axe(page, `${path} at 390 px`);
    }
    await narrow.close();
    const titles = new Set<string>();
    for (const path of ['/views/all_open', '/views/mine', '/profile']) {
      await alex.page.goto(path);
      await alex.page.waitForTimeout(300);
      titles.add(await alex.page.title());
    }
    check(titles.size === 3, `page titles not distinct: ${[...titles].join(' | ')}`);
  });

  for (const a of [customer, alex, chen, sam]) await a.ctx.close();
}
