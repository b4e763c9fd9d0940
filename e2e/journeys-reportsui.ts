// The Reports screen (issue 18 items 1–2): filter, a chart beside its table, drill down to the tickets behind a
// number, and a table's CSV.

import { check, log, STEP_TIMEOUT_MS, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export async function reportsUiJourneys({ browser, base }: JourneyEnv): Promise<void> {
  await step('reports: filter by channel, the trend chart and its table, drill down from a number, CSV of the breakdown', async () => {
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
      await page.goto('/reports?days=90');
      await page.getByTestId('kpi-cards').waitFor();
      await page.getByTestId('rf-channel').selectOption('email');
      await page.waitForURL(/channel=email/);
      // The chart is drawn (a canvas: uPlot comes at the page's first pointer move) and its table holds the same
      // days, each number a link.
      await page.mouse.move(200, 200);
      await page.locator('[data-testid="rp-trend-chart"] canvas').first().waitFor();
      const table = page.getByTestId('rp-trend-table');
      await table.locator('caption').waitFor();
      const rows = await table.locator('tbody tr').count();
      check(rows >= 90, `the trend table has a row per day: ${rows}`);
      const arrivals = (await table.locator('tbody tr td:nth-child(2)').allInnerTexts()).reduce((n, s) => n + Number(s), 0);
      const volume = Number((await page.getByTestId('kpi-volume').locator('dd').first().innerText()).trim());
      check(arrivals === volume, `the trend's arrivals add up to the volume card: ${arrivals} vs ${volume}`);
      log(`    ${volume} e-mail tickets in 90 days, trend over ${rows} days`);
      // Drill down from the volume card: as many tickets as the number, all e-mail.
      await page.getByTestId('kpi-volume').getByRole('link').click();
      await page.getByTestId('report-drilldown').waitFor();
      check(/channel=email/.test(page.url()) && /kpi=volume/.test(page.url()), `the drill-down keeps the filter: ${page.url()}`);
      if (volume > 0) {
        await page.getByTestId('drill-table').locator('tbody tr').first().waitFor();
        const listed = await page.getByTestId('drill-table').locator('tbody tr').count();
        check(listed === Math.min(volume, 1000), `the drill-down lists ${listed} tickets for ${volume}`);
      }
      const drillCsv = await page.request.get((await page.getByTestId('drill-csv').getAttribute('href')) ?? '');
      check(drillCsv.ok() && (drillCsv.headers()['content-type'] ?? '').includes('text/csv'), `drill-down CSV ${drillCsv.status()}`);
      await page.goBack();
      // The breakdown by agent, its CSV link carrying the same filter.
      await page.getByTestId('rp-breakdown-by').selectOption('agent');
      await page.getByTestId('rp-breakdown-table').locator('caption').waitFor();
      const href = (await page.getByTestId('rp-breakdown-csv').getAttribute('href')) ?? '';
      check(href.includes('by=agent') && href.includes('channel=email') && href.includes('format=csv'), `CSV link: ${href}`);
      const csv = await page.request.get(href);
      check(csv.ok() && (await csv.text()).startsWith('agent,name,volume,'), `breakdown CSV ${csv.status()}`);
      await page.getByTestId('rp-heatmap-table').locator('caption').waitFor();
      await axe(page, 'reports with charts');
      // The heatmap as CSV, and a busy cell opens exactly its tickets.
      const heatCsv = await page.request.get((await page.getByTestId('rp-heatmap-csv').getAttribute('href')) ?? '');
      check(heatCsv.ok() && (await heatCsv.text()).startsWith('weekday,day,hour,zone,arrivals,breaches'), `heatmap CSV ${heatCsv.status()}`);
      const cell = page.getByTestId('rp-heatmap-table').locator('tbody td a').first();
      const count = Number(await cell.textContent());
      await cell.click();
      await page.getByTestId('drill-cell').waitFor();
      await page.getByTestId('drill-table').locator('tbody tr').first().waitFor();
      const cellRows = await page.getByTestId('drill-table').locator('tbody tr').count();
      check(cellRows === Math.min(count, 1000), `the heatmap cell of ${count} lists ${cellRows} tickets`);
    } finally {
      await ctx.close();
    }
  });
}
