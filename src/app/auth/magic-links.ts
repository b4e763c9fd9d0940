import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import { findContact } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';
import { hashToken, newToken } from './secrets.ts';
import { startSession } from './start-session.ts';

const LINK_DAYS = 1;
const FOLLOW_LINK_DAYS = 90;

/** Creates a one-time sign-in link for a contact (inside the caller's transaction); returns its path. */
export async function issueMagicLink(q: Queryable, contactId: string, nextPath: string, now: Date, reusable = false): Promise<string> {
  const { token, hash } = newToken('rbm');
  const days = reusable ? FOLLOW_LINK_DAYS : LINK_DAYS;
  await q.query('INSERT INTO magic_links (token_hash, contact_id, next_path, reusable, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    hash, contactId, nextPath, reusable, now, new Date(now.getTime() + days * 86_400_000),
  ]);
  return `/api/v1/portal/magic/${token}`;
}

export const requestMagicLinkInput = z.object({ email: z.string().trim().toLowerCase().email('must be an e-mail address').max(254) });

/** E-mails a sign-in link when the address is a known contact; answers the same either way so addresses cannot be probed. */
export async function requestMagicLink(ctx: AppContext, raw: unknown): Promise<void> {
  const input = parseInput(requestMagicLinkInput, raw);
  await ctx.db.transaction(async (tx) => {
    const [contact] = await tx.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1', [input.email]);
    if (!contact) return;
    // The token is minted when the mail is rendered, so no usable secret ever rests in the outbox.
    await enqueue(tx, 'mail.magic_link', { contact_id: contact.id, next: '/portal' }, ctx.now());
  });
}

/** Consumes a magic link once and starts a customer session. */
export async function redeemMagicLink(ctx: AppContext, token: string): Promise<{ token: string; principal: Principal; next: string }> {
  const now = ctx.now();
  const [row] = await ctx.db.query<{ contact_id: string; next_path: string }>(
    'UPDATE magic_links SET used_at = $2 WHERE token_hash = $1 AND (used_at IS NULL OR reusable) AND expires_at > $2 RETURNING contact_id, next_path',
    [hashToken(token), now]);
  const principal = row ? await findContact(ctx.db, row.contact_id) : null;
  if (!row || !principal) throw new DomainError('unauthenticated', 'this sign-in link has expired or was already used; ask for a new one');
  return { token: await startSession(ctx, principal), principal, next: row.next_path };
}
