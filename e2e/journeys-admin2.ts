// Admin journeys of review 2026-12-07 items 24 and 25: the mail-template, customer-notice, support-address and
// webhook screens (open, edit, save, axe), the knowledge base's article list and translated category names
// in the help centre, and the SLA simulator replaying a merged ticket under its own policy.

import { apiAs, check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export async function admin2Journeys({ browser, base }: JourneyEnv): Promise<void> {
  const admin = await newActor(browser, base);
  const signedIn = 'admin2: an admin opens the mail templates, previews a Bulgarian acknowledgement (a wrong placeholder is named beside its field) and saves it';
  await step(signedIn, async () => {
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.goto('/admin/mail-templates');
    const screen = page.getByTestId('templates-admin');
    await screen.getByLabel('Language', { exact: true }).selectOption('bg');
    await screen.getByLabel('Mail', { exact: true }).selectOption('acknowledgement');
    const row = page.getByTestId('template-row-acknowledgement/bg');
    await row.waitFor();
    check((await page.getByTestId('templates-admin-table').locator('tbody tr').count()) === 1, 'the filters leave one template');
    await page.getByTestId('template-edit-acknowledgement/bg').click();
    const form = page.getByTestId('template-editor');
    await form.getByTestId('template-subject').fill(`[{{ticket.ref}}] {{ticket.colour}} ${RUN_ID}`);
    await form.getByTestId('template-preview').click();
    const err = form.locator('.field.has-error');
    await err.waitFor();
    check((await err.innerText()).includes('{{ticket.colour}}'), `the subject's error names the placeholder: "${await err.innerText()}"`);
    await form.getByTestId('template-subject').fill(`[{{ticket.ref}}] {{ticket.subject}} ${RUN_ID}`);
    await form.getByTestId('template-preview').click();
    const subject = await form.getByTestId('template-preview-subject').innerText();
    check(subject.includes('#1042') && subject.includes(RUN_ID) && !subject.includes('{{'), `the preview's subject reads "${subject}"`);
    await axe(page, 'admin/mail-templates (editor and preview)');
    await form.getByTestId('template-save').click();
    await page.getByTestId('admin-status').waitFor();
    check((await row.innerText()).includes(RUN_ID), `the list shows the new subject: "${await row.innerText()}"`);
    await shot(page, 'admin2-mail-templates');
    // Back to the default, so later journeys' mails read as before.
    await page.getByTestId('template-edit-acknowledgement/bg').click();
    await page.getByTestId('template-reset').click();
    await page.getByTestId('admin-status').filter({ hasText: 'default' }).waitFor();
  });

  await step('admin2: customer notices are switched and timed, saved and still so after a reload', async () => {
    const { page } = admin;
    watch(page);
    await page.goto('/admin/customer-notices');
    const screen = page.getByTestId('notices-admin');
    const box = screen.getByTestId('notice-work_started').locator('input');
    const days = screen.getByTestId('notices-archive_after_days');
    const before = { started: await box.isChecked(), days: await days.inputValue() };
    await box.setChecked(!before.started);
    await days.fill('');
    await page.getByTestId('notices-save').click();
    await screen.locator('.field.has-error').waitFor();
    await days.fill('45');
    await page.getByTestId('notices-save').click();
    await page.getByTestId('admin-status').waitFor();
    await page.reload();
    check((await page.getByTestId('notice-work_started').locator('input').isChecked()) === !before.started, 'the notice switch was saved');
    check((await page.getByTestId('notices-archive_after_days').inputValue()) === '45', 'the archiving period was saved');
    await axe(page, 'admin/customer-notices');
    await shot(page, 'admin2-customer-notices');
    // Put them back for the journeys that follow.
    await page.getByTestId('notice-work_started').locator('input').setChecked(before.started);
    await page.getByTestId('notices-archive_after_days').fill(before.days);
    await page.getByTestId('notices-save').click();
    await page.getByTestId('admin-status').waitFor();
  }, [signedIn]);

  await step('admin2: a support address is added (a bad address is named), edited and removed', async () => {
    const { page } = admin;
    watch(page);
    const address = `help-${RUN_ID}@replyby.localhost`;
    await page.goto('/admin/support-addresses');
    await page.getByTestId('address-new').click();
    const form = page.getByTestId('address-editor');
    await form.getByTestId('address-email').fill('not an address');
    await page.getByTestId('address-save').click();
    await form.locator('.field.has-error').waitFor();
    await form.getByTestId('address-email').fill(address);
    await form.getByLabel('Language').selectOption('bg');
    await page.getByTestId('address-save').click();
    const row = page.getByTestId(`address-row-${address}`);
    await row.waitFor();
    check((await row.innerText()).includes('Bulgarian'), `the row reads "${await row.innerText()}"`);
    await row.getByRole('button', { name: `Edit ${address}` }).click();
    await page.getByTestId('address-editor').getByLabel('Language').selectOption('ru');
    await page.getByTestId('address-save').click();
    await row.filter({ hasText: 'Russian' }).waitFor();
    await axe(page, 'admin/support-addresses');
    await shot(page, 'admin2-support-addresses');
    await row.getByRole('button', { name: `Delete ${address}` }).click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  }, [signedIn]);

  await step('admin2: a webhook is added (a private address is named), its secret shown once, with the failed deliveries listed; then removed', async () => {
    const { page } = admin;
    watch(page);
    const url = `https://hooks.example.com/replyby-${RUN_ID}`;
    await page.goto('/admin/webhooks');
    await page.getByTestId('dead-letters').waitFor();
    await page.getByTestId('webhook-new').click();
    const form = page.getByTestId('webhook-editor');
    await form.getByTestId('webhook-url').fill('http://127.0.0.1:9/hook');
    await page.getByTestId('webhook-save').click();
    await form.locator('.field.has-error').waitFor();
    await form.getByTestId('webhook-url').fill(url);
    await form.getByTestId('webhook-events').fill('sla.breach, sla.escalation');
    await page.getByTestId('webhook-save').click();
    const row = page.getByTestId(`webhook-row-${url}`);
    await row.waitFor();
    check((await page.getByTestId('webhook-secret').innerText()).includes('whsec_'), 'the signing secret is shown once');
    check((await row.innerText()).includes('sla.breach, sla.escalation'), `the row reads "${await row.innerText()}"`);
    await axe(page, 'admin/webhooks');
    await shot(page, 'admin2-webhooks');
    await row.getByRole('button', { name: `Delete ${url}` }).click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  }, [signedIn]);

  await step('admin2: the audit log lists the webhook added and removed, by whom, filtered to webhooks, with a CSV link', async () => {
    const { page } = admin;
    watch(page);
    await page.goto('/admin/audit-log');
    const screen = page.getByTestId('audit-log');
    await screen.getByLabel('Changed', { exact: true }).selectOption('webhook');
    const rows = page.getByTestId('audit-log-table').locator('tbody tr');
    await rows.filter({ hasText: RUN_ID }).first().waitFor();
    const texts = await rows.filter({ hasText: RUN_ID }).allInnerTexts();
    check(texts.some((r) => r.includes('deleted')) && texts.some((r) => r.includes('created')), `the webhook's rows: ${JSON.stringify(texts)}`);
    check(texts.every((r) => r.includes('ada@demo.replyby.dev') && !r.includes('whsec_')), 'each row names the admin and never the secret');
    check((await page.getByTestId('audit-csv').getAttribute('href'))?.includes('target_type=webhook') === true, 'the CSV link keeps the filter');
    await axe(page, 'admin/audit-log');
  }, [signedIn]);

  await step('admin2: the knowledge base lists articles by language; a category named in Bulgarian shows so in the Bulgarian help centre', async () => {
    const { page } = admin;
    watch(page);
    const bgName = `Профил и вход ${RUN_ID}`;
    await page.goto('/admin/kb');
    const list = page.getByTestId('kb-article-list');
    await list.waitFor();
    await list.getByLabel('Language', { exact: true }).selectOption('bg');
    await page.getByTestId('kb-list-row-Как да смените паролата').waitFor();
    // The unfiltered page stays until the filtered one arrives: wait for the English original to leave.
    await page.getByTestId('kb-list-row-Resetting your password').waitFor({ state: 'detached' });
    const langs = await list.locator('tbody tr td:nth-of-type(1)').allInnerTexts();
    check(langs.length > 0 && langs.every((l) => l === 'Bulgarian'), `the filtered list shows languages ${langs.join(', ')}`);
    const category = page.getByTestId('kb-category-Accounts and sign-in');
    await category.getByTestId('kb-category-translate').click();
    await page.getByTestId('kb-category-names-Accounts and sign-in').getByTestId('kb-category-name-bg').fill(bgName);
    await page.getByTestId('kb-category-names-save').click();
    await category.filter({ hasText: bgName }).waitFor();
    await axe(page, 'admin/kb (article list and category names)');
    await shot(page, 'admin2-kb');
    // The list's Edit opens the article in the editor below.
    await page.getByTestId('kb-list-edit-Как да смените паролата').click();
    await page.getByTestId('kb-editor').waitFor();

    const reader = await newActor(browser, base);
    try {
      await reader.page.addInitScript(() => window.localStorage.setItem('rb_lang', 'bg'));
      // The server first: what the help centre will be given for a Bulgarian reader.
      const served = await (await fetch(`${base}/api/v1/kb/categories?language=bg`)).json() as { data: { name: string; display_name: string }[] };
      check(served.data.some((c) => c.display_name === bgName), `the categories API gives a Bulgarian reader ${JSON.stringify(served.data.map((c) => c.display_name))}`);
      await reader.page.goto('/help');
      await reader.page.getByTestId('help-centre').waitFor();
      try {
        await reader.page.getByRole('heading', { name: bgName }).waitFor();
      } catch (err) {
        const headings = await reader.page.getByRole('heading').allInnerTexts();
        throw new Error(`the Bulgarian help centre shows headings ${JSON.stringify(headings)} (lang ${await reader.page.evaluate(() => document.documentElement.lang)}): ${String(err)}`);
      }
      check((await reader.page.getByRole('heading', { name: 'Accounts and sign-in' }).count()) === 0, 'the English name is not shown to a Bulgarian reader');
    } finally {
      await reader.ctx.close();
    }
  }, [signedIn]);

  await step("admin2: the SLA simulator replays a merged ticket with all its events under the ticket's own policy; another policy is labelled as an override", async () => {
    const { page } = admin;
    watch(page);
    const ada = await apiAs(base, 'ada@demo.replyby.dev');
    const make = async (subject: string) => {
      const res = await ada<{ number: number }>('POST', '/api/v1/tickets', { subject, message: `${subject} body`, requester: { email: 'anna@acme.example' }, priority: 'high' });
      check(res.status === 201, `ticket created: ${res.status}`);
      return res.body.number;
    };
    const older = await make(`Replay older ${RUN_ID}`);
    check((await ada('POST', `/api/v1/tickets/${older}/messages`, { body: 'Looking into it', kind: 'public' })).status === 201, 'reply on the older ticket');
    const survivor = await make(`Replay survivor ${RUN_ID}`);
    check((await ada('POST', `/api/v1/tickets/${older}/merge`, { into: survivor })).status === 200, 'merged');
    const replay = (await ada<{ policy: { id: string; name: string } | null; events: unknown[] }>('GET', `/api/v1/sla/replay/${survivor}`)).body;
    check(replay.policy, 'the ticket has a policy');

    await page.goto('/admin/sla-simulator');
    const sim = page.getByTestId('sla-simulator');
    await sim.getByLabel('Replay a ticket').fill(String(survivor));
    await page.getByTestId('sim-replay-load').click();
    const loaded = await page.getByTestId('sim-replayed').innerText();
    check(loaded.includes(`#${older}`) && loaded.includes(`${replay.events.length} events`), `the replay reads "${loaded}"`);
    check((await sim.getByLabel('Policy', { exact: true }).inputValue()) === replay.policy.id, "the ticket's own policy is selected");
    check((await sim.getByTestId(`sim-event-${replay.events.length - 1}`).count()) === 1, 'every event is in the form');
    check((await sim.getByLabel('Event 1: time').getAttribute('type')) === 'datetime-local', 'instants are date/time inputs');
    const other = await sim.getByLabel('Policy', { exact: true }).locator('option').evaluateAll((os, own) => (os as HTMLOptionElement[]).map((o) => o.value).find((v) => v !== own && v !== '__draft__'), replay.policy.id);
    if (other) {
      await sim.getByLabel('Policy', { exact: true }).selectOption(other);
      await page.getByTestId('sim-policy-override').waitFor();
      await page.getByTestId('sim-policy-reset').click();
      await page.getByTestId('sim-policy-override').waitFor({ state: 'detached' });
    }
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-result').waitFor();
    await axe(page, 'admin/sla-simulator (replayed ticket)');
    await shot(page, 'admin2-sla-replay');
  }, [signedIn]);

  await step('admin2: a supervisor is not offered the admin-only sections and sees the customer notices read-only', async () => {
    const sup = await newActor(browser, base);
    try {
      const { page } = sup;
      watch(page);
      await staffSignIn(page, 'sam@demo.replyby.dev', 'demo1234');
      await page.goto('/admin/customer-notices');
      await page.getByTestId('notices-readonly').waitFor();
      check((await page.getByTestId('notices-save').count()) === 0, 'no save button for a supervisor');
      check((await page.getByTestId('admin-tab-mail-templates').count()) === 1, 'the mail templates are offered');
      check((await page.getByTestId('admin-tab-webhooks').count()) === 0 && (await page.getByTestId('admin-tab-support-addresses').count()) === 0, 'the admin-only sections are not offered');
      await page.goto('/admin/webhooks');
      await page.getByTestId('admin-not-found').waitFor();
    } finally {
      await sup.ctx.close();
    }
  });

  await admin.ctx.close();
}
