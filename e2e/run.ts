// Browser journeys against the real server: `npm run test:e2e` (node --import tsx e2e/run.ts).
//
// Starts `node bin/replyby.mjs start` on a free port with a fresh data dir, waits for GET /ready, drives Debian's chromium
// through the customer → agent → customer journey, and prints `N passed, N failed` last.
//
// Env: E2E_DATABASE_URL (passed to the server as DATABASE_URL), E2E_SKIP_BUILD=1 (reuse web/dist),
// E2E_HEADED=1, E2E_SCREENSHOTS=1 (stage screenshots into .tmp/e2e/), CHROMIUM_PATH (default /usr/bin/chromium).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { signInPathIn, startMailbox, type Mailbox } from './mailbox.ts';
import { webUnits } from './web-units.ts';
import { promiseJourneys } from './journeys-promise.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.tmp', 'e2e');
// A loaded shared host can take longer to migrate and seed the demo: E2E_READY_TIMEOUT_MS overrides.
const READY_TIMEOUT_MS = Number(process.env.E2E_READY_TIMEOUT_MS ?? 90_000);
const STEP_TIMEOUT_MS = 20_000;
const RUN_ID = Date.now().toString(36).slice(-6);

mkdirSync(OUT, { recursive: true });

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function buildWeb(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(ROOT, 'web/dist/index.html'))) return;
  log('building web/dist …');
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('vite build failed');
}

type Server = { child: ChildProcess; logFile: string; dataDir: string; exited: Promise<number | null> };

function startServer(port: number, smtpUrl: string): Server {
  const dataDir = mkdtempSync(join(tmpdir(), 'replyby-e2e-'));
  const logFile = join(OUT, 'server.log');
  const out = createWriteStream(logFile);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), REPLYBY_DATA_DIR: dataDir, REPLYBY_SMTP_URL: smtpUrl };
  delete env.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  const args = ['bin/replyby.mjs', 'start'];
  log(`starting server: node ${args.join(' ')} (PORT=${port}, REPLYBY_DATA_DIR=${dataDir}${env.DATABASE_URL ? ', DATABASE_URL=…' : ''})`);
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, logFile, dataDir, exited };
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGTERM');
    const t = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await s.exited;
    clearTimeout(t);
  }
  try {
    rmSync(s.dataDir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function waitReady(base: string, s: Server): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void s.exited.then((c) => (exitCode = c));
  let last = '';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`server exited with code ${exitCode} before /ready`);
    try {
      const res = await fetch(`${base}/ready`);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`GET /ready not 200 within ${READY_TIMEOUT_MS / 1000}s (last: ${last})`);
}

// ---------- tiny step runner ----------

type StepResult = { name: string; ok: boolean; ms: number; error?: string };
const results: StepResult[] = [];
let currentPage: Page | null = null;

