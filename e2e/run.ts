// Browser journeys against the real server: `npm run test:e2e` (node --import tsx e2e/run.ts).
//
// Starts `node bin/replyby.mjs start` on a free port with a fresh data dir, waits for GET /ready, drives Debian's chromium
// through the customer → agent → customer journey, and prints `N passed, N failed` last.
//
// Env: E2E_DATABASE_URL (passed to the server as DATABASE_URL), E2E_SKIP_BUILD=1 (reuse web/dist),
// E2E_ONLY=core,promise (only those journeys-<name>.ts files), E2E_HEADED=1, E2E_SCREENSHOTS=1 (stage screenshots into .tmp/e2e/), CHROMIUM_PATH (default /usr/bin/chromium).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startMailbox } from './mailbox.ts';
import { webUnits } from './web-units.ts';
import { log, OUT, results, ROOT, step, type JourneyEnv } from './harness.ts';
import { coreJourneys } from './journeys-core.ts';
import { adminJourneys } from './journeys-admin.ts';
import { workspaceJourneys } from './journeys-workspace.ts';
import { promiseJourneys } from './journeys-promise.ts';
import { emailJourneys } from './journeys-email.ts';
import { triageJourneys } from './journeys-triage.ts';
import { attachJourneys } from './journeys-attach.ts';
import { mergeJourneys } from './journeys-merge.ts';
import { classifierJourneys } from './journeys-classifier.ts';
import { admin2Journeys } from './journeys-admin2.ts';
import { polishJourneys } from './journeys-polish.ts';
import { agentDayJourneys } from './journeys-agentday.ts';
import { startBotApi, telegramJourneys } from './journeys-telegram.ts';
import { surgeJourneys } from './journeys-surge.ts';
import { reportsUiJourneys } from './journeys-reportsui.ts';
import { cockpitJourneys } from './journeys-cockpit.ts';
import { integrationsJourneys } from './journeys-integrations.ts';
import { planningJourneys } from './journeys-planning.ts';
import { privacyJourneys } from './journeys-privacy.ts';
import { ssoJourneys } from './journeys-sso.ts';
import { startTestOidcProvider, type TestOidcProvider } from '../test/helpers/oidc-provider.ts';
import { sideconvJourneys } from './journeys-sideconv.ts';
import { widgetJourneys } from './journeys-widget.ts';

