// Integrations (issue 21 item 6): Admin → Webhooks with lifecycle subscriptions, editing and the delivery log;
// Admin → API tokens with scopes and a per-minute limit, the token shown once, then revoked. Both checked with axe.

import { check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export async function integrationsJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const admin = await newActor(browser, base);
  const signedIn = 'integrations: an admin subscribes a webhook to ticket lifecycle events, edits its subscriptions, and sees the delivery log';
  await step(signedIn, async () => {
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    const url = `https://hooks.example.com/lifecycle-${RUN_ID}`;
    await page.goto('/admin/webhooks');
    await page.getByTestId('webhook-deliveries').waitFor();
    await page.getByTestId('webhook-new').click();
    const form = page.getByTestId('webhook-editor');
    await form.getByTestId('webhook-url').fill(url);
    await form.getByTestId('webhook-event-ticket.created').check();
    await form.getByTestId('webhook-event-ticket.solved').check();
    await page.getByTestId('webhook-save').click();
    const row = page.getByTestId(`webhook-row-${url}`);
    await row.waitFor();
    check((await row.innerText()).includes('ticket.created, ticket.solved'), `the row reads "${await row.innerText()}"`);
    check((await page.getByTestId('webhook-secret').innerText()).includes('whsec_'), 'the signing secret is shown once');
    await axe(page, 'admin/webhooks (lifecycle)');
    await row.getByRole('button', { name: `Edit ${url}` }).click();
    const edit = page.getByTestId('webhook-editor');
    check(await edit.getByTestId('webhook-event-ticket.created').isChecked(), 'the editor shows the subscriptions');
    await edit.getByTestId('webhook-event-ticket.created').uncheck();
    await edit.getByTestId('webhook-event-ticket.closed').check();
    await axe(page, 'admin/webhooks (editor)');
    await page.getByTestId('webhook-save').click();
    await page.getByText('ticket.solved, ticket.closed').waitFor();
    await page.getByTestId('deliveries-filter').selectOption('dead');
    await shot(page, 'integrations-webhooks');
    await row.getByRole('button', { name: `Delete ${url}` }).click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  });

  await step('integrations: an admin makes a read + tickets API token with a limit, sees it once, then revokes it', async () => {
    const { page } = admin;
    watch(page);
    const name = `CRM ${RUN_ID}`;
    await page.goto('/admin/api-tokens');
    await page.getByTestId('api-tokens-admin').waitFor();
    await page.getByTestId('api-token-new').click();
    const form = page.getByTestId('api-token-editor');
    await form.getByTestId('api-token-name').fill(name);
    await form.getByTestId('api-token-scope-tickets').check();
    await form.getByTestId('api-token-limit').fill('0');
    await page.getByTestId('api-token-save').click();
    await form.locator('.field.has-error').waitFor();
    await form.getByTestId('api-token-limit').fill('120');
    await page.getByTestId('api-token-save').click();
    const row = page.getByTestId(`api-token-${name}`);
    await row.waitFor();
    check((await page.getByTestId('api-token-secret').innerText()).includes('rbt_'), 'the token is shown once');
    const text = await row.innerText();
    check(text.includes('Read, Tickets') && text.includes('120 per minute'), `the row reads "${text}"`);
    await axe(page, 'admin/api-tokens');
    await shot(page, 'integrations-tokens');
    await page.getByTestId(`api-token-revoke-${name}`).click();
    await row.getByText('Revoked').waitFor();
  }, [signedIn]);
}
