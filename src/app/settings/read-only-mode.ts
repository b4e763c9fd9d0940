import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { cachedSettings, changeSettings, defineSettingsSection } from './settings.ts';

/**
 * Degraded mode (docs/surge.md): the admin switch that makes the system read-only for the day it is half
 * down. Stored as a settings section, so every process sees a change at once through the configuration
 * cache's NOTIFY; the HTTP layer's one hook (http/read-only.ts) refuses writes while it is on.
 */
export const READ_ONLY_SETTINGS = defineSettingsSection('read_only', z.object({
  enabled: z.boolean().default(false),
  /** The admin's words for the banner (null: the default banner in the reader's language). */
  message: z.string().nullable().default(null),
  since: z.string().nullable().default(null),
  by: z.string().nullable().default(null),
}));
export type ReadOnlyMode = z.output<typeof READ_ONLY_SETTINGS.schema>;

export const readOnlyInput = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }),
  message: z.string().trim().max(500, 'must be at most 500 characters').nullable().optional(),
});

/** The mode through the process's cache: read by the HTTP hook before every write, and by the status endpoint. */
export function readOnlyMode(ctx: AppContext): Promise<Readonly<ReadOnlyMode>> {
  return cachedSettings(ctx, ctx.db, READ_ONLY_SETTINGS);
}

/** Admins switch degraded mode on or off (with an optional banner message). */
export async function setReadOnlyMode(ctx: AppContext, actor: Principal, raw: unknown): Promise<ReadOnlyMode> {
  const admin = requireStaff(actor, ['admin']);
  const input = parseInput(readOnlyInput, raw);
  const now = ctx.now().toISOString();
  return changeSettings(ctx, actor, READ_ONLY_SETTINGS, (current) => input.enabled
    ? { enabled: true, message: input.message || null, since: current.enabled ? current.since : now, by: admin.id }
    : { enabled: false, message: null, since: null, by: null });
}

/** The refusal every write gets while the mode is on. */
export function readOnlyRefusal(mode: Readonly<ReadOnlyMode>): DomainError {
  return new DomainError('read_only', `Replyby is in read-only (degraded) mode since ${mode.since ?? 'now'}: changes are refused until an admin switches it off${mode.message ? ` (${mode.message})` : ''}. Incoming e-mail is still received.`);
}
