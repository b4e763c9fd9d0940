import { createHash, randomBytes } from 'node:crypto';
import { renderSVG } from 'uqr';
import { z } from 'zod';
import type { Principal, StaffPrincipal } from '../../core/auth/principal.ts';
import { matchTotp, normaliseRecoveryCode, recoveryCodeFromBytes, totpSecretFromBytes, totpUri } from '../../core/auth/totp.ts';
import { DomainError, conflict } from '../../core/errors.ts';
import { ROLES } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import { findActiveUser } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { changeSettings, defineSettingsSection, loadSettings } from '../settings/settings.ts';
import { hashToken, newToken } from './secrets.ts';
import { startSession } from './start-session.ts';

/** Admins require two-factor sign-in per role (docs/security.md). */
export const TWO_FACTOR_SETTINGS = defineSettingsSection('two_factor', z.object({
  required_roles: z.array(z.enum(ROLES)).default([]),
}));
export type TwoFactorSettings = z.output<typeof TWO_FACTOR_SETTINGS.schema>;

export const twoFactorSettingsInput = z.strictObject({
  required_roles: z.array(z.enum(ROLES, { error: 'must be agent, supervisor or admin' })).max(3).transform((r) => [...new Set(r)]),
});

/** A challenge lives five minutes and takes five wrong codes; ten wrong codes in a row lock the user's second factor for 15 minutes. */
export const CHALLENGE_MINUTES = 5;
export const CHALLENGE_ATTEMPTS = 5;
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;
const RECOVERY_CODES = 10;
const ISSUER = 'Replyby';

const hashRecovery = (code: string): string => createHash('sha256').update(`replyby-recovery:${normaliseRecoveryCode(code)}`).digest('hex');

export async function getTwoFactorSettings(ctx: AppContext, actor: Principal): Promise<TwoFactorSettings> {
  requireStaff(actor, ['admin']);
  return loadSettings(ctx.db, TWO_FACTOR_SETTINGS);
}

/** Admins choose the roles that must sign in with a second factor (an audit row through changeSettings). */
export async function updateTwoFactorSettings(ctx: AppContext, actor: Principal, raw: unknown): Promise<TwoFactorSettings> {
  requireStaff(actor, ['admin']);
  const input = parseInput(twoFactorSettingsInput, raw);
  return changeSettings(ctx, actor, TWO_FACTOR_SETTINGS, () => ({ required_roles: input.required_roles }));
}

type TotpRow = { secret: string; enabled_at: Date | null; last_step: string | null; failed_attempts: number; locked_until: Date | null };

const readTotp = async (q: Queryable, userId: string, lock = false): Promise<TotpRow | null> =>
  (await q.query<TotpRow>(`SELECT secret, enabled_at, last_step, failed_attempts, locked_until FROM user_totp WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`, [userId]))[0] ?? null;

export type TwoFactorStatus = { enabled: boolean; required: boolean; recovery_codes_left: number };

/** The caller's own two-factor state (the profile page). */
export async function twoFactorStatus(ctx: AppContext, actor: Principal): Promise<TwoFactorStatus> {
  const user = requireStaff(actor);
  const totp = await readTotp(ctx.db, user.id);
  const settings = await loadSettings(ctx.db, TWO_FACTOR_SETTINGS);
  const [left] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL', [user.id]);
  return { enabled: !!totp?.enabled_at, required: settings.required_roles.includes(user.role), recovery_codes_left: totp?.enabled_at ? left?.n ?? 0 : 0 };
}

export type Enrolment = { secret: string; otpauth_uri: string; qr_svg: string };

async function writePendingSecret(q: Queryable, user: { id: string; email: string }, now: Date): Promise<Enrolment> {
  const existing = await readTotp(q, user.id, true);
  if (existing?.enabled_at) throw conflict('two-factor sign-in is already on; an admin resets it to enrol again');
  const secret = totpSecretFromBytes(randomBytes(20));
  await q.query(`INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
    ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at, last_step = NULL, failed_attempts = 0, locked_until = NULL`, [user.id, secret, now]);
  const uri = totpUri(secret, ISSUER, user.email);
  return { secret, otpauth_uri: uri, qr_svg: renderSVG(uri, { border: 2 }) };
}

