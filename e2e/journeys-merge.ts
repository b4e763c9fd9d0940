// Browser journeys for review 2026-12-07 items 8, 27 and 28: merging two customers' requests warns with both
// names before confirming, and afterwards each customer's portal shows only their own conversation; the
// portal's links are links, staff and customer messages look (and read) different, a manager's long list
// pages; the closure rating is a star control the keyboard can use.

import type { Page } from 'playwright-core';
import { apiAs, check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

async function portalSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/portal');
  const form = page.getByTestId('portal-sign-in');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill('demo1234');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').waitFor();
}

export async function mergeJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const staff = await newActor(browser, base);
  const ben = await newActor(browser, base);
  const anna = await newActor(browser, base);
  const api = await apiAs(base, 'alex@demo.replyby.dev');
  const eveEmail = `eve.${RUN_ID}@example.com`;
  const eveWords = `Eve's private words ${RUN_ID}`;
  let eve = 0;
  let survivor = 0;

  const mergeStep = 'merge: merging another customer\'s request warns with both requesters before confirming';
  await step(mergeStep, async () => {
    const a = await api<{ number: number }>('POST', '/api/v1/tickets', { subject: `Site down ${RUN_ID}`, message: eveWords, requester: { email: eveEmail, name: 'Eve Example' } });
    const b = await api<{ number: number }>('POST', '/api/v1/tickets', {
      subject: `Site slow ${RUN_ID}`, message: `Our status page https://status.example.com/incidents/${RUN_ID}. says it is slow.`, requester: { email: 'ben@globex.example' },
    });
    check(a.status === 201 && b.status === 201, `tickets created: ${a.status} ${b.status}`);
    eve = a.body.number;
    survivor = b.body.number;
    check((await api('POST', `/api/v1/tickets/${survivor}/messages`, { body: 'We are looking into it: see https://status.example.com/ for updates.' })).status === 201, 'staff reply');
    const { page } = staff;
    watch(page);
    await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
    await page.goto(`/tickets/${eve}`);
    // The tools are a tab of the ticket page's side panel.
    await page.getByTestId('ticket-tab-tools').click();
    await page.getByTestId('merge-into').fill(String(survivor));
    await page.getByTestId('merge-submit').click();
    const dialog = page.getByTestId('confirm-dialog');
    const warning = dialog.getByTestId('merge-requester-warning');
    await warning.waitFor();
    const text = await warning.innerText();
    check(text.includes(eveEmail) && text.includes('ben@globex.example'), `the warning names both requesters: ${text}`);
    check((await dialog.getByTestId('confirm-yes').innerText()) === 'Merge anyway', 'the button says "Merge anyway"');
    await shot(page, 'merge-warning');
    await axe(page, 'merge dialog with the different-requesters warning');
    await dialog.getByTestId('confirm-yes').click();
    await page.waitForURL(`**/tickets/${survivor}`);
    // Staff read both conversations on the survivor.
    await page.getByTestId('timeline-message').filter({ hasText: eveWords }).waitFor();
  });

  await step('portal: the survivor\'s customer does not see the merged message; links are links; staff and customer messages differ', async () => {
    const { page } = ben;
    watch(page);
    await portalSignIn(page, 'ben@globex.example');
    await page.goto(`/portal/tickets/${survivor}`);
    await page.getByTestId('timeline-message').first().waitFor();
    await page.getByTestId('timeline-message').nth(1).waitFor();
    const all = (await page.getByTestId('timeline').innerText());
    check(!all.includes(eveWords), 'Ben\'s portal shows Eve\'s message');
    // The link in his own message: an <a> to exactly that address, opening safely in a new tab; the full stop stays text.
    const link = page.getByTestId('message-link').filter({ hasText: `https://status.example.com/incidents/${RUN_ID}` });
    check(await link.getAttribute('href') === `https://status.example.com/incidents/${RUN_ID}`, `href: ${await link.getAttribute('href')}`);
    check((await link.getAttribute('rel'))?.includes('noopener') === true && (await link.getAttribute('target')) === '_blank', 'rel noopener, new tab');
    // Roles in words (for screen readers and without colour) and a different look.
    const mine = page.getByTestId('timeline-message').filter({ hasText: 'Our status page' });
    const theirs = page.getByTestId('timeline-message').filter({ hasText: 'We are looking into it' });
    check((await mine.getByTestId('message-role').innerText()) === 'You', 'own message reads "You"');
    check((await theirs.getByTestId('message-role').innerText()) === 'Support team', 'staff message reads "Support team"');
    const bg = (l: typeof mine) => l.evaluate((e) => getComputedStyle(e).backgroundColor);
    check(await bg(mine) !== await bg(theirs), 'staff and customer messages have the same background');
    await shot(page, 'portal-roles-links');
    await axe(page, 'portal ticket with links and roles');
    // Eve's request itself stays out of reach.
    const res = await page.request.get(`/api/v1/tickets/${eve}/timeline`);
    check(res.status() === 404, `Ben reading Eve's request: ${res.status()}`);
  }, [mergeStep]);

  await step('portal: an organization manager\'s long list pages with "Show more"', async () => {
    const { page } = anna;
    watch(page);
    // Enough of the organization's requests for more than one page (the demo has many already).
    for (let i = 0; i < 55; i++) {
      check((await api('POST', '/api/v1/tickets', { subject: `Acme page ${RUN_ID} ${i}`, message: 'paging', requester: { email: 'oleg@acme.example' } })).status === 201, 'ticket for paging');
    }
    await portalSignIn(page, 'anna@acme.example');
    const items = page.getByTestId('portal-tickets').locator('li');
    await items.nth(49).waitFor();
    const first = await items.count();
    check(first === 50, `first page has ${first} requests`);
    await page.getByTestId('portal-more').click();
    await items.nth(50).waitFor();
    const more = await items.count();
    check(more > 50, `after "Show more": ${more}`);
    check((await page.getByTestId('portal-count').innerText()).includes(String(more)), 'the count follows the shown requests');
    await axe(page, 'portal list with paging');
  });

  await step('closure rating: stars in a radio group the keyboard can use, in words too, axe-clean', async () => {
    check((await api('PATCH', `/api/v1/tickets/${survivor}`, { status: 'solved' })).status === 200, 'solve the survivor');
    const { page } = ben;
    watch(page);
    await page.goto(`/portal/tickets/${survivor}`);
    await page.getByTestId('closure-solved').click();
    const rating = page.getByTestId('closure-rating');
    await rating.waitFor();
    check(await rating.getByRole('radio').count() === 5, 'five radios');
    await rating.getByRole('radio', { name: /1 out of 5/ }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    check(await page.getByTestId('rating-4').isChecked(), 'three arrows from the first star choose the fourth');
    check((await page.getByTestId('rating-value').innerText()) === 'Good', 'the choice is shown in words');
    const filled = await rating.locator('.star.on').count();
    check(filled === 4, `${filled} stars filled`);
    await shot(page, 'closure-stars');
    await axe(page, 'closure panel with the star rating');
    await page.getByTestId('closure-submit').click();
    await page.getByTestId('closure-done').waitFor();
  }, [mergeStep]);

  await staff.ctx.close();
  await ben.ctx.close();
  await anna.ctx.close();
}
