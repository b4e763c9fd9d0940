// The first journeys: customer → agent → customer over web form, portal, e-mail; supervisor admin.

import { check, log, newActor, openTicketFromQueue, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv, type Shared } from './harness.ts';
import { signInPathIn } from './mailbox.ts';

export async function coreJourneys({ browser, base, mailbox }: JourneyEnv): Promise<void> {
  const shared: Shared = {};
  const subject = `Printer prints only blank pages ${RUN_ID}`;
  const replyText = `Hi Casey, please hold the power button for 10 seconds [reply ${RUN_ID}]`;
  const noteText = `Internal: probably firmware 2.1 again [note ${RUN_ID}]`;
  const customer = await newActor(browser, base);
  const agent = await newActor(browser, base);
  const sup = await newActor(browser, base);

  await step('customer submits the web form and sees the request number', async () => {
    const { page } = customer;
    watch(page);
    await page.goto('/support');
    const form = page.getByTestId('support-form');
    await form.getByLabel('Your name').fill('Casey Customer');
    await form.getByLabel('E-mail').fill('casey-at-example');
    await form.getByLabel('Request type').selectOption('technical_question');
    await form.getByLabel('Subject').fill(subject);
    await form.getByLabel('Message').fill('Since this morning every page comes out blank. Model X200.');
    // a bad e-mail is reported next to the field the server names in error.path
    await page.getByTestId('submit-request').click();
    await form.locator('.field.has-error').filter({ has: page.getByText('E-mail', { exact: true }) }).waitFor();
    await shot(page, 'support-form-error');
    await form.getByLabel('E-mail').fill(`casey.${RUN_ID}@example.com`);
    await shot(page, 'support-form');
    await page.getByTestId('submit-request').click();
    const num = page.getByTestId('ticket-number');
    await Promise.race([
      num.waitFor(),
      page
        .getByRole('alert')
        .first()
        .waitFor()
        .then(async () => {
          throw new Error(`form error: ${await page.getByRole('alert').first().innerText()}`);
        }),
    ]);
    const text = (await num.innerText()).trim();
    const m = /(\d+)/.exec(text);
    check(m?.[1], `no number in "${text}"`);
    shared.number = Number(m[1]);
    shared.displayNumber = text;
    const href = await page.getByTestId('follow-link').getAttribute('href');
    check(href, 'no follow link');
    shared.followUrl = href;
    await shot(page, 'support-confirmation');
    log(`    ticket ${text}, follow link ${href}`);
  });

  await step(
    'agent signs in, finds the ticket in the queue and replies publicly',
    async () => {
      const { page } = agent;
      watch(page);
      const n = shared.number ?? 0;
      await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
      await openTicketFromQueue(page, n);
      check((await page.getByTestId('ticket-subject').innerText()).includes(subject), 'subject shown on ticket page');
      await page.locator('label').filter({ has: page.getByTestId('mode-public') }).click();
      await page.getByTestId('composer-body').fill(replyText);
      await page.getByTestId('composer-send').click();
      await page.getByTestId('timeline-message').filter({ hasText: replyText }).waitFor();
      const kind = await page.getByTestId('timeline-message').filter({ hasText: replyText }).getAttribute('data-kind');
      check(kind === 'public', `reply shown as ${kind}, expected public`);
      // an internal note the customer must never see
      await page.getByText('Internal note', { exact: true }).first().click();
      await page.getByTestId('composer-body').fill(noteText);
      await page.getByTestId('composer-send').click();
      const note = page.getByTestId('timeline-message').filter({ hasText: noteText });
      await note.waitFor();
      check((await note.getAttribute('data-kind')) === 'internal', 'note shown as internal');
      await shot(page, 'agent-ticket');
    },
    ['customer submits the web form and sees the request number'],
  );

  await step(
    "customer follows the link and sees the agent's reply in the portal",
    async () => {
      const { page } = customer;
      watch(page);
      const n = shared.number ?? 0;
      // The follow link on the confirmation page is the ticket's portal address: it asks who you are.
      const follow = new URL(shared.followUrl ?? '/', base);
      await page.goto(follow.pathname);
      await page.getByTestId('portal-sign-in').waitFor();
      check((await page.getByRole('heading', { level: 1 }).innerText()).includes('Sign in to follow'), 'follow link asks the customer to sign in');
      // The acknowledgement, sent over SMTP to the customer's address, carries the link that signs in.
      const ack = await mailbox.waitFor(`casey.${RUN_ID}@example.com`, /\/api\/v1\/portal\/magic\/rbm_/);
      check(ack.subject.includes(String(n)), `acknowledgement subject "${ack.subject}" names the ticket`);
      check(/We will answer by /.test(ack.text), 'acknowledgement says when the customer will hear back');
      const link = signInPathIn(ack);
      check(link, 'acknowledgement carries a sign-in link');
      // The mail's links use the server's configured public URL; keep the path on this server.
      await page.goto(link);
      await page.waitForURL(`**/portal/tickets/${n}`);
      await page.getByTestId('portal-ticket-head').waitFor();
      await page.getByTestId('timeline-message').filter({ hasText: replyText }).waitFor();
      const notes = await page.getByText(noteText).count();
      check(notes === 0, 'customer can see the internal note');
      // The public reply also reached the customer's mailbox; the internal note never does.
      await mailbox.waitFor(`casey.${RUN_ID}@example.com`, new RegExp(`reply ${RUN_ID}`));
      check(!mailbox.all().some((m) => m.text.includes(`note ${RUN_ID}`)), 'an internal note was e-mailed');
      // and the customer answers back
      const answer = `Thanks, that worked [answer ${RUN_ID}]`;
      await page.getByTestId('portal-reply').getByLabel('Add a reply').fill(answer);
      await page.getByTestId('portal-reply').getByRole('button', { name: 'Send reply' }).click();
      await page.getByTestId('timeline-message').filter({ hasText: answer }).waitFor();
      await shot(page, 'portal-ticket');
    },
    ['agent signs in, finds the ticket in the queue and replies publicly'],
  );

  await step(
    'supervisor changes the priority and sees it in the timeline',
    async () => {
      const { page } = sup;
      watch(page);
      const n = shared.number ?? 0;
      await staffSignIn(page, 'sam@demo.replyby.dev', 'demo1234');
      await page.getByTestId('nav-admin').waitFor();
      await page.goto(`/tickets/${n}`);
      await page.getByTestId('ticket-page').waitFor();
      const select = page.getByTestId('field-priority');
      const before = await select.inputValue();
      const target = before === 'urgent' ? 'high' : 'urgent';
      await select.selectOption(target);
      await page.getByTestId('properties-status').filter({ hasText: 'Saved priority' }).waitFor();
      check((await page.getByTestId('ticket-priority').innerText()).toLowerCase().includes(target), 'priority badge updated');
      await page
        .getByTestId('timeline-event')
        .filter({ hasText: /priority/i })
        .filter({ hasText: new RegExp(target, 'i') })
        .first()
        .waitFor();
      await shot(page, 'supervisor-ticket');
    },
    ['customer submits the web form and sees the request number'],
  );

  await step(
    'supervisor creates a group and an organization in admin',
    async () => {
      const { page } = sup;
      watch(page);
      await page.getByTestId('nav-admin').click();
      await page.getByTestId('users-table').filter({ hasText: 'alex@demo.replyby.dev' }).waitFor();
      await shot(page, 'admin-users');
      await page.getByRole('link', { name: 'Groups', exact: true }).click();
      const groupName = `Printers ${RUN_ID}`;
      const gForm = page.getByTestId('create-group');
      await gForm.getByLabel('Name').fill(groupName);
      await gForm.getByLabel('Description').fill('Hardware questions');
      await gForm.getByRole('button', { name: 'Create group' }).click();
      await page.getByTestId('groups-table').getByText(groupName).waitFor();
      await page.getByRole('link', { name: 'Organizations', exact: true }).click();
      const orgName = `Initech ${RUN_ID}`;
      const oForm = page.getByTestId('create-organization');
      await oForm.getByLabel('Name').fill(orgName);
      await oForm.getByLabel('Tier').selectOption('enterprise');
      await oForm.getByLabel('Domains').fill(`initech-${RUN_ID}.example, initech-${RUN_ID}.test`);
      await oForm.getByRole('button', { name: 'Create organization' }).click();
      const row = page.getByTestId('organizations-table').locator('tr', { hasText: orgName });
      await row.waitFor();
      check((await row.innerText()).includes(`initech-${RUN_ID}.test`), 'organization domains listed');
      await shot(page, 'admin-organizations');
    },
    ['supervisor changes the priority and sees it in the timeline'],
  );

  await step(
    'phone-sized viewport renders the portal request page',
    async () => {
      const { page } = customer;
      watch(page);
      await page.setViewportSize({ width: 390, height: 800 });
      await page.reload();
      await page.getByTestId('portal-ticket-head').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 1, `page scrolls horizontally by ${overflow}px at 390px`);
      await shot(page, 'portal-phone');
    },
    ["customer follows the link and sees the agent's reply in the portal"],
  );

  await step(
    'on another device the customer asks for a sign-in link on the ticket page and lands back on it',
    async () => {
      const other = await newActor(browser, base);
      const { page } = other;
      watch(page);
      const n = shared.number ?? 0;
      const email = `casey.${RUN_ID}@example.com`;
      try {
        await page.goto(`/portal/tickets/${n}`);
        const form = page.getByTestId('portal-sign-in');
        await form.getByLabel('E-mail').fill(email);
        const seen = mailbox.all().length;
        await page.getByTestId('send-magic-link').click();
        await page.getByTestId('magic-link-sent').waitFor();
        // A new mail, not the acknowledgement already opened on the first device.
        const mail = await mailbox.waitFor(email, /Sign in to see your requests/, seen);
        const link = signInPathIn(mail);
        check(link, 'sign-in mail carries a link');
        await page.goto(link);
        await page.waitForURL(`**/portal/tickets/${n}`);
        await page.getByTestId('portal-ticket-head').waitFor();
        // The link worked once: opening it again signs nobody in.
        const again = await page.request.get(link, { maxRedirects: 0 });
        check(again.status() === 401, `a used link answered ${again.status()}`);
      } finally {
        await other.ctx.close();
      }
    },
    ["customer follows the link and sees the agent's reply in the portal"],
  );

  await customer.ctx.close();
  await agent.ctx.close();
  await sup.ctx.close();
}
