// Shared pieces of the browser journeys: the step runner, actors, sign-in. Each journeys-<name>.ts imports these.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Mailbox } from './mailbox.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT = join(ROOT, '.tmp', 'e2e');
export const STEP_TIMEOUT_MS = 20_000;
export const RUN_ID = Date.now().toString(36).slice(-6);

mkdirSync(OUT, { recursive: true });

export function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

/** What every journey gets: a browser, the server's base URL and the loopback SMTP mailbox. */
export type JourneyEnv = { browser: Browser; base: string; mailbox: Mailbox;
  /** The server's inbound SMTP listener (REPLYBY_SMTP_PORT) on 127.0.0.1, and the support address it answers as. */
  smtp?: { port: number; supportAddress: string };
  /** The Telegram Bot API stand-in the server sends messenger replies to (REPLYBY_TELEGRAM_API_URL). */
  botApi?: import('./journeys-telegram.ts').BotApi };

// ---------- tiny step runner ----------

export type StepResult = { name: string; ok: boolean; ms: number; error?: string };
export const results: StepResult[] = [];
let currentPage: Page | null = null;

/** The page a failing step screenshots. */
export function watch(page: Page): void {
  currentPage = page;
}

export async function step(name: string, fn: () => Promise<void>, dependsOn: string[] = []): Promise<boolean> {
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
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(OUT, `stage-${name}.png`), fullPage: true });
}

export function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}


export type Shared = { number?: number; displayNumber?: string; followUrl?: string };

export async function newActor(browser: Browser, base: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => log(`    [page error] ${err.message}`));
  return { ctx, page };
}

export async function staffSignIn(page: Page, email: string, password: string): Promise<void> {
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

export async function openTicketFromQueue(page: Page, n: number): Promise<void> {
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
  // the search runs on the server once typing pauses
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="queue-row-"]').length === 1, undefined, { timeout: 10_000 });
  await row.getByTestId('queue-subject').click();
  await page.waitForURL(`**/tickets/${n}`);
  await page.getByTestId('ticket-page').waitFor();
  const shown = await page.getByTestId('ticket-display-number').innerText();
  check(shown.includes(String(n)), `ticket page shows ${shown}, expected #${n}`);
}

export type Api = <T = { id: string }>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

/** A Bearer-token API caller (demo password) for set-up and for checks the screens do not show. */
export async function apiAs(base: string, email: string): Promise<Api> {
  const res = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'demo1234' }) });
  const { token } = (await res.json()) as { token: string };
  return async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (r.status === 204 ? null : await r.json()) as never };
  };
}
