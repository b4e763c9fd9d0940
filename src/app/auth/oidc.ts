import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { StaffPrincipal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import type { Role } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import { findUserForSignIn } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../shared/audit.ts';
import { hashToken } from './secrets.ts';
import { startSession } from './start-session.ts';
import { createChallenge, secondFactorNeeded, type PendingSecondFactor } from './two-factor.ts';

/** Single sign-on for staff with one OpenID Connect provider (README, docs/security.md). */
export type OidcSettings = {
  /** The button's words: "Sign in with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: <public URL>/api/v1/auth/oidc/callback. */
  redirectUrl: string;
  scopes: string;
  /** The claim holding the user's e-mail; with `email`, `email_verified` must be true. */
  emailClaim: string;
  /** The claim whose values map to roles (a string or a list of strings, e.g. `groups`). */
  roleClaim: string;
  /** Claim value → role; the highest matching role wins. */
  roleMap: { value: string; role: Role }[];
  /** Unknown e-mail: create a user with `defaultRole` (or the mapped role), or refuse. */
  createUsers: boolean;
  defaultRole: Role;
  /** An ID token whose `amr` says the provider did a second factor (mfa, otp, hwk, swk) skips Replyby's own. */
  trustProviderMfa: boolean;
};

const LOGIN_MINUTES = 10;
const RANK: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 };
const MFA_METHODS = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face', 'iris', 'retina', 'vbm']);

let discovered: { key: string; config: Promise<client.Configuration> } | null = null;

/** A loopback issuer over plain HTTP is allowed (a development or test provider); every other issuer must be HTTPS. */
const isLoopback = (url: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

function providerConfig(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  if (discovered?.key === key) return discovered.config;
  const issuer = new URL(settings.issuer);
  const execute = [client.enableNonRepudiationChecks, ...(issuer.protocol === 'http:' && isLoopback(issuer) ? [client.allowInsecureRequests] : [])];
  const config = client.discovery(issuer, settings.clientId, { redirect_uris: [settings.redirectUrl] }, client.ClientSecretBasic(settings.clientSecret), { execute, timeout: 10 });
  discovered = { key, config };
  // A provider that was down is asked again on the next sign-in.
  config.catch(() => { if (discovered?.config === config) discovered = null; });
  return config;
}

export function oidcSettings(ctx: AppContext): OidcSettings {
  const s = ctx.settings.oidc;
  if (!s) throw new DomainError('not_found', 'single sign-on is not configured');
  return s;
}

/** The sign-in page's providers: the SSO button's name, or null. */
export const signInProviders = (ctx: AppContext): { oidc: { name: string; start_url: string } | null } =>
  ({ oidc: ctx.settings.oidc ? { name: ctx.settings.oidc.name, start_url: '/api/v1/auth/oidc/start' } : null });

/**
 * Step one: a fresh state, nonce and PKCE verifier (S256) stored for the callback; the provider's
 * authorization URL to send the browser to.
 */
export async function startOidcLogin(ctx: AppContext, next: string | null): Promise<{ url: string }> {
  const settings = oidcSettings(ctx);
  let config: client.Configuration;
  try {
    config = await providerConfig(settings);
  } catch (err) {
    ctx.log.warn({ err }, 'OIDC discovery failed');
    throw new DomainError('unavailable', 'the identity provider cannot be reached: try again later, or sign in with a password');
  }
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const now = ctx.now();
  await ctx.db.query('DELETE FROM oidc_logins WHERE expires_at <= $1', [now]);
  await ctx.db.query('INSERT INTO oidc_logins (state_hash, code_verifier, nonce, next, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [hashToken(state), verifier, nonce, next, now, new Date(now.getTime() + LOGIN_MINUTES * 60_000)]);
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUrl, scope: settings.scopes, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  return { url: url.href };
}

export type OidcOutcome = ({ token: string; principal: StaffPrincipal } | { twoFactor: PendingSecondFactor }) & { next: string | null };

const claimStrings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The highest role a claim's values map to, or null. */
export function mappedRole(settings: Pick<OidcSettings, 'roleMap'>, values: readonly string[]): Role | null {
  let best: Role | null = null;
  for (const m of settings.roleMap) if (values.includes(m.value) && (best === null || RANK[m.role] > RANK[best])) best = m.role;
  return best;
}

/**
 * Step two, the provider's redirect back: the state must be one this server issued and not used yet; the
 * code is exchanged with the PKCE verifier; the ID token's issuer, audience, signature (the provider's
 * JWKS), expiry and nonce are checked by openid-client. The user is found by e-mail (created when
 * allowed), must be active, gets the mapped role, and then a session — or a second-factor challenge.
 */
export async function finishOidcLogin(ctx: AppContext, callbackUrl: URL): Promise<OidcOutcome> {
  const settings = oidcSettings(ctx);
  const state = callbackUrl.searchParams.get('state');
  const providerError = callbackUrl.searchParams.get('error');
  if (!state) throw new DomainError('unauthenticated', 'the identity provider sent no state', 'state');
  const now = ctx.now();
  const [login] = await ctx.db.query<{ code_verifier: string; nonce: string; next: string | null }>(
    'DELETE FROM oidc_logins WHERE state_hash = $1 AND expires_at > $2 RETURNING code_verifier, nonce, next', [hashToken(state), now]);
  if (!login) throw new DomainError('unauthenticated', 'this single sign-on attempt is unknown, expired or already used: start again', 'state');
  if (providerError) throw new DomainError('unauthenticated', `the identity provider refused the sign-in (${providerError.slice(0, 100)})`);
  const config = await providerConfig(settings);
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: login.code_verifier, expectedState: state, expectedNonce: login.nonce, idTokenExpected: true });
    claims = { ...(tokens.claims() ?? {}) };
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    // Some providers put only `sub` in the ID token and the rest in the userinfo answer.
    if ((claims[settings.emailClaim] === undefined || claims[settings.roleClaim] === undefined) && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, sub);
      claims = { ...info, ...claims };
    }
  } catch (err) {
    // openid-client wraps the check that failed (which claim: iss, aud, exp, nonce…) as the cause.
    const inner = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    const reason = `${err instanceof Error ? err.message : 'unknown'}${inner}`;
    ctx.log.warn({ err }, 'OIDC callback refused');
    throw new DomainError('unauthenticated', `the identity provider's answer was refused: ${reason.slice(0, 200)}`);
  }
  const email = typeof claims[settings.emailClaim] === 'string' ? (claims[settings.emailClaim] as string).trim().toLowerCase() : '';
  if (!email || !email.includes('@')) throw new DomainError('unauthenticated', `the identity provider sent no e-mail (claim ${settings.emailClaim})`);
  if (settings.emailClaim === 'email' && claims.email_verified !== true) throw new DomainError('forbidden', 'the identity provider has not verified this e-mail address');
  const role = mappedRole(settings, claimStrings(claims[settings.roleClaim]));
  const providerMfa = settings.trustProviderMfa && claimStrings(claims.amr).some((m) => MFA_METHODS.has(m));
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;

  const outcome = await ctx.db.transaction(async (tx) => {
    const user = await userForSso(ctx, tx, settings, email, name, role);
    const need = providerMfa ? null : await secondFactorNeeded(tx, user);
    if (need) return { twoFactor: await createChallenge(ctx, tx, user, 'oidc', need) };
    return { token: await startSession(ctx, user, tx), principal: user };
  });
  return { ...outcome, next: login.next };
}

