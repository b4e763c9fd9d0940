// Browser journeys for attachments (review item 11): a customer attaches a log to the web form and is told,
// beside the file, that the program she also picked is not accepted; the agent sees her log under her
// message, attaches a PDF to his reply (it reaches her mailbox as a real attachment), and is refused a
// program the same way.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, log, newActor, ROOT, RUN_ID, shot, staffSignIn, step, watch, type JourneyEnv } from './harness.ts';
import { signInPathIn } from './mailbox.ts';

/** The first 512 bytes of a real Windows program, renamed: refused by content, whatever the name. */
const PE = readFileSync(join(ROOT, 'test/fixtures/attachments/pe-header.bin'));
const PDF = Buffer.from(`%PDF-1.4\n% steps ${RUN_ID}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);

export async function attachJourneys({ browser, base, mailbox }: JourneyEnv): Promise<void> {
  const customer = await newActor(browser, base);
  const page = customer.page;
  watch(page);
  const email = `petra.${RUN_ID}@example.com`;
  const subject = `Export crashes ${RUN_ID}`;
  let number = 0;

  const formStep = 'attach: on the web form a program is refused beside its file ("Attachment 2 (fix.exe): executable files are not accepted."); without it the request is sent with her log';
  await step(formStep, async () => {
    await page.goto('/support');
    const form = page.getByTestId('support-form');
    await form.getByLabel('Your name').fill('Petra');
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Subject').fill(subject);
    await form.getByLabel('Message', { exact: true }).fill('The CSV export stops with an error; the log is attached.');
    await form.getByLabel('Attach files').setInputFiles([
      { name: 'export.log', mimeType: 'text/plain', buffer: Buffer.from(`export failed: code 17 ${RUN_ID}\n`) },
      { name: 'fix.exe', mimeType: 'application/octet-stream', buffer: PE },
    ]);
    check((await page.getByTestId('form-attach-file').count()) === 2, 'both chosen files are listed');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/public/requests') && r.request().method() === 'POST');
    await page.getByTestId('submit-request').click();
    check((await refused).status() === 400, 'the server refuses the program');
    const error = page.getByTestId('form-attach-error');
    await error.waitFor();
    const text = (await error.innerText()).trim();
    log(`    file error: "${text}"`);
    check(text === 'Attachment 2 (fix.exe): executable files are not accepted.', `the error names the file and why: "${text}"`);
    await shot(page, 'attach-form-refused');
    check((await page.getByTestId('request-confirmation').count()) === 0, 'no request was made');
    await page.getByRole('button', { name: 'Remove fix.exe' }).click();
    check((await page.getByTestId('form-attach-error').count()) === 0, 'the error leaves with the file');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/public/requests') && r.request().method() === 'POST');
    await page.getByTestId('submit-request').click();
    const res = await answer;
    check(res.status() === 201, `the request is accepted (${res.status()})`);
    number = ((await res.json()) as { number: number }).number;
    await page.getByTestId('request-confirmation').waitFor();
  });

  const agentStep = 'attach: the agent sees her log under her message and attaches a PDF to his reply; it is listed under the reply and reaches her mailbox as an attachment';
  await step(agentStep, async () => {
    const agent = await newActor(browser, base);
    watch(agent.page);
    try {
      await staffSignIn(agent.page, 'alex@demo.replyby.dev', 'demo1234');
      await agent.page.goto(`/tickets/${number}`);
      const first = agent.page.getByTestId('timeline-message').filter({ hasText: 'The CSV export stops' });
      await first.getByTestId('attachments').getByRole('link', { name: 'export.log' }).waitFor();
      check((await agent.page.getByRole('link', { name: 'fix.exe' }).count()) === 0, 'the refused program is nowhere on the ticket');

      const composer = agent.page.getByTestId('composer');
      await composer.getByTestId('composer-body').fill(`Please follow the attached steps ${RUN_ID}.`);
      await composer.getByLabel('Attach files').setInputFiles([
        { name: 'steps.pdf', mimeType: 'application/pdf', buffer: PDF },
        { name: 'tool.pdf', mimeType: 'application/pdf', buffer: PE },
      ]);
      await composer.getByTestId('composer-send').click();
      const error = composer.getByTestId('composer-attach-error');
      await error.waitFor();
      const text = (await error.innerText()).trim();
      check(text === 'Attachment 2 (tool.pdf): executable files are not accepted.', `the agent is told which file and why: "${text}"`);
      check((await agent.page.getByTestId('timeline-message').filter({ hasText: `attached steps ${RUN_ID}` }).count()) === 0, 'nothing was sent');

      await composer.getByRole('button', { name: 'Remove tool.pdf' }).click();
      const before = mailbox.all().length;
      await composer.getByTestId('composer-send').click();
      await composer.getByTestId('composer-sent').waitFor();
      const reply = agent.page.getByTestId('timeline-message').filter({ hasText: `attached steps ${RUN_ID}` });
      await reply.getByTestId('attachments').getByRole('link', { name: 'steps.pdf' }).waitFor();
      check((await composer.getByTestId('composer-attach-file').count()) === 0, 'the composer is cleared after sending');
      await shot(agent.page, 'attach-agent-reply');

      const mail = await mailbox.waitFor(email, new RegExp(`attached steps ${RUN_ID}`), before);
      const files = mail.attachments ?? [];
      log(`    reply mail "${mail.subject}" carries: ${files.map((f) => `${f.filename} (${f.content.length} B)`).join(', ')}`);
      check(files.length === 1 && files[0]?.filename === 'steps.pdf' && files[0].content.equals(PDF), 'the mail carries steps.pdf, byte for byte');
    } finally {
      await agent.ctx.close();
    }
  }, [formStep]);

  await step('attach: in the portal she downloads the PDF under the reply and attaches a screenshot to her answer', async () => {
    watch(page);
    const ack = await mailbox.waitFor(email, /portal/);
    const link = signInPathIn(ack);
    check(link, 'sign-in link in the acknowledgement');
    await page.goto(link);
    await page.waitForURL(`**/portal/tickets/${number}`);
    const reply = page.getByTestId('timeline-message').filter({ hasText: `attached steps ${RUN_ID}` });
    const pdf = reply.getByTestId('attachments').getByRole('link', { name: 'steps.pdf' });
    await pdf.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
    check(readFileSync(await download.path()).equals(PDF), 'the PDF downloads byte for byte');
    const box = page.getByTestId('portal-reply');
    await box.getByLabel('Attach files').setInputFiles([{ name: 'after-steps.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]) }]);
    await box.locator('textarea[name="body"]').fill(`Still failing after the steps ${RUN_ID}.`);
    await box.getByRole('button', { name: /send/i }).click();
    const mine = page.getByTestId('timeline-message').filter({ hasText: `Still failing after the steps ${RUN_ID}` });
    await mine.getByTestId('attachments').getByRole('link', { name: 'after-steps.png' }).waitFor();
    await shot(page, 'attach-portal');
  }, [agentStep]);

  await customer.ctx.close();
}
