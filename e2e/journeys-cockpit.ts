// The cockpit (issue 18 items 1 and 3): Admin → Import with a dry run that names its problems by file line, the
// import with its progress, and the same file again as "unchanged"; a customer's low score followed up by a
// supervisor on Reports → Cockpit. Both screens checked with axe.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { check, log, ROOT, STEP_TIMEOUT_MS, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/');
  const form = page.getByTestId('staff-sign-in');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill('demo1234');
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('current-user').waitFor();
  watch(page);
}

async function api(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function cockpitJourneys({ browser, base }: JourneyEnv): Promise<void> {
  await step('cockpit: Admin → Import — dry run with line-numbered problems, import with progress, the same file again unchanged', async () => {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
    ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await ctx.newPage();
    try {
      await signIn(page, 'ada@demo.replyby.dev');
      await page.goto('/admin/import');
      const screen = page.getByTestId('import-admin');
      await screen.waitFor();
      const csv = readFileSync(join(ROOT, 'test/fixtures/import/incidents.csv'));
      const mapping = readFileSync(join(ROOT, 'test/fixtures/import/incidents-mapping.json'), 'utf8');
      await page.getByTestId('import-file').setInputFiles({ name: 'incidents.csv', mimeType: 'text/csv', buffer: csv });
      await page.getByLabel('Mapping (JSON)').fill(mapping);
      await page.getByTestId('import-dry-run').click();
      await page.getByTestId('import-state').filter({ hasText: 'Finished.' }).waitFor();
      const problems = await page.getByTestId('import-errors').innerText();
      check(/line 19: incident_state/.test(problems), `the dry run names the line and field: ${problems}`);
      const wouldWrite = Number(/(\d+)/.exec(await page.getByTestId('import-written').innerText())?.[1]);
      check(wouldWrite > 0, `the dry run would write ${wouldWrite} tickets`);
      await axe(page, 'admin import after a dry run');

      await page.getByTestId('import-run').click();
      await page.getByTestId('import-progress').getByRole('heading', { name: 'Import', exact: true }).waitFor();
      await page.getByTestId('import-state').filter({ hasText: 'Finished.' }).waitFor();
      const written = Number(/(\d+)/.exec(await page.getByTestId('import-written').innerText())?.[1]);
      check(written === wouldWrite, `the import wrote what the dry run announced: ${written} vs ${wouldWrite}`);

      await page.getByTestId('import-run').click();
      await page.getByTestId('import-unchanged').filter({ hasText: `${written} unchanged` }).waitFor();
      const again = await page.getByTestId('import-written').innerText();
      check(/^0 /.test(again), `the second import writes nothing: ${again}`);
      log(`    imported ${written} tickets; the second run: ${written} unchanged`);
    } finally {
      await ctx.close();
    }
  });

  await step('cockpit: a low score notifies the supervisor, who notes the follow-up and marks it done on Reports → Cockpit', async () => {
    const staff = (await api(base, 'POST', '/api/v1/auth/sign-in', null, { email: 'sam@demo.replyby.dev', password: 'demo1234' })).token as string;
    const customer = (await api(base, 'POST', '/api/v1/portal/sign-in', null, { email: 'anna@acme.example', password: 'demo1234' })).token as string;
    const ticket = await api(base, 'POST', '/api/v1/tickets', staff, { subject: 'Cockpit journey: invoice export broken', message: 'The export is empty.', requester: { email: 'anna@acme.example' } });
    const number = ticket.number as number;
    await api(base, 'PATCH', `/api/v1/tickets/${number}`, staff, { status: 'solved' });
    await api(base, 'POST', `/api/v1/portal/tickets/${number}/closure`, customer, { outcome: 'solved', rating: 1, comment: 'Took far too long' });

    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
    ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await ctx.newPage();
    try {
      await signIn(page, 'sam@demo.replyby.dev');
      // The bell has the notification.
      const notes = await api(base, 'GET', '/api/v1/notifications', staff);
      check(JSON.stringify(notes).includes(`Low satisfaction score (1 of 5) on`), 'the supervisor was notified of the low score');
      await page.goto('/reports');
      await page.getByTestId('reports-cockpit-link').click();
      await page.getByTestId('cockpit-csat').locator('dl').waitFor();
      const item = page.getByTestId(`low-score-${number}`);
      await item.waitFor();
      await item.getByLabel('What was done').fill('Called Anna; the export fix ships Friday.');
      await item.getByRole('checkbox', { name: 'Done' }).check();
      await item.getByRole('button', { name: 'Save' }).click();
      await item.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const stored = (await api(base, 'GET', '/api/v1/reports/csat/low-scores?state=done', staff)).data as { number: number; note: string }[];
      check(stored.some((s) => s.number === number && s.note.startsWith('Called Anna')), 'the follow-up is stored as done with its note');
      await page.getByTestId('cockpit-cost').locator('table caption').waitFor();
      await page.getByTestId('cockpit-resolution').locator('table caption').waitFor();
      await axe(page, 'reports cockpit');
      // A cost row's resolutions open the tickets behind them (the ticket rated above was solved in the period).
      await page.getByTestId('cockpit-cost').locator('tbody tr').first().getByRole('link').first().click();
      await page.getByTestId('report-drilldown').waitFor();
      check(new URL(page.url()).searchParams.get('kpi') === 'resolution', 'a cost row drills into its solved tickets');
      await page.getByTestId('drill-table').waitFor();
    } finally {
      await ctx.close();
    }
  });
}
