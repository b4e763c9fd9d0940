// Single sign-on and two-factor sign-in (issue 21 items 1–2, docs/security.md): a staff member signs in through
// the loopback OpenID Connect provider (test/helpers/oidc-provider.ts, started by run.ts); enrols TOTP on the
// profile page (QR code, recovery codes); signs out, signs in with password + code, and with a recovery code.
// axe checks the new screens. chen's second factor is reset at the end, so later journeys sign in as before.

import { totpCode } from '../src/core/auth/totp.ts';
import { apiAs, check, log, newActor, shot, step, type JourneyEnv } from './harness.ts';
import { axe } from './journeys-workspace.ts';

const EMAIL = 'chen@demo.replyby.dev';

export async function ssoJourneys({ browser, base }: JourneyEnv): Promise<void> {
  const ada = await apiAs(base, 'ada@demo.replyby.dev');
  const { ctx, page } = await newActor(browser, base);
  let secret = '';
  let recovery: string[] = [];
  try {
    await step('sso: "Sign in with Test IdP" goes through the provider and back signed in', async () => {
      await page.goto('/');
      await page.getByTestId('sso-sign-in').waitFor();
      await axe(page, 'sign-in (with single sign-on)');
      await page.getByTestId('sso-sign-in').click();
      await page.getByLabel('Login').fill('chen');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('current-user').waitFor();
      check(new URL(page.url()).origin === base, `back at ${page.url()}`);
    });

    await step('sso: enrol TOTP on the profile page (QR code, confirm with a code, ten recovery codes)', async () => {
      await page.goto('/profile');
      await page.getByTestId('two-factor-enrol').click();
      await page.getByTestId('totp-enrolment').waitFor();
      secret = (await page.getByTestId('totp-secret').innerText()).trim();
      check(/^[A-Z2-7]{32}$/.test(secret), `secret "${secret}"`);
      check((await page.getByTestId('totp-uri').getAttribute('href'))?.startsWith('otpauth://totp/'), 'no otpauth:// link');
      await axe(page, 'profile (two-factor enrolment)');
      await page.getByTestId('two-factor-confirm-code').fill(totpCode(secret, new Date()));
      await page.getByTestId('two-factor-confirm').click();
      await page.getByTestId('recovery-codes').waitFor();
      recovery = await page.locator('[data-testid="recovery-codes"] li').allInnerTexts();
      check(recovery.length === 10, `${recovery.length} recovery codes`);
      await shot(page, 'sso-recovery-codes');
      await page.getByTestId('sign-out').click();
      await page.getByTestId('staff-sign-in').waitFor();
    });

    await step('sso: password + code from the app signs in', async () => {
      const form = page.getByTestId('staff-sign-in');
      await form.getByLabel('E-mail').fill(EMAIL);
      await form.getByLabel('Password').fill('demo1234');
      await page.getByTestId('sign-in-submit').click();
      await page.getByTestId('two-factor-form').waitFor();
      await axe(page, 'sign-in (two-factor step)');
      // The code of the next step: the enrolment used this one, and a code is accepted once (±1 step).
      await page.getByTestId('totp-code-input').fill(totpCode(secret, new Date(Date.now() + 30_000)));
      await page.getByTestId('two-factor-submit').click();
      await page.getByTestId('current-user').waitFor();
      await page.getByTestId('sign-out').click();
      await page.getByTestId('staff-sign-in').waitFor();
    }, ['sso: enrol TOTP on the profile page (QR code, confirm with a code, ten recovery codes)']);

    await step('sso: password + a recovery code signs in; the same code again is refused', async () => {
      for (const attempt of ['first', 'again']) {
        const form = page.getByTestId('staff-sign-in');
        await form.getByLabel('E-mail').fill(EMAIL);
        await form.getByLabel('Password').fill('demo1234');
        await page.getByTestId('sign-in-submit').click();
        await page.getByTestId('two-factor-switch').click();
        await page.getByTestId('recovery-code-input').fill(recovery[0] ?? '');
        await page.getByTestId('two-factor-submit').click();
        if (attempt === 'first') {
          await page.getByTestId('current-user').waitFor();
          await page.getByTestId('sign-out').click();
          await page.getByTestId('staff-sign-in').waitFor();
        } else {
          const error = await page.getByTestId('two-factor-error').innerText();
          log(`    reused recovery code: ${error}`);
          check(/wrong/.test(error), `a reused recovery code answered "${error}"`);
        }
      }
    }, ['sso: enrol TOTP on the profile page (QR code, confirm with a code, ten recovery codes)']);
  } finally {
    await ctx.close();
    const [chen] = ((await ada<{ data: { id: string; email: string }[] }>('GET', '/api/v1/users')).body.data ?? []).filter((u) => u.email === EMAIL);
    if (chen) await ada('DELETE', `/api/v1/users/${chen.id}/two-factor`);
  }
}
