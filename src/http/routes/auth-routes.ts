import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { signOut } from '../../app/auth/authenticate.ts';
import { createApiToken, createApiTokenInput } from '../../app/auth/create-api-token.ts';
import { listAllApiTokens, listApiTokens, revokeApiToken, updateApiToken, updateApiTokenInput } from '../../app/auth/manage-api-tokens.ts';
import { magicLinkDestination, redeemMagicLink, requestMagicLink, requestMagicLinkInput } from '../../app/auth/magic-links.ts';
import { requestPasswordReset, requestPasswordResetInput, resetPassword, resetPasswordInput } from '../../app/auth/password-reset.ts';
import { SESSION_DAYS } from '../../app/auth/start-session.ts';
import { signIn, signInInput } from '../../app/auth/sign-in.ts';
import { finishOidcLogin, signInProviders, startOidcLogin } from '../../app/auth/oidc.ts';
import {
  completeSignIn, completeSignInInput, confirmEnrolmentInput, confirmTwoFactorEnrolment, enrolAtSignIn, getTwoFactorSettings, resetTwoFactor,
  startTwoFactorEnrolment, twoFactorSettingsInput, twoFactorStatus, updateTwoFactorSettings,
} from '../../app/auth/two-factor.ts';
import type { AppContext } from '../../app/context.ts';
import { DomainError } from '../../core/errors.ts';
import { CSRF_COOKIE, SESSION_COOKIE, defineRoute } from '../define-route.ts';
import { presentPrincipal } from '../presenters.ts';

export type RouteOptions = { signInPerMinute: number; publicPerMinute: number; secureCookies: boolean };

function setSessionCookies(reply: FastifyReply, token: string, secure: boolean): void {
  const maxAge = SESSION_DAYS * 86_400;
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  reply.setCookie(CSRF_COOKIE, randomBytes(18).toString('base64url'), { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
}

/**
 * `?next=` is honoured only for a path on this site: "/…" but not "//host" or anything with a backslash,
 * whitespace or control character (browsers read "/\host" and "/<tab>/host" as another origin), so a
 * sign-in link cannot be turned into an open redirect.
 */
function localPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 500) return null;
  // Printable ASCII only: a Location header cannot carry anything else (browsers send the rest percent-encoded).
  return /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(next) ? next : null;
}

const acceptsHtml = (accept: string | undefined): boolean => !!accept && /\btext\/html\b/.test(accept);

/** The portal's sign-in page, told that the link did not work; a ticket link leads back to its ticket's sign-in. */
export function linkExpiredPath(next: string | null): string {
  const ticket = next && /^\/portal\/tickets\/[1-9][0-9]{0,9}$/.test(next) ? next : '/portal';
  return `${ticket}?link=expired`;
}

/** A second-factor challenge reached by a browser redirect (single sign-on) waits in this cookie, never in a URL. */
const CHALLENGE_COOKIE = 'rb_2fa';
const CHALLENGE_COOKIE_PATH = '/api/v1/auth';

/** The challenge from the body (API clients) or, for a sign-on that came back through the browser, the cookie. */
function withChallenge(body: unknown, cookie: string | undefined): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return 'challenge' in body || !cookie ? body : { ...body, challenge: cookie };
}

