// Surge mode and degraded mode from the screens (issue 19 items 5–6, docs/surge.md): a supervisor declares a surge
// with a message on Reports → Surges, a customer on the form sees it in Russian, the surge ends; an admin switches
// read-only on (Admin → Degraded mode), customers and staff see the banner, writes are refused with 503
// read_only, the printable queue lists the open requests, and read-only goes off again. Whatever happens, the
// journey leaves no surge and no read-only mode behind for the journeys after it.

import { apiAs, check, log, newActor, shot, staffSignIn, step, type JourneyEnv } from './harness.ts';

export async function surgeJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const sam = await apiAs(base, 'sam@demo.replyby.dev');
  const ada = await apiAs(base, 'ada@demo.replyby.dev');
  try {
    await step('surge: a supervisor declares a surge with a message; the Russian form shows it; ending it removes the notice', async () => {
      const staff = await newActor(browser, base);
      await staffSignIn(staff.page, 'sam@demo.replyby.dev', 'demo1234');
      await staff.page.goto('/reports');
      await staff.page.getByTestId('surge-message').fill('Сбой у провайдера: отвечаем медленнее.');
      await staff.page.getByTestId('surge-declare').click();
      await staff.page.getByTestId('surge-active').waitFor();
      await staff.page.getByTestId('surge-banner').waitFor();
      const customer = await newActor(browser, base);
      await customer.page.addInitScript(() => window.localStorage.setItem('rb_lang', 'ru'));
      await customer.page.goto('/support');
      const notice = await customer.page.getByTestId('surge-banner').innerText();
      log(`    form notice: ${notice}`);
      check(notice.includes('Сейчас у нас больше обращений') && notice.includes('Сбой у провайдера'), `the form's notice is "${notice}"`);
      await shot(customer.page, 'surge-form');
      await staff.page.getByTestId('surge-end').click();
      await staff.page.getByTestId('surge-declare').waitFor();
      check(await staff.page.getByTestId('surges-table').isVisible(), 'the surge report table is not shown');
      await customer.page.reload();
      await customer.page.getByTestId('support-form').waitFor();
      check(!(await customer.page.getByTestId('surge-banner').isVisible()), 'the notice stays after the surge ended');
      await staff.ctx.close();
      await customer.ctx.close();
    });

    await step('degraded mode: an admin switches read-only on; banners, 503 read_only, the printable queue; then off', async () => {
      const admin = await newActor(browser, base);
      await staffSignIn(admin.page, 'ada@demo.replyby.dev', 'demo1234');
      await admin.page.goto('/admin/degraded-mode');
      await admin.page.getByTestId('read-only-toggle').click();
      await admin.page.getByTestId('read-only-on').waitFor();
      const refused = await sam('POST', '/api/v1/tickets', { subject: 'During read-only', message: 'x', requester: { email: 'someone@example.com' } });
      check(refused.status === 503 && (refused.body as unknown as { error: { code: string } }).error.code === 'read_only', `a write answered ${refused.status}`);
      const customer = await newActor(browser, base);
      await customer.page.goto('/support');
      await customer.page.getByTestId('read-only-banner').waitFor();
      await admin.page.goto('/queue/print');
      await admin.page.getByTestId('print-queue').waitFor();
      const rows = await admin.page.locator('[data-testid="print-queue"] tbody tr').count();
      log(`    printable queue: ${rows} requests`);
      check(rows > 0, 'the printable queue is empty');
      await shot(admin.page, 'print-queue');
      await admin.page.goto('/admin/degraded-mode');
      await admin.page.getByTestId('read-only-toggle').click();
      await admin.page.getByTestId('read-only-message').waitFor();
      await admin.ctx.close();
      await customer.ctx.close();
    });
  } finally {
    await ada('PUT', '/api/v1/admin/read-only', { enabled: false });
    await sam('POST', '/api/v1/planning/surges/end');
  }
}