/** Starts enrolment from the profile page: a new pending secret (a code must confirm it). */
export async function startTwoFactorEnrolment(ctx: AppContext, actor: Principal): Promise<Enrolment> {
  const user = requireStaff(actor);
  return ctx.db.transaction((tx) => writePendingSecret(tx, user, ctx.now()));
}

export const confirmEnrolmentInput = z.strictObject({ code: z.string().trim().min(1, 'is required').max(20) });

/**
 * Checks a TOTP code against the row (locked by the caller): ±1 step, never a step at or before the last
 * one accepted, failures counted toward the lock. Returns whether it matched; the row is updated either way.
 */
async function checkTotp(q: Queryable, userId: string, row: TotpRow, code: string, now: Date): Promise<boolean> {
  if (row.locked_until && row.locked_until > now) throw new DomainError('rate_limited', `too many wrong codes: try again after ${row.locked_until.toISOString()}`, 'code');
  const step = matchTotp(row.secret, code.replace(/\s/g, ''), now);
  const fresh = step !== null && (row.last_step === null || step > Number(row.last_step));
  if (fresh) {
    await q.query('UPDATE user_totp SET last_step = $2, failed_attempts = 0, locked_until = NULL WHERE user_id = $1', [userId, step]);
    return true;
  }
  const failures = row.failed_attempts + 1;
  const lock = failures >= LOCK_AFTER_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
  await q.query('UPDATE user_totp SET failed_attempts = $2, locked_until = $3 WHERE user_id = $1', [userId, lock ? 0 : failures, lock]);
  return false;
}

async function enable(q: Queryable, ctx: AppContext, user: StaffPrincipal, now: Date): Promise<string[]> {
  await q.query('UPDATE user_totp SET enabled_at = $2 WHERE user_id = $1', [user.id, now]);
  await q.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [user.id]);
  const codes = Array.from({ length: RECOVERY_CODES }, () => recoveryCodeFromBytes(randomBytes(10)));
  for (const c of codes) await q.query('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING', [user.id, hashRecovery(c)]);
  await recordAudit(q, user, { action: 'update', target: 'user', targetId: user.id, before: { two_factor: false }, after: { two_factor: true } }, now);
  return codes;
}

/** A code from the app confirms the pending secret: two-factor sign-in is on, and ten recovery codes are shown once. */
export async function confirmTwoFactorEnrolment(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ recovery_codes: string[] }> {
  const user = requireStaff(actor);
  const input = parseInput(confirmEnrolmentInput, raw);
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const row = await readTotp(tx, user.id, true);
    if (!row) throw conflict('start enrolment first (POST /api/v1/me/two-factor/enrolment)');
    if (row.enabled_at) throw conflict('two-factor sign-in is already on');
    if (!(await checkTotp(tx, user.id, row, input.code, now))) return null;
    return enable(tx, ctx, user, now);
  });
  if (!result) throw new DomainError('invalid_input', 'the code does not match: check the time on your phone and type the current code', 'code');
  return { recovery_codes: result };
}

/** Admins turn a user's second factor off (lost phone): the user enrols again; an audit row. Sessions stay. */
export async function resetTwoFactor(ctx: AppContext, actor: Principal, userId: string): Promise<void> {
  requireStaff(actor, ['admin']);
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>('SELECT id FROM users WHERE id = $1', [userId]);
    if (!user) throw new DomainError('not_found', 'no such user');
    const row = await readTotp(tx, userId, true);
    await tx.query('DELETE FROM user_totp WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM sign_in_challenges WHERE user_id = $1', [userId]);
    await recordAudit(tx, actor, { action: 'update', target: 'user', targetId: userId, before: { two_factor: !!row?.enabled_at }, after: { two_factor: false, two_factor_reset: true } }, ctx.now());
  });
}

/**
 * What a sign-in that passed its first factor still needs: 'verify' (a code: the user has two-factor on),
 * 'enrol' (the role requires it and the user has none yet: enrol during sign-in), or nothing.
 */
export async function secondFactorNeeded(q: Queryable, user: StaffPrincipal): Promise<'verify' | 'enrol' | null> {
  const row = await readTotp(q, user.id);
  if (row?.enabled_at) return 'verify';
  const settings = await loadSettings(q, TWO_FACTOR_SETTINGS);
  return settings.required_roles.includes(user.role) ? 'enrol' : null;
}

export type PendingSecondFactor = { challenge: string; enrol: boolean };