const READY_TIMEOUT_MS = 180_000;

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
  // The chat widget's own bundle (/widget.js), after the app's build has emptied web/dist.
  const w = spawnSync(process.execPath, [vite, 'build', '--config', 'web/widget/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (w.status !== 0) throw new Error('vite build of the widget failed');
}

type Server = { child: ChildProcess; logFile: string; dataDir: string; exited: Promise<number | null> };

// Inbound mail: the server's SMTP listener on loopback, so journeys can send customer mail to it.
const SUPPORT_ADDRESS = 'support@replyby.localhost';

function startServer(port: number, smtpUrl: string, smtpPort: number, telegramApiUrl: string, idp: TestOidcProvider): Server {
  const dataDir = mkdtempSync(join(tmpdir(), 'replyby-e2e-'));
  const logFile = join(OUT, 'server.log');
  const out = createWriteStream(logFile);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), REPLYBY_DATA_DIR: dataDir, REPLYBY_SMTP_URL: smtpUrl,
    REPLYBY_SMTP_PORT: String(smtpPort), REPLYBY_SMTP_HOST: '127.0.0.1', REPLYBY_MAIL_AUTH: '0', REPLYBY_SUPPORT_ADDRESS: SUPPORT_ADDRESS,
    // Messenger replies go to the journeys' Bot API stand-in on loopback.
    REPLYBY_TELEGRAM_API_URL: telegramApiUrl,
    // Every journey signs its people in; a dozen journey files share one server (the limit itself is tested in test/).
    REPLYBY_RATE_LIMIT_SIGN_IN: '300',
    // The journeys create dozens of requests in minutes over weeks of quiet demo history: an arrivals surge by
    // construction, which would change the promises the other journeys check. journeys-surge.ts declares its own.
    REPLYBY_SURGE_DETECTION: '0',
    // Single sign-on through the loopback OpenID Connect provider (journeys-sso.ts).
    REPLYBY_OIDC_ISSUER: idp.issuer, REPLYBY_OIDC_CLIENT_ID: idp.clientId, REPLYBY_OIDC_CLIENT_SECRET: idp.clientSecret, REPLYBY_OIDC_NAME: 'Test IdP',
    REPLYBY_OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback` };
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

async function main(): Promise<number> {
  await step('web rules: SLA countdown colours, durations, error paths', async () => webUnits());
  buildWeb();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const mailbox = await startMailbox();
  const smtpPort = await freePort();
  const botApi = await startBotApi();
  const idp = await startTestOidcProvider([`${base}/api/v1/auth/oidc/callback`]);
  idp.accounts.set('chen', { email: 'chen@demo.replyby.dev', name: 'Chen' });
  const server = startServer(port, mailbox.url, smtpPort, botApi.url, idp);
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
    await journeys({ browser, base, mailbox, smtp: { port: smtpPort, supportAddress: SUPPORT_ADDRESS }, botApi });
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await stopServer(server);
    await mailbox.close();
    await botApi.close();
    await idp.close();
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
// One entry per journeys-<name>.ts file. E2E_ONLY=promise,admin runs just those files (while working on one
// capability); CI runs them all.
const JOURNEY_FILES: Record<string, (env: JourneyEnv) => Promise<void>> = {
  core: coreJourneys,
  workspace: workspaceJourneys,
  admin: adminJourneys,
  promise: promiseJourneys,
  email: emailJourneys,
  triage: triageJourneys,
  attach: attachJourneys,
  merge: mergeJourneys,
  classifier: classifierJourneys,
  // Mail/notification admin screens, KB list and category names, simulator replay (review 2026-12-07 items 24, 25).
  admin2: admin2Journeys,
  polish: polishJourneys,
  agentday: agentDayJourneys,
  // Messenger channels: Admin → Messengers, a Telegram update, the Bot API stand-in (issue 20 item 2).
  telegram: telegramJourneys,
  surge: surgeJourneys,
  // The Reports screen: filter, chart and table, drill-down, CSV (issue 18).
  reportsui: reportsUiJourneys,
  // The cockpit: Admin → Import and the low-score follow-up (issue 18 items 1 and 3).
  cockpit: cockpitJourneys,
  // Lifecycle webhooks and API tokens with scopes and limits (issue 21 item 6).
  integrations: integrationsJourneys,
  // The Planning and Roster screens: required vs rostered, a roster changed, the count follows (issue 19).
  planning: planningJourneys,
  // Personal data: export and erase a contact, the retention rule (issue 21 item 4).
  privacy: privacyJourneys,
  // Single sign-on through a loopback OpenID Connect provider and TOTP two-factor sign-in (issue 21 items 1–2).
  sso: ssoJourneys,
  // Side conversations from the ticket page (issue 20 item 3).
  sideconv: sideconvJourneys,
  // The chat widget embedded in a page of another origin, an agent answering live (issue 20 item 1).
  widget: widgetJourneys,
};

async function journeys(env: JourneyEnv): Promise<void> {
  const only = (process.env.E2E_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((name) => !(name in JOURNEY_FILES));
  if (unknown.length) throw new Error(`E2E_ONLY names unknown journey files: ${unknown.join(', ')} (known: ${Object.keys(JOURNEY_FILES).join(', ')})`);
  for (const [name, run] of Object.entries(JOURNEY_FILES)) {
    if (only.length === 0 || only.includes(name)) await run(env);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`e2e crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
    process.exit(1);
  },
);
