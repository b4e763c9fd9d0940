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

/** How long a sign-in link works: a day when asked for, a week when it rides on a ticket's acknowledgement. */
export const LINK_DAYS = { requested: 1, acknowledgement: 7 } as const;

/**
 * Creates a one-time sign-in link for a contact; returns its path. Links only ever travel by e-mail to
 * the contact's own address — the mailbox is the proof of identity — and are minted when the mail is
 * rendered, so no usable secret rests in the outbox or in an HTTP response.
 */
export async function issueMagicLink(q: Queryable, contactId: string, nextPath: string, now: Date, days: number = LINK_DAYS.requested): Promise<string> {
  const link = newMagicLink(contactId, nextPath, now, days);
  await q.query(`INSERT INTO magic_links (token_hash, contact_id, next_path, created_at, expires_at) ${MAGIC_LINK_VALUES}`, magicLinkParams(link));
  return link.path;
}

/** A sign-in link not yet stored: its row and the path that carries its token (for a caller that writes it with other rows). */
export type NewMagicLink = { path: string; hash: string; contactId: string; nextPath: string; createdAt: Date; expiresAt: Date };

export function newMagicLink(contactId: string, nextPath: string, now: Date, days: number): NewMagicLink {
  return { ...newLinkToken(now, days), contactId, nextPath };
}

/** A link's token and lifetime, before its contact and destination are known (they come from the same statement that stores it). */
export type LinkToken = Omit<NewMagicLink, 'contactId' | 'nextPath'>;
export function newLinkToken(now: Date, days: number): LinkToken {
  const { token, hash } = newToken('rbm');
  return { path: `/api/v1/portal/magic/${token}`, hash, createdAt: now, expiresAt: new Date(now.getTime() + days * 86_400_000) };
}

/** The VALUES of a magic_links INSERT, its five parameters numbered from `offset + 1`. */
export const magicLinkValues = (offset: number): string => `VALUES ($${offset + 1}, $${offset + 2}, $${offset + 3}, $${offset + 4}, $${offset + 5})`;
const MAGIC_LINK_VALUES = magicLinkValues(0);
export const magicLinkParams = (link: NewMagicLink): unknown[] => [link.hash, link.contactId, link.nextPath, link.createdAt, link.expiresAt];

/** A portal path a link may lead to after sign-in; anything else falls back to the request list. */
const portalPath = z.string().max(200).regex(/^\/portal(\/tickets\/[1-9][0-9]{0,9})?$/, 'must be /portal or /portal/tickets/<number>');

export const requestMagicLinkInput = z.object({
  email: z.string().trim().toLowerCase().email('must be an e-mail address').max(254),
  next: portalPath.optional(),
});

/** E-mails a sign-in link when the address is a known contact; answers the same either way so addresses cannot be probed. */
export async function requestMagicLink(ctx: AppContext, raw: unknown): Promise<void> {
  const input = parseInput(requestMagicLinkInput, raw);
  await ctx.db.transaction(async (tx) => {
    const [contact] = await tx.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1', [input.email]);
    if (!contact) return;
    await enqueue(tx, 'mail.magic_link', { contact_id: contact.id, next: input.next ?? '/portal' }, ctx.now());
  });
}

/** Consumes a magic link once and starts a customer session. */
export async function redeemMagicLink(ctx: AppContext, token: string): Promise<{ token: string; principal: Principal; next: string }> {
  const now = ctx.now();
  const [row] = await ctx.db.query<{ contact_id: string; next_path: string }>(
    'UPDATE magic_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING contact_id, next_path',
    [hashToken(token), now]);
  const principal = row ? await findContact(ctx.db, row.contact_id) : null;
  if (!row || !principal) throw new DomainError('unauthenticated', 'this sign-in link has expired or was already used; ask for a new one');
  return { token: await startSession(ctx, principal), principal, next: row.next_path };
}

/**
 * Where a link that no longer works was meant to lead (its ticket, for an acknowledgement's link), so
 * the page offering a new link can send that one to the same place. '/portal' for an unknown token.
 */
export async function magicLinkDestination(ctx: AppContext, token: string): Promise<string> {
  const [row] = await ctx.db.query<{ next_path: string }>('SELECT next_path FROM magic_links WHERE token_hash = $1', [hashToken(token)]);
  return row?.next_path ?? '/portal';
}