export function authRoutes(app: FastifyInstance, ctx: AppContext, opts: RouteOptions): void {
  const signInLimit = { max: opts.signInPerMinute, timeWindow: '1 minute' };
  for (const [url, audience] of [['/api/v1/auth/sign-in', 'staff'], ['/api/v1/portal/sign-in', 'customer']] as const) {
    defineRoute(app, ctx, {
      method: 'POST', url, summary: `Sign in (${audience})`, tags: ['auth'], auth: 'none', body: signInInput, rateLimit: signInLimit,
      handler: async (req, _p, reply) => {
        const result = await signIn(ctx, req.body, audience);
        // Staff with two-factor sign-in: no session yet, a challenge to finish with POST /api/v1/auth/two-factor.
        if ('twoFactor' in result) return { body: { two_factor: result.twoFactor } };
        setSessionCookies(reply, result.token, opts.secureCookies);
        return { body: { token: result.token, principal: presentPrincipal(result.principal) } };
      },
    });
  }
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/auth/providers', summary: 'How staff can sign in: the single sign-on button, when configured', tags: ['auth'], auth: 'none',
    handler: async () => ({ body: signInProviders(ctx) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/auth/oidc/start', summary: 'Single sign-on: redirect to the identity provider (PKCE, state, nonce)', tags: ['auth'], auth: 'none', rateLimit: signInLimit,
    handler: async (req, _p, reply) => {
      const { url } = await startOidcLogin(ctx, localPath((req.query as { next?: unknown }).next));
      return reply.redirect(url, 303);
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/auth/oidc/callback', summary: "Single sign-on: the identity provider's redirect back", tags: ['auth'], auth: 'none', rateLimit: signInLimit,
    handler: async (req, _p, reply) => {
      const callbackUrl = new URL(req.url, ctx.settings.oidc?.redirectUrl ?? ctx.settings.publicUrl);
      let outcome: Awaited<ReturnType<typeof finishOidcLogin>>;
      try {
        outcome = await finishOidcLogin(ctx, callbackUrl);
      } catch (err) {
        // A person sees the sign-in page with the reason; API clients keep the JSON error.
        if (!(err instanceof DomainError) || !acceptsHtml(req.headers.accept)) throw err;
        return reply.redirect(`/?sso_error=${encodeURIComponent(err.message.slice(0, 300))}`, 303);
      }
      if ('twoFactor' in outcome) {
        reply.setCookie(CHALLENGE_COOKIE, outcome.twoFactor.challenge, { path: CHALLENGE_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: 300 });
        return reply.redirect(`/?two_factor=${outcome.twoFactor.enrol ? 'enrol' : 'verify'}${outcome.next ? `&next=${encodeURIComponent(outcome.next)}` : ''}`, 303);
      }
      setSessionCookies(reply, outcome.token, opts.secureCookies);
      return reply.redirect(outcome.next ?? '/', 303);
    },
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/auth/two-factor', summary: 'Finish a sign-in with a TOTP code or a recovery code', tags: ['auth'], auth: 'none', body: completeSignInInput, rateLimit: signInLimit,
    handler: async (req, _p, reply) => {
      const done = await completeSignIn(ctx, withChallenge(req.body, req.cookies[CHALLENGE_COOKIE]));
      reply.clearCookie(CHALLENGE_COOKIE, { path: CHALLENGE_COOKIE_PATH });
      setSessionCookies(reply, done.token, opts.secureCookies);
      return { body: { token: done.token, principal: presentPrincipal(done.principal), ...(done.recovery_codes ? { recovery_codes: done.recovery_codes } : {}) } };
    },
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/auth/two-factor/enrolment', summary: "Enrol during sign-in (the role requires two factors): the new secret", tags: ['auth'], auth: 'none', rateLimit: signInLimit,
    handler: async (req) => ({ body: await enrolAtSignIn(ctx, withChallenge(req.body ?? {}, req.cookies[CHALLENGE_COOKIE])) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/me/two-factor', summary: "The caller's two-factor sign-in: on, required, recovery codes left", tags: ['auth'], auth: 'staff',
    handler: async (_req, principal) => ({ body: await twoFactorStatus(ctx, principal) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/me/two-factor/enrolment', summary: 'Start enrolling: a new secret as otpauth:// URI and QR code', tags: ['auth'], auth: 'staff',
    handler: async (_req, principal) => ({ body: await startTwoFactorEnrolment(ctx, principal) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/me/two-factor/confirm', summary: 'Confirm enrolment with a code: two-factor on, ten recovery codes shown once', tags: ['auth'], auth: 'staff', body: confirmEnrolmentInput, rateLimit: signInLimit,
    handler: async (req, principal) => ({ body: await confirmTwoFactorEnrolment(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/admin/two-factor', summary: 'The roles that must sign in with two factors (admins)', tags: ['admin'], auth: 'staff',
    handler: async (_req, principal) => ({ body: await getTwoFactorSettings(ctx, principal) }),
  });
  defineRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/admin/two-factor', summary: 'Require two-factor sign-in per role (admins; audit row)', tags: ['admin'], auth: 'staff', body: twoFactorSettingsInput,
    handler: async (req, principal) => ({ body: await updateTwoFactorSettings(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'DELETE', url: '/api/v1/users/:id/two-factor', summary: "Reset a user's two-factor sign-in (admins; audit row)", tags: ['admin'], auth: 'staff',
    handler: async (req, principal) => resetTwoFactor(ctx, principal, z.object({ id: z.string().uuid('must be a UUID') }).parse(req.params).id),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/auth/sign-out', summary: 'Sign out', tags: ['auth'], auth: 'any',
    handler: async (req, _p, reply) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies[SESSION_COOKIE];
      if (token) await signOut(ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/auth/me', summary: 'The signed-in principal', tags: ['auth'], auth: 'any',
    handler: async (_req, principal) => ({ body: { principal: presentPrincipal(principal) } }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/api-tokens', summary: 'Create a long-lived API token (shown once)', tags: ['auth'], auth: 'staff', body: createApiTokenInput,
    handler: async (req, principal) => ({ status: 201, body: await createApiToken(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/api-tokens', summary: "The caller's API tokens (without secrets)", tags: ['auth'], auth: 'staff',
    handler: async (_req, principal) => ({ body: { data: await listApiTokens(ctx, principal) } }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/admin/api-tokens', summary: "Every staff member's API tokens with scopes, limits and owners (admin)", tags: ['auth'], auth: 'staff',
    handler: async (_req, principal) => ({ body: { data: await listAllApiTokens(ctx, principal) } }),
  });
  defineRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/api-tokens/:id', summary: "Change a token's scopes or requests per minute (admin)", tags: ['auth'], auth: 'staff', body: updateApiTokenInput,
    handler: async (req, principal) => ({ body: await updateApiToken(ctx, principal, z.object({ id: z.string().uuid('must be a UUID') }).parse(req.params).id, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'DELETE', url: '/api/v1/api-tokens/:id', summary: 'Revoke an API token', tags: ['auth'], auth: 'staff',
    handler: async (req, principal) => revokeApiToken(ctx, principal, z.object({ id: z.string().uuid('must be a UUID') }).parse(req.params).id),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/auth/password-reset', summary: 'Staff "forgot password": e-mail a one-time reset link', tags: ['auth'], auth: 'none', body: requestPasswordResetInput, rateLimit: signInLimit,
    handler: async (req) => {
      await requestPasswordReset(ctx, req.body);
      return { status: 202, body: { message: 'If this address belongs to an active user, a reset link is on its way.' } };
    },
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/auth/password-reset/confirm', summary: 'Set a new password with a reset link (ends every session)', tags: ['auth'], auth: 'none', body: resetPasswordInput, rateLimit: signInLimit,
    handler: async (req) => resetPassword(ctx, req.body),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/portal/magic-link', summary: 'E-mail a customer a sign-in link', tags: ['portal'], auth: 'none', body: requestMagicLinkInput, rateLimit: signInLimit,
    handler: async (req) => {
      await requestMagicLink(ctx, req.body);
      return { status: 202, body: { message: 'If this address is known, a sign-in link is on its way.' } };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/portal/magic/:token', summary: 'Open a sign-in link', tags: ['portal'], auth: 'none', rateLimit: signInLimit,
    handler: async (req, _p, reply) => {
      const { token } = z.object({ token: z.string().min(10).max(200) }).parse(req.params);
      let redeemed: Awaited<ReturnType<typeof redeemMagicLink>>;
      try {
        redeemed = await redeemMagicLink(ctx, token);
      } catch (err) {
        // A person opening an old link from a mail gets a page offering a new one, not a JSON error;
        // API clients (no text/html in Accept) keep the 401.
        if (!(err instanceof DomainError) || err.code !== 'unauthenticated' || !acceptsHtml(req.headers.accept)) throw err;
        return reply.redirect(linkExpiredPath(localPath((req.query as { next?: unknown }).next) ?? (await magicLinkDestination(ctx, token))), 303);
      }
      setSessionCookies(reply, redeemed.token, opts.secureCookies);
      return reply.redirect(localPath((req.query as { next?: unknown }).next) ?? redeemed.next, 303);
    },
  });
}