/** Records a first factor that passed; the returned token (`rbc_…`) is shown once to finish the sign-in. */
export async function createChallenge(ctx: AppContext, q: Queryable, user: StaffPrincipal, via: 'password' | 'oidc', need: 'verify' | 'enrol'): Promise<PendingSecondFactor> {
  const { token, hash } = newToken('rbc');
  const now = ctx.now();
  await q.query('DELETE FROM sign_in_challenges WHERE expires_at <= $1', [now]);
  await q.query('INSERT INTO sign_in_challenges (token_hash, user_id, via, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hash, user.id, via, now, new Date(now.getTime() + CHALLENGE_MINUTES * 60_000)]);
  return { challenge: token, enrol: need === 'enrol' };
}

const challengeInput = z.strictObject({ challenge: z.string().min(10, 'is required').max(200) });
export const enrolAtSignInInput = challengeInput;
export const completeSignInInput = z.strictObject({
  challenge: z.string().min(10, 'is required').max(200),
  code: z.string().trim().min(1).max(20).optional(),
  recovery_code: z.string().trim().min(1).max(40).optional(),
}).refine((v) => !!v.code !== !!v.recovery_code, { message: 'give either code or recovery_code', path: ['code'] });

async function openChallenge(q: Queryable, token: string, now: Date): Promise<{ user: StaffPrincipal; attempts: number; hash: string }> {
  const hash = hashToken(token);
  const [row] = await q.query<{ user_id: string; attempts: number }>('SELECT user_id, attempts FROM sign_in_challenges WHERE token_hash = $1 AND expires_at > $2 FOR UPDATE', [hash, now]);
  const user = row ? await findActiveUser(q, row.user_id) : null;
  if (!row || !user) throw new DomainError('unauthenticated', 'the sign-in expired: sign in again', 'challenge');
  return { user, attempts: row.attempts, hash };
}

/** Enrolment during sign-in (the role requires two factors and the user has none): a pending secret for the challenge's user. */
export async function enrolAtSignIn(ctx: AppContext, raw: unknown): Promise<Enrolment> {
  const input = parseInput(enrolAtSignInInput, raw);
  return ctx.db.transaction(async (tx) => {
    const { user } = await openChallenge(tx, input.challenge, ctx.now());
    return writePendingSecret(tx, user, ctx.now());
  });
}

/**
 * The second step of a sign-in: a TOTP code (which also confirms an enrolment begun at sign-in) or a
 * recovery code (each works once). Five wrong tries end the challenge. On success, a session.
 */
export async function completeSignIn(ctx: AppContext, raw: unknown): Promise<{ token: string; principal: StaffPrincipal; recovery_codes?: string[] }> {
  const input = parseInput(completeSignInInput, raw);
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const { user, attempts, hash } = await openChallenge(tx, input.challenge, now);
    const row = await readTotp(tx, user.id, true);
    let ok = false;
    let recoveryCodes: string[] | undefined;
    if (input.recovery_code) {
      if (row?.enabled_at) {
        const used = await tx.query('UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING code_hash',
          [user.id, hashRecovery(input.recovery_code), now]);
        ok = used.length === 1;
      }
    } else if (row && input.code) {
      ok = await checkTotp(tx, user.id, row, input.code, now);
      if (ok && !row.enabled_at) recoveryCodes = await enable(tx, ctx, user, now);
    }
    if (!ok) {
      if (attempts + 1 >= CHALLENGE_ATTEMPTS) await tx.query('DELETE FROM sign_in_challenges WHERE token_hash = $1', [hash]);
      else await tx.query('UPDATE sign_in_challenges SET attempts = attempts + 1 WHERE token_hash = $1', [hash]);
      return { ok: false as const, left: CHALLENGE_ATTEMPTS - attempts - 1 };
    }
    await tx.query('DELETE FROM sign_in_challenges WHERE token_hash = $1', [hash]);
    const token = await startSession(ctx, user, tx);
    return { ok: true as const, token, user, recoveryCodes };
  });
  if (!outcome.ok) {
    const field = input.recovery_code ? 'recovery_code' : 'code';
    throw new DomainError('unauthenticated', outcome.left > 0 ? `the ${field === 'code' ? 'code' : 'recovery code'} is wrong (${outcome.left} tries left)` : 'too many wrong codes: sign in again', field);
  }
  return { token: outcome.token, principal: outcome.user, ...(outcome.recoveryCodes ? { recovery_codes: outcome.recoveryCodes } : {}) };
}
