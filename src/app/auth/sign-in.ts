import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import { findContactForSignIn, findUserForSignIn } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { hashPassword, verifyPassword } from './secrets.ts';
import { startSession } from './start-session.ts';
import { createChallenge, secondFactorNeeded, type PendingSecondFactor } from './two-factor.ts';

export const signInInput = z.object({
  email: z.string().trim().email('must be an e-mail address').max(254),
  password: z.string().min(1, 'is required').max(200),
});

// Verifying against a fixed hash when the account does not exist keeps response time from revealing which e-mails exist.
let decoyHash: Promise<string> | undefined;

export type SignInResult = { token: string; principal: Principal } | { twoFactor: PendingSecondFactor };

/**
 * Staff (`audience: 'staff'`) or customer (`'customer'`) sign-in with e-mail and password. Staff with
 * two-factor sign-in on (or whose role requires it) get a challenge instead of a session (two-factor.ts).
 */
export async function signIn(ctx: AppContext, raw: unknown, audience: 'staff' | 'customer'): Promise<SignInResult> {
  const input = parseInput(signInInput, raw);
  const found = audience === 'staff' ? await findUserForSignIn(ctx.db, input.email) : await findContactForSignIn(ctx.db, input.email);
  decoyHash ??= hashPassword('decoy-password');
  const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash));
  const active = found && 'active' in found ? found.active : true;
  // A contact without a password (created by a web form or e-mail) signs in by link only: the decoy
  // hash must never count as their password.
  if (!found || !found.passwordHash || !ok || !active) throw new DomainError('unauthenticated', 'e-mail or password is wrong');
  const checkedHash = found.passwordHash;
  // Checking a password takes ~100 ms. A password change (or deactivation) committed meanwhile has
  // already ended the account's sessions, so the new one is only written if the hash that was checked
  // is still current — read under a share lock, which waits for a change in flight to commit.
  const table = audience === 'staff' ? 'users' : 'contacts';
  return ctx.db.transaction(async (tx): Promise<SignInResult> => {
    const [current] = await tx.query<{ password_hash: string | null; active: boolean }>(
      `SELECT password_hash, ${audience === 'staff' ? 'active' : 'true AS active'} FROM ${table} WHERE id = $1 FOR SHARE`, [found.principal.id]);
    if (!current || current.password_hash !== checkedHash || !current.active) throw new DomainError('unauthenticated', 'e-mail or password is wrong');
    if (found.principal.kind === 'user') {
      const need = await secondFactorNeeded(tx, found.principal);
      if (need) return { twoFactor: await createChallenge(ctx, tx, found.principal, 'password', need) };
    }
    return { token: await startSession(ctx, found.principal, tx), principal: found.principal };
  });
}
