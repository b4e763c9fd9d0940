// Admin journeys (reviews 12, 13, 15, 16): what a supervisor may do, confirmations, staff password reset,
// an old sign-in link, every form error at once.

import { check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { signInPathIn } from './mailbox.ts';
import { axe } from './journeys-workspace.ts';
import { utcToWall } from '../web/src/features/admin/sim-time.ts';

const resetPathIn = (text: string): string | null => /https?:\/\/\S+?(\/reset-password#token=rbr_[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;

export async function adminJourneys({ browser, base, mailbox }: JourneyEnv): Promise<void> {
  const sup = await newActor(browser, base);
  const email = `kim.${RUN_ID}@demo.replyby.dev`;
  const newPassword = `fresh-pass-${RUN_ID}`;

  await step('admin: a supervisor sees no admin-only buttons or roles', async () => {
    const { page } = sup;
    watch(page);
    await staffSignIn(page, 'sam@demo.replyby.dev', 'demo1234');
    await page.goto('/admin/users');
    const adminRow = page.getByTestId('user-row-ada@demo.replyby.dev');
    await adminRow.waitFor();
    check((await adminRow.getByRole('button').count()) === 0, 'the admin row offers a supervisor no buttons');
    const form = page.getByTestId('create-user');
    const roles = await form.getByLabel('Role').locator('option').allInnerTexts();
    check(!roles.includes('Admin'), `a supervisor is offered roles ${roles.join(', ')}`);
    await form.getByLabel('Name').fill(`Kim ${RUN_ID}`);
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Password').fill('initial-pass-1');
    await page.getByTestId('create-user-submit').click();
    await page.getByTestId(`user-row-${email}`).waitFor();
    await shot(page, 'admin-users-supervisor');
  });

  await step('admin: unknown admin paths show a not-found page, not Users', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/nothing-here');
    await page.getByTestId('admin-not-found').waitFor();
    check((await page.getByTestId('users-table').count()) === 0, 'the users table is not shown on an unknown path');
  });

  await step('admin: a user who forgot the password resets it from the sign-in page with the e-mailed link', async () => {
    const other = await newActor(browser, base);
    const { page } = other;
    watch(page);
    try {
      await page.goto('/');
      await page.getByTestId('forgot-password-link').click();
      const seen = mailbox.all().length;
      await page.getByTestId('forgot-password').getByLabel('E-mail').fill(email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByTestId('reset-sent').waitFor();
      const mail = await mailbox.waitFor(email, /reset-password#token=/, seen);
      const path = resetPathIn(mail.text);
      check(path, 'the reset mail carries a link');
      await page.goto(path);
      await page.getByTestId('reset-password').getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByTestId('reset-done').waitFor();
      await staffSignIn(page, email, newPassword);
    } finally {
      await other.ctx.close();
    }
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('admin: deactivation asks for confirmation; cancelling changes nothing', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/users');
    const row = page.getByTestId(`user-row-${email}`);
    await row.getByTestId('user-deactivate').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    check((await row.innerText()).includes('Active'), 'cancel left the user active');
    await row.getByTestId('user-deactivate').click();
    await page.getByTestId('confirm-yes').click();
    await row.getByText('Deactivated').waitFor();
    await shot(page, 'admin-user-deactivated');
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('admin: a group is renamed and given members', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/groups');
    const name = `Desk ${RUN_ID}`;
    const create = page.getByTestId('create-group');
    await create.getByLabel('Name').fill(name);
    await create.getByRole('button', { name: 'Create group' }).click();
    const row = page.getByTestId(`group-row-${name}`);
    await row.waitFor();
    await row.getByRole('button', { name: `Edit group ${name}` }).click();
    const edit = page.getByTestId('edit-group');
    await edit.getByLabel('Name').fill(`${name} renamed`);
    await edit.getByLabel('Alex Agent').check();
    await edit.getByTestId('save').click();
    const renamed = page.getByTestId(`group-row-${name} renamed`);
    await renamed.waitFor();
    const members = await renamed.locator('td').nth(1).innerText();
    check(members.includes('Alex Agent'), `the group lists "${members}" as members`);
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('support form: every wrong field is marked at once and focus moves to the first', async () => {
    const visitor = await newActor(browser, base);
    const { page } = visitor;
    watch(page);
    try {
      await page.goto('/support');
      const form = page.getByTestId('support-form');
      await form.getByLabel('E-mail').fill('not-an-address');
      await page.getByTestId('submit-request').click();
      await form.locator('.field.has-error').nth(2).waitFor();
      const marked = await form.locator('.field.has-error').count();
      check(marked >= 4, `${marked} fields marked; expected name, e-mail, subject and message`);
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.id ?? '');
      check(focused === 'name', `focus is on "${focused}", expected the name field`);
    } finally {
      await visitor.ctx.close();
    }
  });

  await step('portal: a used sign-in link opens a page offering a new one, not JSON', async () => {
    const customer = await newActor(browser, base);
    const { page } = customer;
    watch(page);
    try {
      const seen = mailbox.all().length;
      const res = await page.request.post('/api/v1/portal/magic-link', { data: { email: 'ben@globex.example' } });
      check(res.status() === 202, `magic-link request answered ${res.status()}`);
      const link = signInPathIn(await mailbox.waitFor('ben@globex.example', /Sign in to see your requests/, seen));
      check(link, 'the mail carries a sign-in link');
      await page.goto(link);
      await page.waitForURL('**/portal');
      await page.context().clearCookies();
      await page.goto(link);
      await page.getByTestId('link-expired').waitFor();
      check((await page.getByTestId('send-magic-link').count()) === 1, 'the page offers a new link');
      check(!(await page.content()).includes('"error"'), 'no raw JSON error on the page');
    } finally {
      await customer.ctx.close();
    }
  });

  await step('admin: the SLA simulator shows every clock of the chosen policy', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/sla-simulator');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-result').waitFor();
    const rows = await page.getByTestId('sim-result').locator('tbody tr').count();
    check(rows >= 1, `the simulator shows ${rows} clocks`);
    // A missing instant is named beside its field (by the API), and focus moves there.
    await page.getByTestId('sim-event-0').getByLabel('Event 1: time').fill('');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-event-0').locator('.field.has-error').waitFor();
    await shot(page, 'admin-sla-simulator');
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  const calendarName = `Split ${RUN_ID}`;
  const policyName = `Round the clock ${RUN_ID}`;
  await step('admin: a calendar with a split shift, an overnight shift and holidays is created; a wrong time is named beside its field', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/sla-calendars');
    await page.getByTestId('calendar-new').click();
    const form = page.getByTestId('calendar-editor');
    await form.getByLabel('Name', { exact: true }).fill(calendarName);
    await form.getByLabel('Time zone').selectOption('Europe/Berlin');
    // Monday is a split shift: 09:00–12:30 and 13:30–17:00.
    await form.getByLabel('Monday, interval 1: to').fill('12:30');
    await form.getByRole('button', { name: 'Add interval to Monday' }).click();
    await form.getByLabel('Monday, interval 2: from').fill('13:30');
    await form.getByLabel('Monday, interval 2: to').fill('17:00');
    // Thursday is a night shift into Friday.
    await form.getByLabel('Thursday, interval 1: from').fill('22:00');
    await form.getByLabel('Thursday, interval 1: to').fill('06:00');
    await form.getByTestId('day-thu').getByTestId('overnight').waitFor();
    await form.getByTestId('add-holiday-date').click();
    await form.getByLabel('Holiday 1: date').fill('2025-12-25');
    await form.getByTestId('add-holiday-country').click();
    await form.getByLabel('Holiday 2: country code').fill('DE');
    await form.getByTestId('ics-file').setInputFiles({
      name: 'holidays.ics', mimeType: 'text/calendar',
      buffer: Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//EN\r\nBEGIN:VEVENT\r\nUID:1@e2e\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250704\r\nSUMMARY:Company day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
    });
    await form.getByTestId('holiday-2').getByText('events: 1').waitFor();
    // A wrong time: the API names the field, the form marks it and moves focus there.
    await form.getByLabel('Tuesday, interval 1: to').fill('25:00');
    await page.getByTestId('calendar-save').click();
    await form.locator('.field.has-error').first().waitFor();
    const focused = await page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent ?? '');
    check(focused === 'Tuesday, interval 1: to', `focus is on "${focused}", expected Tuesday's end time`);
    await form.getByLabel('Tuesday, interval 1: to').fill('17:00');
    await page.getByTestId('calendar-save').click();
    const row = page.getByTestId(`calendar-row-${calendarName}`);
    await row.waitFor();
    const text = await row.innerText();
    // Mon 7 h + Tue, Wed, Fri 8 h + the Thursday night 8 h.
    check(text.includes('Europe/Berlin') && text.includes('39 h a week'), `the calendar row reads "${text}"`);
    const holidays = await row.locator('td').nth(3).innerText();
    check(holidays === '3', `the row counts ${holidays} holiday entries, expected 3 (a date, a country, an iCal feed)`);
    await axe(page, 'admin/sla-calendars (editor open)');
    await shot(page, 'admin-sla-calendar');
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('admin: a policy with a calendar-time target is created and simulated in place; the due times are shown', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/sla-policies');
    await page.getByTestId('policy-new').click();
    const form = page.getByTestId('policy-editor');
    await form.getByLabel('Name', { exact: true }).fill(policyName);
    await form.getByLabel('Calendar', { exact: true }).selectOption({ label: calendarName });
    const first = form.getByTestId('metric-0');
    await first.getByLabel('Calendar time (around the clock)').check();
    await first.getByLabel('First response: unit').selectOption('hours');
    await first.getByLabel('First response: default target').fill('24');
    const summary = await form.getByTestId('metric-0-summary').innerText();
    check(summary.includes('calendar time'), `the first-response target reads "${summary}"`);
    const resolution = await form.getByTestId('metric-1-summary').innerText();
    check(resolution.includes('8h of business time'), `the resolution target reads "${resolution}"`);
    await page.getByTestId('policy-save').click();
    const row = page.getByTestId(`policy-row-${policyName}`);
    await row.waitFor();
    check((await row.innerText()).includes('1d calendar time'), `the list shows "${await row.innerText()}"`);

    await page.getByTestId('policy-try').click();
    const sim = page.getByTestId('sla-simulator');
    check((await sim.getByLabel('Policy').inputValue()) === '__draft__', 'the simulator starts on the policy being edited');
    await sim.getByRole('button', { name: 'Remove event 2' }).click();
    // Instants are entered in the viewer's zone (named on the form) and sent as UTC.
    const zone = (await sim.locator('fieldset[data-zone]').getAttribute('data-zone')) ?? 'UTC';
    await sim.getByLabel('Evaluate at').fill(utcToWall('2025-03-07T16:00:00Z', zone));
    await page.getByTestId('sim-run').click();
    const result = page.getByTestId('sim-result');
    await result.waitFor();
    // Created Friday 16:50 Berlin: 24 hours later around the clock is Saturday; 8 business hours of the split-shift calendar end Tuesday 09:50 Berlin.
    const fr = await result.getByTestId('sim-metric-first_response').getByTestId('sim-due').locator('time').getAttribute('datetime');
    check(fr?.startsWith('2025-03-08T15:50'), `first response due ${fr}`);
    const rs = await result.getByTestId('sim-metric-resolution').getByTestId('sim-due').locator('time').getAttribute('datetime');
    check(rs?.startsWith('2025-03-11T08:50'), `resolution due ${rs}`);
    check((await result.getByTestId('sim-zone').innerText()).includes(calendarName), 'the result names the calendar and the zone');
    await axe(page, 'admin/sla-policies (editor and simulator)');
    await shot(page, 'admin-sla-policy-simulated');
  }, ['admin: a calendar with a split shift, an overnight shift and holidays is created; a wrong time is named beside its field']);

  await step('admin: policies are reordered with the arrow buttons and deleted only after confirmation', async () => {
    const { page } = sup;
    watch(page);
    await page.goto('/admin/sla-policies');
    const row = page.getByTestId(`policy-row-${policyName}`);
    const rows = page.getByTestId('policies-table').locator('tbody tr');
    await row.waitFor();
    const before = await rows.count();
    check((await rows.nth(before - 1).getAttribute('data-testid')) === `policy-row-${policyName}`, 'a new policy is last');
    await row.getByRole('button', { name: `Move ${policyName} up` }).click();
    await page.getByTestId('admin-status').waitFor();
    await page.waitForFunction((name) => document.querySelectorAll('[data-testid="policies-table"] tbody tr')[document.querySelectorAll('[data-testid="policies-table"] tbody tr').length - 2]?.getAttribute('data-testid') === `policy-row-${name}`, policyName);
    await row.getByRole('button', { name: `Move ${policyName} down` }).click();
    await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid="policies-table"] tbody tr')].at(-1)?.getAttribute('data-testid') === `policy-row-${name}`, policyName);

    await row.getByRole('button', { name: `Delete policy ${policyName}` }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    check((await row.count()) === 1, 'cancel kept the policy');
    await row.getByRole('button', { name: `Delete policy ${policyName}` }).click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  }, ['admin: a policy with a calendar-time target is created and simulated in place; the due times are shown']);

  await step('admin: routing — a group becomes skills-based, an agent gets skills and a per-channel capacity', async () => {
    const { page } = sup;
    watch(page);
    const group = `Desk ${RUN_ID} renamed`;
    await page.goto('/admin/routing');
    await page.getByRole('button', { name: `Edit routing of group ${group}` }).click();
    const form = page.getByTestId('routing-group-form');
    await form.getByLabel('Assignment mode').selectOption('skills');
    await form.getByLabel('Skills').fill('lang:ru, Bad Skill!');
    await form.getByTestId('save').click();
    await form.locator('.field.has-error').waitFor();
    const focused = await page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent ?? '');
    check(focused === 'Skills', `focus is on "${focused}", expected Skills`);
    await form.getByLabel('Skills').fill('lang:ru, product-x');
    await form.getByTestId('save').click();
    const row = page.getByTestId(`routing-group-${group}`);
    await row.getByText('lang:ru, product-x').waitFor();
    const text = await row.innerText();
    check(text.includes('Skills-based') && text.includes('lang:ru, product-x'), `the group row reads "${text}"`);

    await page.getByRole('button', { name: 'Edit routing of Chen' }).first().click();
    const agent = page.getByTestId('routing-agent-form');
    await agent.getByLabel('Skills').fill('lang:zh, lang:en');  // the server keeps them sorted
    await agent.getByLabel('Capacity: E-mail').fill('20');
    await agent.getByTestId('save').click();
    await page.getByTestId('routing-agent-form').waitFor({ state: 'detached' });
    await page.getByTestId('routing-agent-chen@demo.replyby.dev').getByText('E-mail 20').waitFor();
    const chen = await page.getByTestId('routing-agent-chen@demo.replyby.dev').innerText();
    check(chen.includes('lang:en, lang:zh') && chen.includes('E-mail 20'), `Chen's row reads "${chen}"`);
    await axe(page, 'admin/routing');
    await shot(page, 'admin-routing');
  }, ['admin: a group is renamed and given members']);

  await step('admin: a trigger is created (a bad pattern is named beside its field), listed, and deleted after confirmation', async () => {
    const { page } = sup;
    watch(page);
    const name = `Refunds ${RUN_ID}`;
    await page.goto('/admin/triggers');
    await page.getByTestId('trigger-new').click();
    const form = page.getByTestId('trigger-editor');
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Condition 1: comparison').selectOption('matches');
    await form.getByLabel('Condition 1: values').fill('(refund');
    await form.getByLabel('Set priority').selectOption('high');
    await form.getByLabel('Add tags').fill('refund');
    await page.getByTestId('trigger-save').click();
    await form.getByTestId('trigger-condition-0').locator('.field.has-error').waitFor();
    const focused = await page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent ?? '');
    check(focused === 'Condition 1: values', `focus is on "${focused}", expected the pattern`);
    await form.getByLabel('Condition 1: comparison').selectOption('contains_any');
    await form.getByLabel('Condition 1: values').fill('refund, money back');
    await page.getByTestId('trigger-save').click();
    const row = page.getByTestId(`trigger-row-${name}`);
    await row.waitFor();
    const text = await row.innerText();
    check(text.includes('Conditions: 1') && text.includes('actions: 2'), `the trigger row reads "${text}"`);
    await axe(page, 'admin/triggers');
    await row.getByRole('button', { name: `Delete trigger ${name}` }).click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('admin: a shared macro with a placeholder and a status change is created (an empty text is named), then deleted', async () => {
    const { page } = sup;
    watch(page);
    const title = `Waiting ${RUN_ID}`;
    await page.goto('/admin/macros');
    await page.getByTestId('macro-new').click();
    const form = page.getByTestId('macro-editor');
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Set status').selectOption('pending');
    await page.getByTestId('macro-save').click();
    await form.locator('.field.has-error').waitFor();
    const focused = await page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent ?? '');
    check(focused === 'Reply text', `focus is on "${focused}", expected the reply text`);
    await form.getByLabel('Reply text').fill('Hello {{requester.name}}, we are waiting for your answer.');
    await page.getByTestId('macro-save').click();
    const row = page.getByTestId(`macro-row-${title}`);
    await row.waitFor();
    check((await row.innerText()).includes('Shared'), `the macro row reads "${await row.innerText()}"`);
    await axe(page, 'admin/macros');
    await row.getByRole('button', { name: `Delete macro ${title}` }).click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('admin: a knowledge-base category and a Russian article are created (an empty title is named), published, translated into English and found by search', async () => {
    const { page } = sup;
    watch(page);
    const category = `Payments ${RUN_ID}`;
    const ruTitle = `Как вернуть деньги ${RUN_ID}`;
    const enTitle = `How to get a refund ${RUN_ID}`;
    await page.goto('/admin/kb');
    await page.getByTestId('kb-admin').waitFor();
    await page.getByLabel('New category name').fill(category);
    await page.getByTestId('kb-category-create').click();
    await page.getByTestId('kb-category-list').getByText(category, { exact: true }).waitFor();

    await page.getByTestId('kb-new').click();
    const form = page.getByTestId('kb-editor');
    await page.getByTestId('kb-save').click();
    await form.locator('.field.has-error').first().waitFor();
    const focused = await page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent ?? '');
    check(focused === 'Title', `focus is on "${focused}", expected the title`);
    check((await form.locator('.field.has-error').count()) === 2, 'the empty title and text are both named beside their fields');
    await form.getByLabel('Title').fill(ruTitle);
    await form.getByLabel('Article text').fill('Напишите нам номер заказа, и мы вернём деньги в течение пяти дней.');
    await form.getByLabel('Language').selectOption('ru');
    await form.getByLabel('Category').selectOption({ label: category });
    await page.getByTestId('kb-save').click();
    await page.getByTestId('admin-status').getByText(`Article ${ruTitle} is created.`).waitFor();
    check(await form.getByLabel('State').inputValue() === 'draft', 'a new article starts as a draft');
    await form.getByLabel('State').selectOption('published');
    await page.getByTestId('kb-save').click();
    await page.getByTestId('admin-status').getByText(`Article ${ruTitle} is saved.`).waitFor();
    await form.getByRole('link', { name: 'Open in the help centre' }).waitFor();

    await page.getByTestId('kb-translate').click();
    await form.getByRole('heading', { name: `New translation of ${ruTitle}` }).waitFor();
    const lang = await form.getByLabel('Language').inputValue();
    check(lang === 'en', `the translation is offered language "${lang}", expected the first one not yet used`);
    await form.getByLabel('Title').fill(enTitle);
    await form.getByLabel('Article text').fill('Send us your order number and we refund the money within five days.');
    await form.getByLabel('State').selectOption('published');
    await page.getByTestId('kb-save').click();
    await page.getByTestId('admin-status').getByText(`Article ${enTitle} is created.`).waitFor();
    const original = page.getByTestId('kb-translations').getByTestId('kb-translation-ru');
    await original.waitFor();
    check((await original.innerText()).includes(ruTitle), `the translation lists its original: "${await original.innerText()}"`);

    await page.getByLabel('Search articles').fill(`refund ${RUN_ID}`);
    await page.getByTestId('kb-search-submit').click();
    const enRow = page.getByTestId(`kb-row-${enTitle}`);
    await enRow.waitFor();
    const enText = await enRow.innerText();
    check(enText.includes('English') && enText.includes('Published') && enText.includes(category), `the English row reads "${enText}"`);
    await page.getByLabel('Search articles').fill(RUN_ID);
    await page.getByTestId('kb-search-submit').click();
    const ruRow = page.getByTestId(`kb-row-${ruTitle}`);
    await ruRow.waitFor();
    check((await ruRow.innerText()).includes('Russian'), `the Russian row reads "${await ruRow.innerText()}"`);
    await ruRow.getByRole('button', { name: `Edit article ${ruTitle}` }).click();
    await page.getByTestId('kb-translations').getByTestId('kb-translation-en').waitFor();
    await axe(page, 'admin/kb');
    await shot(page, 'admin-kb');
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('axe-core: no serious violations on the admin screens and the password pages', async () => {
    const { page } = sup;
    watch(page);
    for (const section of ['users', 'groups', 'organizations', 'contacts', 'lists', 'sla-calendars', 'sla-policies', 'sla-simulator', 'routing', 'triggers', 'macros', 'kb']) {
      await page.goto(`/admin/${section}`);
      await page.getByTestId(`admin-tab-${section}`).waitFor();
      await page.locator('table, form').first().waitFor();
      await axe(page, `admin/${section}`);
    }
    const visitor = await newActor(browser, base);
    try {
      await visitor.page.goto('/forgot-password');
      await visitor.page.getByTestId('forgot-password').waitFor();
      await axe(visitor.page, 'forgot-password');
    } finally {
      await visitor.ctx.close();
    }
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await sup.ctx.close();
}
