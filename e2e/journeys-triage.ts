// Triage journeys (issue 9): an agent applies a classifier suggestion that was below the threshold and fills in
// the diagnosis; an admin adds a diagnosis field that then appears on the ticket page, retrains the classifier and
// tidies the knowledge base (category rename/delete, archive and restore); axe on every new screen.

import type { Page } from 'playwright-core';
import { check, log, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv, apiAs } from './harness.ts';
import { axe } from './journeys-workspace.ts';


type Triage = { suggestion: Partial<Record<'type' | 'priority', { label: string; confidence: number }>> | null; diagnosis: Record<string, string> };

async function selectValue(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).inputValue();
}

export async function triageJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const ada = await apiAs(base, 'ada@demo.replyby.dev');
  const alex = await newActor(browser, base);
  const admin = await newActor(browser, base);
  const fieldKey = `component_${RUN_ID.replace(/[^a-z0-9]/g, '')}`;
  let number = 0;
  let threshold = 0.8;

  const setup = 'triage: a web request whose type the customer chose gets a classifier suggestion below the threshold';
  await step(setup, async () => {
    threshold = (await ada<{ classifier_threshold: number }>('GET', '/api/v1/triage/settings')).body.classifier_threshold;
    // 1 = only ever suggest: whatever the model's confidence, it stays below the threshold.
    check((await ada('PATCH', '/api/v1/triage/settings', { classifier_threshold: 1 })).status === 200, 'threshold not set');
    check((await ada('POST', '/api/v1/triage/classifier/train')).status === 200, 'training failed');
    const res = await fetch(`${base}/api/v1/public/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Tess Triage', email: `tess.${RUN_ID}@example.com`, subject: `Charged twice, refund request ${RUN_ID}`,
        message: 'We were charged twice for the subscription. The invoice is wrong, please refund the double payment.', type: 'technical_question' }),
    });
    check(res.status === 201, `web form answered ${res.status}`);
    number = ((await res.json()) as { number: number }).number;
    // The words route it to a group Alex may not be in; assigned to him, he sees it wherever it is.
    const users = (await ada<{ data: { id: string; email: string }[] }>('GET', '/api/v1/users')).body.data;
    const alexId = users.find((u) => u.email === 'alex@demo.replyby.dev')?.id;
    check(alexId, 'no Alex in the demo');
    check((await ada('PATCH', `/api/v1/tickets/${number}`, { assignee_id: alexId })).status === 200, 'not assigned to Alex');
    const triage = (await ada<Triage>('GET', `/api/v1/tickets/${number}/triage`)).body;
    check(triage.suggestion?.type && triage.suggestion.type.label !== 'technical_question', `no type suggestion: ${JSON.stringify(triage)}`);
    log(`    #${number}: suggestion ${JSON.stringify(triage.suggestion)}`);
  });

  await step('triage: the agent applies the suggested type on the ticket page; the ticket and the panel show it', async () => {
    const { page } = alex;
    watch(page);
    await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
    await page.goto(`/tickets/${number}`);
    // The triage panel is a tab of the ticket page's side panel (remembered for the rest of the session).
    await page.getByTestId('ticket-tab-triage').click();
    const panel = page.getByTestId('triage-panel');
    await panel.getByTestId('triage-suggestion-type').waitFor();
    check((await panel.getByTestId('triage-stage').innerText()).trim().length > 0, 'no stage shown');
    check((await panel.getByTestId('triage-language').innerText()).includes('English'), 'the language is not shown');
    const suggested = (await ada<Triage>('GET', `/api/v1/tickets/${number}/triage`)).body.suggestion?.type?.label ?? '';
    check((await selectValue(page, 'field-type')) === 'technical_question', 'the type was changed before Apply');
    await axe(page, 'ticket page with the triage panel');
    await panel.getByTestId('triage-apply-type').click();
    await panel.getByTestId('triage-applied-type').waitFor();
    await page.waitForFunction((v) => (document.querySelector('[data-testid="field-type"]') as HTMLSelectElement | null)?.value === v, suggested);
    await page.reload();
    await page.getByTestId('triage-applied-type').waitFor();
    check((await selectValue(page, 'field-type')) === suggested, 'the applied type did not persist');
    await shot(page, 'triage-panel');
    const events = (await ada<{ data: { kind: string }[] }>('GET', `/api/v1/tickets/${number}/events`)).body.data;
    check(events.some((e) => e.kind === 'type_changed'), 'no type_changed event');
  }, [setup]);

  await step('triage: the agent sets diagnosis fields (select and text) and clears one', async () => {
    const { page } = alex;
    watch(page);
    await page.getByTestId('diagnosis-impact').selectOption('high');
    await page.getByTestId('diagnosis-affected_service').fill('Billing');
    await page.getByTestId('diagnosis-save').click();
    await page.getByTestId('diagnosis-status').filter({ hasText: 'saved' }).waitFor();
    check(JSON.stringify((await ada<Triage>('GET', `/api/v1/tickets/${number}/triage`)).body.diagnosis) === JSON.stringify({ impact: 'high', affected_service: 'Billing' }), 'diagnosis not stored');
    await page.getByTestId('diagnosis-affected_service').fill('');
    await page.getByTestId('diagnosis-save').click();
    for (let i = 0; i < 20; i += 1) {
      if (!('affected_service' in (await ada<Triage>('GET', `/api/v1/tickets/${number}/triage`)).body.diagnosis)) break;
      await page.waitForTimeout(250);
    }
    const d = (await ada<Triage>('GET', `/api/v1/tickets/${number}/triage`)).body.diagnosis;
    check(JSON.stringify(d) === JSON.stringify({ impact: 'high' }), `not cleared: ${JSON.stringify(d)}`);
    await page.reload();
    check((await selectValue(page, 'diagnosis-impact')) === 'high', 'the diagnosis did not persist');
  }, [setup]);

  const added = 'triage: an admin adds a diagnosis field; it appears on the agent’s ticket page and takes a value';
  await step(added, async () => {
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-diagnosis-fields').click();
    await page.getByTestId('fields-table').waitFor();
    // A bad key is refused beside the field.
    const form = page.getByTestId('field-new');
    await form.getByTestId('field-key').fill('Bad Key');
    await form.getByTestId('field-label').fill('Component');
    await form.getByTestId('field-add').click();
    await form.locator('.field-error').first().waitFor();
    await axe(page, 'admin diagnosis fields (with a field error)');
    await form.getByTestId('field-key').fill(fieldKey);
    await form.getByTestId('field-options').fill('Web app\nMobile app\nAPI');
    await form.getByTestId('field-add').click();
    await page.getByTestId(`field-row-${fieldKey}`).waitFor();
    await shot(page, 'admin-diagnosis-fields');

    const agent = alex.page;
    watch(agent);
    await agent.reload();
    const select = agent.getByTestId(`diagnosis-${fieldKey}`);
    await select.waitFor();
    await select.selectOption('Mobile app');
    await agent.getByTestId('diagnosis-save').click();
    await agent.getByTestId('diagnosis-status').filter({ hasText: 'saved' }).waitFor();
    check((await ada<Triage>('GET', `/api/v1/tickets/${number}/triage`)).body.diagnosis[fieldKey] === 'Mobile app', 'the new field was not stored');
  }, [setup]);

  await step('triage: the admin retires the field; the ticket keeps its value, shown as retired', async () => {
    const { page } = admin;
    watch(page);
    await page.getByTestId(`field-toggle-${fieldKey}`).click();
    await page.getByTestId('admin-status').waitFor();
    await page.getByTestId(`field-row-${fieldKey}`).filter({ hasText: 'Retired' }).waitFor();
    await alex.page.reload();
    await alex.page.getByTestId('diagnosis-retired').filter({ hasText: 'Mobile app' }).waitFor();
    await shot(alex.page, 'triage-panel-retired');
    check((await alex.page.getByTestId(`diagnosis-${fieldKey}`).count()) === 0, 'a retired field is still offered');
  }, [added]);

  await step('triage: Admin → Classifier shows the settings and the live models, retrains on demand and reports it', async () => {
    const { page } = admin;
    watch(page);
    await page.getByTestId('admin-tab-classifier').click();
    await page.getByTestId('classifier-settings').waitFor();
    check((await page.getByTestId('classifier-threshold').inputValue()) === '100', 'the threshold is not shown as a percentage');
    await page.getByTestId('classifier-window').fill('0');
    await page.getByTestId('classifier-save').click();
    await page.getByTestId('classifier-settings').locator('.field-error').waitFor();
    await page.getByTestId('classifier-window').fill('21');
    await page.getByTestId('classifier-save').click();
    await page.getByTestId('classifier-saved').filter({ hasText: 'saved' }).waitFor();
    check((await ada<{ repeat_window_days: number }>('GET', '/api/v1/triage/settings')).body.repeat_window_days === 21, 'window not saved');
    await page.getByTestId('classifier-train').click();
    const report = page.getByTestId('classifier-report');
    await report.waitFor();
    const text = await report.innerText();
    check(/trained on \d+ tickets/.test(text), `report: ${text}`);
    await axe(page, 'admin classifier');
    await shot(page, 'admin-classifier');
    log(`    ${text.replace(/\s+/g, ' ')}`);
  });

  await step('triage: KB admin renames a category, is told why a category with articles cannot go, archives and restores an article', async () => {
    const { page } = admin;
    watch(page);
    const cat = await ada('POST', '/api/v1/kb/categories', { name: `Journeys ${RUN_ID}` });
    check(cat.status === 201, `category: ${cat.status}`);
    const title = `Archive me ${RUN_ID}`;
    const art = await ada('POST', '/api/v1/kb/articles', { title, body: 'An article for the archive journey.', language: 'en', status: 'published', category_id: cat.body.id });
    check(art.status === 201, `article: ${art.status}`);
    await page.getByTestId('admin-tab-kb').click();
    const item = page.getByTestId(`kb-category-Journeys ${RUN_ID}`);
    await item.getByTestId('kb-category-rename').click();
    await item.getByTestId('kb-category-name').fill(`Journeys renamed ${RUN_ID}`);
    await item.getByTestId('kb-category-rename-save').click();
    const renamed = page.getByTestId(`kb-category-Journeys renamed ${RUN_ID}`);
    await renamed.waitFor();
    await renamed.getByTestId('kb-category-delete').click();
    await page.getByTestId('confirm-yes').click();
    await renamed.getByTestId('kb-category-error').filter({ hasText: 'still holds 1 article' }).waitFor();

    await page.getByLabel('Search articles').fill(`Archive ${RUN_ID}`);
    await page.getByTestId('kb-search-submit').click();
    await page.getByTestId(`kb-row-${title}`).getByRole('button').click();
    await page.getByTestId('kb-archive-button').click();
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId('admin-status').filter({ hasText: 'archived' }).waitFor();
    await page.getByTestId(`kb-archived-${title}`).waitFor();
    check((await fetch(`${base}/api/v1/help/articles/${art.body.id}`)).status === 404, 'an archived article is still public');
    await axe(page, 'admin knowledge base with the archive');
    await shot(page, 'admin-kb-archive');
    await page.getByTestId(`kb-archived-${title}`).getByTestId('kb-restore').click();
    await page.getByTestId('admin-status').filter({ hasText: 'restored' }).waitFor();
    check((await fetch(`${base}/api/v1/help/articles/${art.body.id}`)).status === 200, 'the restored article is not public again');
  });

  // Leave the demo's settings as they were for whatever runs next.
  await ada('PATCH', '/api/v1/triage/settings', { classifier_threshold: threshold, repeat_window_days: 14 });
  for (const a of [alex, admin]) await a.ctx.close();
}
