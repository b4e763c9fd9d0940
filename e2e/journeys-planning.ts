// The Planning and Roster screens (issue 19 item 4): a supervisor opens Planning, sees next week's required vs
// rostered staff per hour, changes an agent's roster on the Roster screen and sees the rostered count change;
// axe finds no serious violation on either screen.

import { apiAs, check, log, STEP_TIMEOUT_MS, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

const AGENT = 'bea@demo.replyby.dev'; // the demo's Billing agent

export async function planningJourneys({ browser, base }: JourneyEnv): Promise<void> {
  await step('planning: next week required vs rostered, change a roster, the rostered count follows', async () => {
    const api = await apiAs(base, 'sam@demo.replyby.dev');
    const groups = await api<{ data: { id: string; name: string }[] }>('GET', '/api/v1/groups');
    const billing = groups.body.data.find((g) => g.name === 'Billing');
    check(billing, 'the demo has a Billing group');
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
    ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await ctx.newPage();
    try {
      await page.goto('/');
      const form = page.getByTestId('staff-sign-in');
      await form.getByLabel('E-mail').fill('sam@demo.replyby.dev');
      await form.getByLabel('Password').fill('demo1234');
      await page.getByTestId('sign-in-submit').click();
      await page.getByTestId('current-user').waitFor();
      watch(page);
      await page.getByTestId('nav-planning').click();
      await page.getByTestId('planning').waitFor();
      await page.getByTestId('planning-group').selectOption(billing.id);
      const table = page.getByTestId('planning-table');
      await table.locator('caption').waitFor();
      const rows = await table.locator('tbody tr').count();
      check(rows >= 167 && rows <= 169, `a row per hour of the week: ${rows}`);
      // The chart is drawn (uPlot comes at the page's first pointer move) beside its table, the heatmap below.
      await page.mouse.move(300, 300);
      await page.locator('[data-testid="planning-chart"] canvas').first().waitFor();
      await page.getByTestId('planning-heatmap').locator('caption').waitFor();
      const headers = await table.locator('thead th').allInnerTexts();
      check(headers.some((h) => /^required staff$/i.test(h)) && headers.some((h) => /^rostered staff$/i.test(h)), `required and rostered columns: ${headers.join(' | ')}`);
      const before = Number(await page.getByTestId('planning-rostered-hours').innerText());
      const required = Number(await page.getByTestId('planning-required-hours').innerText());
      log(`    Billing next week: ${required} staff-hours required, ${before} rostered`);
      const csv = await page.request.get((await page.getByTestId('planning-csv').getAttribute('href')) ?? '');
      check(csv.ok() && (await csv.text()).startsWith('start,arrivals,required,rostered,gap,kept'), `plan CSV ${csv.status()}`);
      await axe(page, 'planning');

      // The Roster screen: add a 02:00–05:00 shift to Bea's Wednesdays (three more staff-hours next week).
      await page.getByTestId('planning-rosters-link').click();
      await page.getByTestId('rosters-table').locator('caption').waitFor();
      await page.getByTestId(`roster-edit-${AGENT}`).click();
      const editor = page.getByTestId('roster-editor');
      await editor.waitFor();
      const wednesday = editor.getByTestId('roster-weekly-wed');
      const had = (await wednesday.inputValue()).trim();
      await wednesday.fill(had ? `${had}, 02:00–05:00` : '02:00–05:00');
      await axe(page, 'roster editor');
      await editor.getByTestId('roster-save').click();
      await editor.waitFor({ state: 'detached' });
      const row = page.getByTestId(`roster-${AGENT}`);
      check(/02:00–05:00/.test(await row.innerText()), `the roster list shows the new shift: ${await row.innerText()}`);

      await page.getByRole('link', { name: 'Back to Planning' }).click();
      await page.getByTestId('planning-group').selectOption(billing.id);
      await page.getByTestId('planning-table').locator('caption').waitFor();
      await page.waitForFunction((b) => Number(document.querySelector('[data-testid="planning-rostered-hours"]')?.textContent) !== b, before);
      const after = Number(await page.getByTestId('planning-rostered-hours').innerText());
      log(`    after the change: ${after} staff-hours rostered`);
      check(Math.abs(after - before - 3) < 0.11, `three staff-hours more: ${before} → ${after}`);

      // An import with a bad line is refused, the problem named by its line.
      await page.getByTestId('planning-rosters-link').click();
      await page.getByTestId('roster-import-text').fill(`agent,kind,day,start,end,zone,country,note\n${AGENT},weekly,mon,25:00,12:00,Europe/Sofia,,\n`);
      await page.getByTestId('roster-import-run').click();
      const problems = await page.getByTestId('roster-import-error').innerText();
      check(/line 2/.test(problems), `the import names the line: ${problems}`);
      await axe(page, 'rosters with an import problem');
    } finally {
      await ctx.close();
    }
  });
}
