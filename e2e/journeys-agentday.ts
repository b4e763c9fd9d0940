// The agent's day (review 2026-12-07 items 12, 13, 14, 21, 26): a ticket for a phone call, "Start work",
// a macro whose status waits for the send, the bell (live, per person, linking to tickets), and a trigger
// that e-mails the requester.

import { check, log, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';

export async function agentDayJourneys({ browser, base, mailbox }: JourneyEnv): Promise<void> {
  const alex = await newActor(browser, base);
  const caller = `caller.${RUN_ID}@example.com`;
  let number = 0;

  await step('new ticket: an agent records a phone call for a new caller; the ticket says Phone and the caller gets the acknowledgement', async () => {
    const { page } = alex;
    watch(page);
    await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
    await page.getByTestId('nav-new-ticket').click();
    await page.getByTestId('new-ticket-form').waitFor();
    await page.getByTestId('new-ticket-new-contact').click();
    await page.getByTestId('new-ticket-email').fill(caller);
    await page.getByTestId('new-ticket-name').fill('Casey Caller');
    await page.getByTestId('new-ticket-subject').fill(`Phone: cannot sign in ${RUN_ID}`);
    await page.getByTestId('new-ticket-message').fill('Casey called: the sign-in page rejects the new password.');
    check((await page.getByTestId('new-ticket-channel').inputValue()) === 'phone', 'the channel does not default to phone');
    await page.getByTestId('new-ticket-priority').selectOption('high');
    check((await page.getByTestId('new-ticket-group').locator('option:checked').innerText()) === 'Support', 'the group does not default to the agent’s own');
    await shot(page, 'new-ticket');
    await page.getByTestId('new-ticket-submit').click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await page.getByTestId('ticket-page').waitFor();
    number = Number(/\/tickets\/(\d+)$/.exec(page.url())?.[1]);
    const eyebrow = await page.locator('.ticket-head .eyebrow').innerText();
    check(/phone/i.test(eyebrow), `the ticket page does not name the channel: ${eyebrow}`);
    check(/high/i.test(await page.getByTestId('ticket-priority').innerText()), 'the priority was not recorded');
    await mailbox.waitFor(caller, new RegExp(String(number)));
  });

  await step('start work: the customer hears once that Alex started, when Alex presses Start work (not on assignment)', async () => {
    const { page } = alex;
    const before = mailbox.all().length;
    await page.getByTestId('start-work').click();
    await page.getByTestId('start-work-done').waitFor();
    await page.getByTestId('ticket-status').filter({ hasText: 'Open' }).waitFor();
    const mail = await mailbox.waitFor(caller, /has started working on your request/, before);
    check(mail.text.includes('Alex Agent'), `the notice does not name Alex: ${mail.text}`);
    check((await page.getByTestId('start-work').count()) === 0, 'Start work is still offered');
  }, ['new ticket: an agent records a phone call for a new caller; the ticket says Phone and the caller gets the acknowledgement']);

  await step('macro: inserting fills the reply and stages "Pending"; sending applies it with the reply, and the mail is signed once', async () => {
    const { page } = alex;
    await page.getByTestId('macro-picker').locator('summary').click();
    await page.getByLabel('Search macros').fill('details');
    await page.getByTestId('macro-option').filter({ hasText: 'Need more details' }).click();
    await page.getByTestId('macro-preview-text').filter({ hasText: 'Casey Caller' }).waitFor();
    await page.getByTestId('macro-insert').click();
    await page.getByTestId('macro-staged').waitFor();
    check((await page.getByTestId('field-status').inputValue()) === 'open', 'inserting the macro changed the status');
    const before = mailbox.all().length;
    await page.getByTestId('composer-send').click();
    await page.getByTestId('composer-sent').waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="field-status"]') as HTMLSelectElement | null)?.value === 'pending');
    const reply = await mailbox.waitFor(caller, /screenshot/, before);
    check(reply.text.split('Alex Agent').length === 2, `the reply is not signed exactly once: ${reply.text}`);
    await page.waitForTimeout(1500);
    const waiting = mailbox.all().slice(before).filter((m) => m.to.includes(caller) && /waiting/i.test(m.subject));
    check(waiting.length === 0, 'a separate "waiting on you" went out beside the reply');
  }, ['start work: the customer hears once that Alex started, when Alex presses Start work (not on assignment)']);

  await step('the bell: unread count in the top bar, the panel in words and local time, links to its ticket, read in one tab clears the other live', async () => {
    const { page } = alex;
    const other = await newActor(browser, base);
    await staffSignIn(other.page, 'alex@demo.replyby.dev', 'demo1234');
    await page.goto('/');
    const count = page.getByTestId('bell-count');
    await count.waitFor();
    log(`    bell: ${await count.innerText()} unread`);
    await other.page.getByTestId('bell-count').waitFor();
    await page.getByTestId('bell').click();
    const item = page.getByTestId('bell-item').first();
    await item.waitFor();
    const text = await item.innerText();
    await shot(page, 'bell-panel');
    check(!/\d{4}-\d{2}-\d{2}T/.test(text), `a raw instant in the bell: ${text}`);
    await page.getByTestId('bell-panel').locator('a').first().click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await page.getByTestId('ticket-page').waitFor();
    await page.getByTestId('bell').click();
    await page.getByTestId('bell-read-all').click();
    await page.getByTestId('bell-count').waitFor({ state: 'detached' });
    // The other tab hears it over the event stream, without a reload.
    await other.page.getByTestId('bell-count').waitFor({ state: 'detached' });
    await other.ctx.close();
  });

  await step('a trigger e-mails the requester: an admin writes it in the triggers screen; a matching web request gets it', async () => {
    const admin = await newActor(browser, base);
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.goto('/admin/triggers');
    await page.getByTestId('trigger-new').click();
    const editor = page.getByTestId('trigger-editor');
    await editor.getByLabel('Name').fill(`Outage notice ${RUN_ID}`);
    await editor.getByRole('button', { name: 'Add condition' }).click();
    await editor.getByTestId('trigger-condition-0').getByRole('textbox').fill(`outage-${RUN_ID}`);
    await editor.getByTestId('trigger-email_requester-on').check();
    await editor.getByTestId('trigger-email_requester-subject-en').fill('We know about the outage ({{ticket.ref}})');
    await editor.getByTestId('trigger-email_requester-body-en').fill('Hello {{requester.name}}, we are on it. Follow {{ticket.url}}');
    await page.getByTestId('trigger-save').click();
    await editor.waitFor({ state: 'detached' });
    const email = `outage.${RUN_ID}@example.com`;
    const res = await fetch(`${base}/api/v1/public/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Olga Outage', email, subject: `Site down outage-${RUN_ID}`, message: 'Nothing loads.', type: 'technical_question' }),
    });
    check(res.status === 201, `web form answered ${res.status}`);
    const mail = await mailbox.waitFor(email, /we are on it/);
    check(mail.subject.startsWith('We know about the outage (#') && mail.text.includes('Hello Olga Outage'), `trigger mail: ${mail.subject} / ${mail.text}`);
    await admin.ctx.close();
  });
  await alex.ctx.close();
}
