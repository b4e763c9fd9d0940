import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, forbidden, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext, OutgoingMail } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { hashPassword, hashToken, newToken } from './secrets.ts';

/** A reset link is a key to the account, so it lives an hour (Zendesk and GitHub use about the same). */
export const RESET_LINK_MINUTES = 60;

export const requestPasswordResetInput = z.object({
  email: z.string().trim().toLowerCase().email('must be an e-mail address').max(254),
});

export const resetPasswordInput = z.object({
  token: z.string().min(10, 'is not a reset token').max(200),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
});

/**
 * "Forgot password" on the staff sign-in page: e-mails an active user a one-time reset link, and answers
 * the same whether or not the address belongs to anyone, so addresses cannot be probed.
 */
export async function requestPasswordReset(ctx: AppContext, raw: unknown): Promise<void> {
  const input = parseInput(requestPasswordResetInput, raw);
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>('SELECT id FROM users WHERE email = $1 AND active', [input.email]);
    if (user) await enqueue(tx, 'mail.password_reset', { user_id: user.id }, ctx.now());
  });
}

/** An admin (or a supervisor, for non-admins) sends a user the same reset mail; nobody ever sees or sets the password for them. */
export async function sendPasswordReset(ctx: AppContext, actor: Principal, userId: string): Promise<void> {
  const manager = requireStaff(actor, MANAGERS);
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx.query<{ role: string; active: boolean }>('SELECT role, active FROM users WHERE id = $1', [userId]);
    if (!user) throw notFound('user');
    if (user.role === 'admin' && manager.role !== 'admin') throw forbidden('only an admin can reset an admin\'s password');
    if (!user.active) throw new DomainError('conflict', 'the user is deactivated; reactivate them first');
    await enqueue(tx, 'mail.password_reset', { user_id: userId }, ctx.now());
    await recordAudit(tx, actor, { action: 'update', target: 'user', targetId: userId, before: null, after: { password_reset_sent: true } }, ctx.now());
  });
}

/** Sets a new password with a reset link's token; the link works once, and every session of the user ends. */
export async function resetPassword(ctx: AppContext, raw: unknown): Promise<void> {
  const input = parseInput(resetPasswordInput, raw);
  const hash = await hashPassword(input.password);
  await ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [row] = await tx.query<{ user_id: string }>(
      `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         AND user_id IN (SELECT id FROM users WHERE active) RETURNING user_id`, [hashToken(input.token), now]);
    if (!row) throw new DomainError('unauthenticated', 'this reset link has expired or was already used; ask for a new one', 'token');
    await tx.query('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [row.user_id, hash, now]);
    await tx.query("DELETE FROM sessions WHERE principal_kind = 'user' AND principal_id = $1", [row.user_id]);
    // Other links asked for before are void once the password has changed.
    await tx.query('UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [row.user_id, now]);
  });
}

async function issueResetLink(q: Queryable, userId: string, now: Date): Promise<string> {
  const { token, hash } = newToken('rbr');
  await q.query('INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    hash, userId, now, new Date(now.getTime() + RESET_LINK_MINUTES * 60_000)]);
  // In the fragment: browsers never send it to a server, so it stays out of access logs and Referer headers.
  return `/reset-password#token=${token}`;
}

/** The reset mail, rendered (and the token minted) at send time; null when the user is gone or deactivated. */
export async function renderPasswordResetMail(ctx: AppContext, payload: Record<string, unknown>): Promise<OutgoingMail | null> {
  const userId = typeof payload.user_id === 'string' ? payload.user_id : null;
  if (!userId) return null;
  const [user] = await ctx.db.query<{ email: string; name: string }>('SELECT email, name FROM users WHERE id = $1 AND active', [userId]);
  if (!user) return null;
  const path = await issueResetLink(ctx.db, userId, ctx.now());
  return {
    to: user.email,
    subject: 'Reset your Replyby password',
    text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset your Replyby password. Choose a new one here:\n${ctx.settings.publicUrl}${path}\n\nThe link works once, for ${RESET_LINK_MINUTES} minutes. If you did not ask, ignore this mail; your password stays as it is.`,
  };
}
