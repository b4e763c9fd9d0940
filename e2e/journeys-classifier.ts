// Classifier journeys (review item 3): Admin → Classifier shows each live model's cross-validated accuracy per
// label and per language and the minimum of examples before a label is applied; a type the classifier set
// reads on the ticket's timeline as a sentence with its confidence, never as raw JSON.

import { apiAs, check, log, newActor, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

export async function classifierJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const ada = await apiAs(base, 'ada@demo.replyby.dev');
  const admin = await newActor(browser, base);
  const before = (await ada<{ classifier_threshold: number; classifier_min_examples: number }>('GET', '/api/v1/triage/settings')).body;

  const signedIn = 'classifier: Admin → Classifier shows accuracy per label and per language, and the minimum of examples';
  await step(signedIn, async () => {
    const { page } = admin;
    watch(page);
    await staffSignIn(page, 'ada@demo.replyby.dev', 'demo1234');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-classifier').click();
    const quality = page.getByTestId('classifier-quality-type');
    await quality.getByTestId('classifier-languages-type').waitFor();
    // The demo model was trained with cross-validation at seeding: four languages, four types, each measured.
    const langRows = await page.getByTestId('classifier-languages-type').locator('tbody tr').allInnerTexts();
    check(langRows.length === 4 && langRows.every((r) => /\d+%/.test(r)), `languages: ${JSON.stringify(langRows)}`);
    const classRows = await page.getByTestId('classifier-classes-type').locator('tbody tr').allInnerTexts();
    check(classRows.some((r) => r.toLowerCase().includes('quote or proposal')) && classRows.every((r) => /Applied automatically|Suggested only/.test(r)), `classes: ${JSON.stringify(classRows)}`);
    const summary = await page.getByTestId('classifier-quality-type-summary').innerText();
    check(/accuracy \d+%, mean confidence \d+%, calibration error [\d.]+%/.test(summary), `summary: ${summary}`);
    check((await page.getByTestId('classifier-min-examples').inputValue()) === String(before.classifier_min_examples), 'the minimum is not shown');
    await page.getByTestId('classifier-min-examples').fill('0');
    await page.getByTestId('classifier-save').click();
    await page.getByTestId('classifier-settings').locator('.field-error').waitFor();
    await page.getByTestId('classifier-min-examples').fill('500');
    await page.getByTestId('classifier-save').click();
    await page.getByTestId('classifier-saved').filter({ hasText: 'saved' }).waitFor();
    check((await ada<{ classifier_min_examples: number }>('GET', '/api/v1/triage/settings')).body.classifier_min_examples === 500, 'minimum not saved');
    // No label has 500 examples: every row now says "suggested only".
    await page.getByTestId('classifier-classes-type').locator('tbody tr').first().filter({ hasText: 'Suggested only' }).waitFor();
    await axe(page, 'admin classifier with its accuracy tables');
    await shot(page, 'admin-classifier-quality');
  });

  await step('classifier: a type the classifier set reads as a sentence with its confidence on the timeline', async () => {
    const { page } = admin;
    watch(page);
    check((await ada('PATCH', '/api/v1/triage/settings', { classifier_threshold: 0.5, classifier_min_examples: 20 })).status === 200, 'settings not set');
    const res = await fetch(`${base}/api/v1/public/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      // A complaint keeps the 24-hour promise of the form's default type, so the classifier may apply it (a quote,
      // 48 hours, would lengthen the promise and is only suggested: docs/promise.md).
      body: JSON.stringify({ name: 'Cleo Classifier', email: `cleo.${RUN_ID}@example.com`, subject: `We were charged twice for the invoice ${RUN_ID}`,
        message: 'We were charged twice for the same invoice. Please refund the double payment.' }),
    });
    check(res.status === 201, `web form answered ${res.status}`);
    const { number } = (await res.json()) as { number: number };
    const events = (await ada<{ data: { kind: string; after: { type?: string; classifier?: { confidence: number } } }[] }>('GET', `/api/v1/tickets/${number}/events`)).body.data;
    const changed = events.find((e) => e.kind === 'type_changed');
    check(changed?.after.type === 'complaint' && (changed.after.classifier?.confidence ?? 1) < 1, `events: ${JSON.stringify(events.map((e) => e.kind))}`);
    await page.goto(`/tickets/${number}`);
    const line = page.getByTestId('timeline-event').filter({ hasText: 'Classifier set type to Complaint' });
    await line.waitFor();
    const text = await line.innerText();
    check(/\(confidence \d{1,2}%\)/.test(text) && !/model_id|\{/.test(text), `timeline: ${text}`);
    log(`    ${text.replace(/\s+/g, ' ')}`);
    await shot(page, 'timeline-classifier-sentence');
  }, [signedIn]);

  // Leave the demo's settings as they were for whatever runs next.
  await ada('PATCH', '/api/v1/triage/settings', { classifier_threshold: before.classifier_threshold, classifier_min_examples: before.classifier_min_examples });
  await admin.ctx.close();
}
