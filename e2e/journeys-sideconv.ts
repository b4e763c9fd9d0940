// Side conversations (issue 20 item 3): from a ticket's Side tab an agent writes to an outside address, the
// thread shows in the panel with its state, and the page passes axe; the customer's portal shows none of it.

import { apiAs, check, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export async function sideconvJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const staff = await newActor(browser, base);
  const api = await apiAs(base, 'alex@demo.replyby.dev');
  const subject = `Vendor check ${RUN_ID}`;
  await step('side conversations: an agent starts one from the Side tab, sees it waiting, reads and closes its thread', async () => {
    const created = await api<{ number: number }>('POST', '/api/v1/tickets', { subject: `Parcel lost ${RUN_ID}`, message: 'Where is my parcel?', requester: { email: 'ben@globex.example' } });
    check(created.status === 201, `ticket created: ${created.status}`);
    const { page } = staff;
    watch(page);
    await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
    await page.goto(`/tickets/${created.body.number}`);
    await page.getByTestId('ticket-tab-side').click();
    const panel = page.getByTestId('side-conversations');
    await panel.waitFor();
    await panel.getByLabel('E-mail address').fill(`ops.${RUN_ID}@vendor.example`);
    await panel.getByLabel('Subject').fill(subject);
    await panel.getByLabel('Message').fill('Was the parcel shipped?');
    await panel.getByRole('button', { name: 'Send' }).click();
    const item = panel.getByTestId('side-item').filter({ hasText: subject });
    await item.waitFor();
    check((await panel.innerText()).includes('waiting for reply'), 'the new side conversation waits for the other party');
    await item.click();
    await panel.getByTestId('side-thread').getByText('Was the parcel shipped?').waitFor();
    await shot(page, 'side-conversation');
    await axe(page, 'ticket page, Side tab with a side conversation open');
    await panel.getByTestId('side-thread').getByRole('button', { name: 'Close' }).click();
    await panel.getByText('closed').first().waitFor();
    const timeline = await api<unknown>('GET', `/api/v1/tickets/${created.body.number}/messages`);
    check(!JSON.stringify(timeline.body).includes('Was the parcel shipped?'), 'the side message is not in the ticket conversation');
  });
}