async function step(name: string, fn: () => Promise<void>, dependsOn: string[] = []): Promise<boolean> {
  const missing = dependsOn.filter((d) => !results.find((r) => r.name === d && r.ok));
  if (missing.length) {
    results.push({ name, ok: false, ms: 0, error: `skipped: needs ${missing.join(', ')}` });
    log(`✗ ${name} — skipped (needs ${missing.join(', ')})`);
    return false;
  }
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    log(`✓ ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n    ') : String(e);
    results.push({ name, ok: false, ms: Date.now() - t0, error: msg });
    log(`✗ ${name}\n    ${msg}`);
    if (currentPage) {
      const file = join(OUT, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      try {
        await currentPage.screenshot({ path: file, fullPage: true });
        log(`    screenshot: ${file} (url ${currentPage.url()})`);
      } catch {
        // page may be gone
      }
    }
    return false;
  }
}

/** With E2E_SCREENSHOTS=1, saves a screenshot of each stage into .tmp/e2e/ for a visual review. */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(OUT, `stage-${name}.png`), fullPage: true });
}

function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

// ---------- journeys ----------

type Shared = { number?: number; displayNumber?: string; followUrl?: string };

async function newActor(browser: Browser, base: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => log(`    [page error] ${err.message}`));
  return { ctx, page };
}

async function staffSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  const form = page.getByTestId('staff-sign-in');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await Promise.race([
    page.getByTestId('current-user').waitFor(),
    page
      .getByTestId('sign-in-error')
      .waitFor()
      .then(async () => {
        throw new Error(`sign-in failed: ${await page.getByTestId('sign-in-error').innerText()}`);
      }),
  ]);
}

async function openTicketFromQueue(page: Page, n: number): Promise<void> {
  await page.getByTestId('queue-table').waitFor();
  const row = page.getByTestId(`queue-row-${n}`);
  for (let i = 0; i < 10 && !(await row.isVisible()); i++) {
    await page.waitForTimeout(1000);
    await page.getByTestId('queue-refresh').click();
  }
  check(await row.isVisible(), `ticket #${n} is not in the queue`);
  const sla = (await row.getByTestId('sla').innerText()).trim();
  log(`    queue row #${n}: SLA cell "${sla.replace(/\s+/g, ' ')}"`);
  await shot(page, 'queue');
  await page.getByTestId('queue-filter').fill(`#${n}`);
  await check((await page.locator('[data-testid^="queue-row-"]').count()) === 1, 'filter by number shows one row');
  await row.getByTestId('queue-subject').click();
  await page.waitForURL(`**/tickets/${n}`);
  await page.getByTestId('ticket-page').waitFor();
  const shown = await page.getByTestId('ticket-display-number').innerText();
  check(shown.includes(String(n)), `ticket page shows ${shown}, expected #${n}`);
}

async function main(): Promise<number> {
  await step('web rules: SLA countdown colours, durations, error paths', async () => webUnits());
  buildWeb();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const mailbox = await startMailbox();
  const server = startServer(port, mailbox.url);
  let browser: Browser | null = null;
  const stop = () => {
    server.child.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const ready = await step('server answers GET /ready', () => waitReady(base, server));
    if (!ready) {
      log(tail(server.logFile));
      return finish();
    }
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: process.env.E2E_HEADED !== '1',
      args: [
        ...(process.env.E2E_HEADED === '1' ? [] : ['--headless']),
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    await journeys(browser, base, mailbox);
    await promiseJourneys({ browser, base, mailbox, step });
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await stopServer(server);
    await mailbox.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (results.some((r) => !r.ok)) log(`server log (last lines, full log in ${server.logFile}):\n${tail(server.logFile, 25)}`);
  return finish();
}

function finish(): number {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

async function journeys(browser: Browser, base: string, mailbox: Mailbox): Promise<void> {
  const shared: Shared = {};
  const subject = `Printer prints only blank pages ${RUN_ID}`;
  const replyText = `Hi Casey, please hold the power button for 10 seconds [reply ${RUN_ID}]`;
  const noteText = `Internal: probably firmware 2.1 again [note ${RUN_ID}]`;
  const customer = await newActor(browser, base);
  const agent = await newActor(browser, base);
  const sup = await newActor(browser, base);

  await step('customer submits the web form and sees the request number', async () => {
    const { page } = customer;
    currentPage = page;
    await page.goto('/support');
    const form = page.getByTestId('support-form');
    await form.getByLabel('Your name').fill('Casey Customer');
    await form.getByLabel('E-mail').fill('casey-at-example');
    await form.getByLabel('Request type').selectOption('technical_question');
    await form.getByLabel('Subject').fill(subject);
    await form.getByLabel('Message').fill('Since this morning every page comes out blank. Model X200.');
    // a bad e-mail is reported next to the field the server names in error.path
    await page.getByTestId('submit-request').click();
    await form.locator('.field.has-error').filter({ has: page.getByText('E-mail', { exact: true }) }).waitFor();
    await shot(page, 'support-form-error');
    await form.getByLabel('E-mail').fill(`casey.${RUN_ID}@example.com`);
    await shot(page, 'support-form');
    await page.getByTestId('submit-request').click();
    const num = page.getByTestId('ticket-number');
    await Promise.race([
      num.waitFor(),
      page
        .getByRole('alert')
        .first()
        .waitFor()
        .then(async () => {
          throw new Error(`form error: ${await page.getByRole('alert').first().innerText()}`);
        }),
    ]);
    const text = (await num.innerText()).trim();
    const m = /(\d+)/.exec(text);
    check(m?.[1], `no number in "${text}"`);
    shared.number = Number(m[1]);
    shared.displayNumber = text;
    const href = await page.getByTestId('follow-link').getAttribute('href');
    check(href, 'no follow link');
    shared.followUrl = href;
    await shot(page, 'support-confirmation');
    log(`    ticket ${text}, follow link ${href}`);
  });

  await step(
    'agent signs in, finds the ticket in the queue and replies publicly',
    async () => {
      const { page } = agent;
      currentPage = page;
      const n = shared.number ?? 0;
      await staffSignIn(page, 'alex@demo.replyby.dev', 'demo1234');
      await openTicketFromQueue(page, n);
      check((await page.getByTestId('ticket-subject').innerText()).includes(subject), 'subject shown on ticket page');
      await page.getByText('Public reply', { exact: true }).click();
      await page.getByTestId('composer-body').fill(replyText);
      await page.getByTestId('composer-send').click();
      await page.getByTestId('timeline-message').filter({ hasText: replyText }).waitFor();
      const kind = await page.getByTestId('timeline-message').filter({ hasText: replyText }).getAttribute('data-kind');
      check(kind === 'public', `reply shown as ${kind}, expected public`);
      // an internal note the customer must never see
      await page.getByText('Internal note', { exact: true }).first().click();
      await page.getByTestId('composer-body').fill(noteText);
      await page.getByTestId('composer-send').click();
      const note = page.getByTestId('timeline-message').filter({ hasText: noteText });
      await note.waitFor();
      check((await note.getAttribute('data-kind')) === 'internal', 'note shown as internal');
      await shot(page, 'agent-ticket');
    },
    ['customer submits the web form and sees the request number'],
  );

  await step(
    "customer follows the link and sees the agent's reply in the portal",
    async () => {
      const { page } = customer;
      currentPage = page;
      const n = shared.number ?? 0;
      // The follow link on the confirmation page is the ticket's portal address: it asks who you are.
      const follow = new URL(shared.followUrl ?? '/', base);
      await page.goto(follow.pathname);
      await page.getByTestId('portal-sign-in').waitFor();
      check((await page.getByRole('heading', { level: 1 }).innerText()).includes('Sign in to follow'), 'follow link asks the customer to sign in');
      // The acknowledgement, sent over SMTP to the customer's address, carries the link that signs in.
      const ack = await mailbox.waitFor(`casey.${RUN_ID}@example.com`, /\/api\/v1\/portal\/magic\/rbm_/);
      check(ack.subject.includes(String(n)), `acknowledgement subject "${ack.subject}" names the ticket`);
      check(/We will answer by /.test(ack.text), 'acknowledgement says when the customer will hear back');
      const link = signInPathIn(ack);
      check(link, 'acknowledgement carries a sign-in link');
      // The mail's links use the server's configured public URL; keep the path on this server.
      await page.goto(link);
      await page.waitForURL(`**/portal/tickets/${n}`);
      await page.getByTestId('portal-ticket-head').waitFor();
      await page.getByTestId('timeline-message').filter({ hasText: replyText }).waitFor();
      const notes = await page.getByText(noteText).count();
      check(notes === 0, 'customer can see the internal note');
      // The public reply also reached the customer's mailbox; the internal note never does.
      await mailbox.waitFor(`casey.${RUN_ID}@example.com`, new RegExp(`reply ${RUN_ID}`));
      check(!mailbox.all().some((m) => m.text.includes(`note ${RUN_ID}`)), 'an internal note was e-mailed');
      // and the customer answers back
      const answer = `Thanks, that worked [answer ${RUN_ID}]`;
      await page.getByTestId('portal-reply').getByLabel('Add a reply').fill(answer);
      await page.getByTestId('portal-reply').getByRole('button', { name: 'Send reply' }).click();
      await page.getByTestId('timeline-message').filter({ hasText: answer }).waitFor();
      await shot(page, 'portal-ticket');
    },
    ['agent signs in, finds the ticket in the queue and replies publicly'],
  );

  await step(
    'supervisor changes the priority and sees it in the timeline',
    async () => {
      const { page } = sup;
      currentPage = page;
      const n = shared.number ?? 0;
      await staffSignIn(page, 'sam@demo.replyby.dev', 'demo1234');
      await page.getByTestId('nav-admin').waitFor();
      await page.goto(`/tickets/${n}`);
      await page.getByTestId('ticket-page').waitFor();
      const select = page.getByTestId('field-priority');
      const before = await select.inputValue();
      const target = before === 'urgent' ? 'high' : 'urgent';
      await select.selectOption(target);
      await page.getByTestId('properties-status').filter({ hasText: 'Saved priority' }).waitFor();
      check((await page.getByTestId('ticket-priority').innerText()).toLowerCase().includes(target), 'priority badge updated');
      await page
        .getByTestId('timeline-event')
        .filter({ hasText: /priority/i })
        .filter({ hasText: new RegExp(target, 'i') })
        .first()
        .waitFor();
      await shot(page, 'supervisor-ticket');
    },
    ['customer submits the web form and sees the request number'],
  );

  await step(
    'supervisor creates a group and an organization in admin',
    async () => {
      const { page } = sup;
      currentPage = page;
      await page.getByTestId('nav-admin').click();
      await page.getByTestId('users-table').filter({ hasText: 'alex@demo.replyby.dev' }).waitFor();
      await shot(page, 'admin-users');
      await page.getByRole('link', { name: 'Groups', exact: true }).click();
      const groupName = `Printers ${RUN_ID}`;
      const gForm = page.getByTestId('create-group');
      await gForm.getByLabel('Name').fill(groupName);
      await gForm.getByLabel('Description').fill('Hardware questions');
      await gForm.getByRole('button', { name: 'Create group' }).click();
      await page.getByTestId('groups-table').getByText(groupName).waitFor();
      await page.getByRole('link', { name: 'Organizations', exact: true }).click();
      const orgName = `Initech ${RUN_ID}`;
      const oForm = page.getByTestId('create-organization');
      await oForm.getByLabel('Name').fill(orgName);
      await oForm.getByLabel('Tier').selectOption('enterprise');
      await oForm.getByLabel('Domains').fill(`initech-${RUN_ID}.example, initech-${RUN_ID}.test`);
      await oForm.getByRole('button', { name: 'Create organization' }).click();
      const row = page.getByTestId('organizations-table').locator('tr', { hasText: orgName });
      await row.waitFor();
      check((await row.innerText()).includes(`initech-${RUN_ID}.test`), 'organization domains listed');
      await shot(page, 'admin-organizations');
    },
    ['supervisor changes the priority and sees it in the timeline'],
  );

  await step(
    'phone-sized viewport renders the portal request page',
    async () => {
      const { page } = customer;
      currentPage = page;
      await page.setViewportSize({ width: 390, height: 800 });
      await page.reload();
      await page.getByTestId('portal-ticket-head').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 1, `page scrolls horizontally by ${overflow}px at 390px`);
      await shot(page, 'portal-phone');
    },
    ["customer follows the link and sees the agent's reply in the portal"],
  );

  await step(
    'on another device the customer asks for a sign-in link on the ticket page and lands back on it',
    async () => {
      const other = await newActor(browser, base);
      const { page } = other;
      currentPage = page;
      const n = shared.number ?? 0;
      const email = `casey.${RUN_ID}@example.com`;
      try {
        await page.goto(`/portal/tickets/${n}`);
        const form = page.getByTestId('portal-sign-in');
        await form.getByLabel('E-mail').fill(email);
        const seen = mailbox.all().length;
        await page.getByTestId('send-magic-link').click();
        await page.getByTestId('magic-link-sent').waitFor();
        // A new mail, not the acknowledgement already opened on the first device.
        const mail = await mailbox.waitFor(email, /Sign in to see your requests/, seen);
        const link = signInPathIn(mail);
        check(link, 'sign-in mail carries a link');
        await page.goto(link);
        await page.waitForURL(`**/portal/tickets/${n}`);
        await page.getByTestId('portal-ticket-head').waitFor();
        // The link worked once: opening it again signs nobody in.
        const again = await page.request.get(link, { maxRedirects: 0 });
        check(again.status() === 401, `a used link answered ${again.status()}`);
      } finally {
        await other.ctx.close();
      }
    },
    ["customer follows the link and sees the agent's reply in the portal"],
  );

  await customer.ctx.close();
  await agent.ctx.close();
  await sup.ctx.close();
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`e2e crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
    process.exit(1);
  },
);
