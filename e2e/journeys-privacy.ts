// Personal data (issue 21 item 4, docs/security.md): an admin exports a contact's data, erases it after the
// confirmation dialog, and sets the retention rule with its dry-run count; both screens checked with axe.

import { apiAs, check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export async function privacyJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const admin = await newActor(browser, base);
  const api = await apiAs(base, 'ada@demo.replyby.dev');
  const email = `erase.me.${RUN_ID}@customer.example`;
  const created = await api('POST', '/api/v1/contacts', { email, name: `Erin Erasable ${RUN_ID}` });
  check(created.status === 201, `the contact is created (${created.status})`);
  const id = (created.body as { id: string }).id;

  await step('privacy: an admin exports a contact as JSON, then erases it after confirming in a dialog', async () => {
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.goto('/admin/contacts');
    await page.getByTestId('contacts-search').fill(email);
    const row = page.getByTestId(`contact-row-${email}`);
    await row.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-contact-${id}`).click()]);
    check(download.suggestedFilename() === `contact-${id}.json`, `the export downloads as ${download.suggestedFilename()}`);
    await page.getByTestId(`erase-contact-${id}`).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await axe(page, 'admin/contacts (erase dialog)');
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByTestId('privacy-status').filter({ hasText: 'Erased' }).waitFor();
    await row.waitFor({ state: 'detached' });
    const after = await api('GET', `/api/v1/contacts/${id}`);
    const contact = after.body as unknown as { name: string; email: string | null };
    check(contact.name === '[erased]' && contact.email === null, `the contact reads ${JSON.stringify(contact)}`);
    await shot(page, 'privacy-contacts');
  });

  await step('privacy: Admin → Retention saves a per-type rule and shows the dry-run count', async () => {
    const { page } = admin;
    await page.goto('/admin/retention');
    const form = page.getByTestId('retention-form');
    await form.waitFor();
    await page.getByTestId('retention-months').fill('0');
    await page.getByTestId('retention-save').click();
    await form.locator('.field.has-error').first().waitFor();
    await page.getByTestId('retention-months').fill('120');
    await page.getByTestId('retention-type-quote').fill('60');
    await page.getByTestId('retention-save').click();
    await page.getByTestId('retention-due').filter({ hasText: 'would be anonymised' }).waitFor();
    await axe(page, 'admin/retention');
    const rule = (await api('GET', '/api/v1/admin/retention-settings')).body as unknown as { enabled: boolean; months: number; per_type: Record<string, number> };
    check(rule.enabled === false && rule.months === 120 && rule.per_type.quote === 60, `the rule reads ${JSON.stringify(rule)}`);
    await shot(page, 'privacy-retention');
  });
  await admin.ctx.close();
}