async function userForSso(ctx: AppContext, tx: Queryable, settings: OidcSettings, email: string, name: string, role: Role | null): Promise<StaffPrincipal> {
  const now = ctx.now();
  const found = await findUserForSignIn(tx, email);
  if (found) {
    if (!found.active) throw new DomainError('forbidden', 'this account is deactivated');
    if (role && role !== found.principal.role) {
      // The provider's groups are the source of truth for a mapped role: the change is logged like an admin's.
      await tx.query('UPDATE users SET role = $2, updated_at = $3 WHERE id = $1', [found.principal.id, role, now]);
      await recordAudit(tx, null, { action: 'update', target: 'user', targetId: found.principal.id, before: { role: found.principal.role }, after: { role, by: 'single sign-on role mapping' } }, now);
      return { ...found.principal, role };
    }
    return found.principal;
  }
  if (!settings.createUsers) throw new DomainError('forbidden', `no Replyby account for ${email}, and single sign-on does not create accounts`);
  const newRole = role ?? settings.defaultRole;
  // No usable password: the hash is not an scrypt string, so password sign-in always fails (a reset can set one).
  const unusable = `sso!${randomBytes(12).toString('base64url')}`;
  const [row] = await tx.query<{ id: string }>(
    'INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id', [email, name, newRole, unusable, now]);
  if (!row) throw new Error('user insert returned nothing');
  await recordAudit(tx, null, { action: 'create', target: 'user', targetId: row.id, before: null, after: { email, name, role: newRole, by: 'single sign-on' } }, now);
  return { kind: 'user', id: row.id, email, name, role: newRole, language: 'en', time_zone: 'UTC', groupIds: [] };
}
