// Admin journeys (reviews 12, 13, 15, 16): what a supervisor may do, confirmations, staff password reset,
// an old sign-in link, every form error at once.

import { check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { signInPathIn } from './mailbox.ts';
import { axe } from './journeys-workspace.ts';

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
    // A bad instant is named beside its field, and focus moves there.
    await page.getByTestId('sim-event-0').getByLabel('Event 1: time').fill('soon');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-event-0').locator('.field.has-error').waitFor();
    await shot(page, 'admin-sla-simulator');
  }, ['admin: a supervisor sees no admin-only buttons or roles']);

  await step('axe-core: no serious violations on the admin screens and the password pages', async () => {
    const { page } = sup;
    watch(page);
    for (const section of ['users', 'groups', 'organizations', 'contacts', 'lists', 'sla-simulator']) {
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
