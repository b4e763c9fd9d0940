// Display polish journeys (review 2026-12-07 items 15, 16, 17, 22/32, 31): keyboard shortcuts page-wide with a "?"
// list, the queue's density and no clipped column at three screen sizes, the ticket page's height with the next
// clock due on the first screen, no raw instants in the timeline, board and report tables inside their cards.

import type { Browser, Page } from 'playwright-core';
import { check, log, shot, STEP_TIMEOUT_MS, step, watch, type JourneyEnv } from './harness.ts';

async function signedIn(browser: Browser, base: string, width: number, height: number): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width, height } });
  ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => log(`    [page error] ${err.message}`));
  await page.goto('/');
  const form = page.getByTestId('staff-sign-in');
  await form.getByLabel('E-mail').fill('sam@demo.replyby.dev');
  await form.getByLabel('Password').fill('demo1234');
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('current-user').waitFor();
  watch(page);
  return page;
}

/** Cells whose text overflows them, tables scrolling inside their wrapper, and the page's own sideways overflow. */
async function layout(page: Page): Promise<{ rows: number; clipped: string[]; scrolling: number; pageOverflow: number; height: number }> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid^="queue-row-"]')]
      .filter((r) => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= window.innerHeight; }).length;
    const clipped = [...document.querySelectorAll('td, th')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => (c.textContent ?? '').trim().slice(0, 30));
    const scrolling = [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).length;
    const doc = document.documentElement;
    return { rows, clipped, scrolling, pageOverflow: doc.scrollWidth - doc.clientWidth, height: doc.scrollHeight };
  });
}

export async function polishJourneys({ browser, base }: JourneyEnv): Promise<void> {
  await step('polish: the queue shows ≥ 15 one-line tickets at 1440×900, no clipped column at 1440 and 1280, no sideways page at 390', async () => {
    for (const [w, h] of [[1440, 900], [1280, 800], [390, 844]] as const) {
      const page = await signedIn(browser, base, w, h);
      await page.goto('/views/all');
      await page.getByTestId('queue-table').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="queue-row-"]').length >= 20);
      const m = await layout(page);
      log(`    ${w}×${h}: ${m.rows} rows on screen, ${m.clipped.length} clipped cells, ${m.scrolling} scrolling tables, page overflow ${m.pageOverflow} px`);
      await shot(page, `polish-queue-${w}`);
      if (w === 1440) check(m.rows >= 15, `only ${m.rows} tickets on a 1440×900 screen`);
      if (w >= 1280) check(m.clipped.length === 0 && m.scrolling === 0, `cut off at ${w}: ${m.clipped.join(' | ')} (${m.scrolling} tables scroll)`);
      check(m.clipped.length === 0, `cells overflow at ${w}: ${m.clipped.join(' | ')}`);
      check(m.pageOverflow <= 0, `the page scrolls sideways by ${m.pageOverflow} px at ${w}`);
      if (w === 390) {
        const bar = await page.evaluate(() => [...document.querySelectorAll('.topbar *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length);
        check(bar === 0, `${bar} top-bar elements stick out at 390 px`);
      }
      await page.context().close();
    }
  });

  await step('polish: shortcuts work page-wide (j/k, /, ?) and stay out of the way while typing', async () => {
    const page = await signedIn(browser, base, 1280, 900);
    await page.goto('/views/all_open');
    await page.getByTestId('queue-table').waitFor();
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.number ?? document.activeElement?.tagName ?? '');
    const rows = await page.locator('[data-testid^="queue-row-"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.number));
    check(rows.length >= 2, 'fewer than two tickets in the queue');
    // Nothing focused: the page itself gets the keys.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('j');
    check(await focused() === rows[0], `j from the page focused ${await focused()}, not the first ticket`);
    await page.keyboard.press('j');
    check(await focused() === rows[1], 'j did not move to the next ticket');
    await page.keyboard.press('k');
    check(await focused() === rows[0], 'k did not move back');
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-help');
    await help.waitFor();
    check((await help.innerText()).includes('search'), 'the shortcut list does not name /');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    check(await page.evaluate(() => document.activeElement?.id === 'queue-search'), '/ did not focus the search');
    await page.keyboard.type('jk');
    check((await page.getByTestId('queue-filter').inputValue()) === 'jk', 'typing j/k in the search was taken as shortcuts');
    await page.context().close();
  });

  await step('polish: the ticket page at 1440×900 keeps the next clock due on the first screen, tools behind tabs, no raw UTC in the timeline', async () => {
    const page = await signedIn(browser, base, 1440, 900);
    await page.goto('/views/all_open');
    await page.getByTestId('queue-table').waitFor();
    const first = await page.locator('[data-testid^="queue-row-"]').first().getAttribute('data-number');
    await page.goto(`/tickets/${first}`);
    await page.getByTestId('timeline').waitFor();
    const due = page.getByTestId('next-due-head');
    await due.waitFor();
    const box = await due.boundingBox();
    check(box !== null && box.y + box.height <= 900, `the next clock due is below the first screen (${box?.y})`);
    check((await page.getByTestId('ticket-tools').count()) === 0 || !(await page.getByTestId('ticket-tools').isVisible()), 'the tools stand expanded');
    const m = await layout(page);
    log(`    ticket #${first}: ${m.height} px tall, next due "${(await due.innerText()).replace(/\s+/g, ' ')}"`);
    check(m.height <= 2 * 900, `the ticket page is ${m.height} px tall`);
    const timeline = await page.getByTestId('timeline').innerText();
    check(!/\d{4}-\d\d-\d\dT\d\d:\d\d/.test(timeline), `a raw instant in the timeline: ${/.{40}\d{4}-\d\d-\d\dT\d\d:\d\d.{10}/.exec(timeline)?.[0]}`);
    await page.getByTestId('ticket-tab-tools').click();
    await page.getByTestId('ticket-tools').waitFor();
    await page.getByTestId('ticket-tab-sla').click();
    await page.getByTestId('sla-panel').waitFor();
    await shot(page, 'polish-ticket');
    await page.context().close();
  });

  await step('polish: board and report tables fit their cards at 1440 px; agents show load against capacity', async () => {
    const page = await signedIn(browser, base, 1440, 900);
    for (const path of ['/board', '/reports']) {
      await page.goto(path);
      await page.locator('table').first().waitFor();
      await page.waitForTimeout(500);
      const m = await layout(page);
      const spill = await page.evaluate(() => [...document.querySelectorAll('table')]
        .filter((t) => { const card = t.closest('.panel'); return !!card && t.getBoundingClientRect().right > card.getBoundingClientRect().right + 1; }).length);
      check(spill === 0 && m.scrolling === 0 && m.clipped.length === 0, `${path}: ${spill} tables spill, ${m.scrolling} scroll, clipped ${m.clipped.join(' | ')}`);
      await shot(page, `polish${path.replace('/', '-')}`);
    }
    await page.goto('/board');
    await page.getByTestId('board-agents').waitFor();
    const heads = await page.getByTestId('board-agents').locator('thead').innerText();
    check(/capacity/i.test(heads), `no capacity column: ${heads}`);
    await page.context().close();
  });
}
