import type { z } from 'zod';
import type { Queryable } from '../../store/db.ts';
import { lockSettingsSection, readSettingsSection, writeSettingsSection } from '../../store/repos/settings-repo.ts';
import type { AppContext } from '../context.ts';
import { announceConfigChange, cachedConfig, forgetCachedConfig } from '../shared/config-cache.ts';
import { recordAudit } from '../shared/audit.ts';
import type { Principal } from '../../core/auth/principal.ts';

/**
 * A section of the admin settings (one row of the `settings` table): its name and a zod schema that gives
 * every field its default, so a missing row or key reads as the default. The owners define theirs
 * (triage-settings.ts, lifecycle-settings.ts); the storage and loading are this one mechanism.
 */
export type SettingsSection<S extends z.ZodObject> = { readonly name: string; readonly schema: S };

export function defineSettingsSection<S extends z.ZodObject>(name: string, schema: S): SettingsSection<S> {
  return { name, schema };
}

/**
 * The stored object read through the section's schema. A stored value the schema refuses (edited by hand)
 * reads as the defaults rather than failing every ticket that needs the setting.
 */
export function parseSettings<S extends z.ZodObject>(section: SettingsSection<S>, stored: unknown): z.output<S> {
  const parsed = section.schema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : section.schema.parse({});
}

/** The section as stored, defaults filled in. No access check: for jobs and use cases. */
export async function loadSettings<S extends z.ZodObject>(q: Queryable, section: SettingsSection<S>): Promise<z.output<S>> {
  return parseSettings(section, await readSettingsSection(q, section.name));
}

/**
 * The section through this process's cache (shared/config-cache.ts), read in `q` (the caller's transaction)
 * when there is no current copy: for intake, which needs the same settings for every ticket. Read-only.
 */
export async function cachedSettings<S extends z.ZodObject>(ctx: AppContext, q: Queryable, section: SettingsSection<S>): Promise<Readonly<z.output<S>>> {
  return cachedConfig(ctx.db, `settings:${section.name}`, () => loadSettings(q, section));
}

/**
 * Read-modify-write of one section under its row lock, in a transaction of its own; returns what was stored.
 * Every process's cached copy is dropped when it commits (NOTIFY), this process's at once.
 */
export async function changeSettings<S extends z.ZodObject>(
  ctx: AppContext, actor: Principal, section: SettingsSection<S>, change: (current: z.output<S>) => z.output<S>,
): Promise<z.output<S>> {
  const next = await ctx.db.transaction(async (tx) => {
    const before = parseSettings(section, await lockSettingsSection(tx, section.name));
    const value = change(before);
    await writeSettingsSection(tx, section.name, value);
    await recordAudit(tx, actor, { action: 'update', target: 'settings', targetId: section.name, before, after: value }, ctx.now());
    await announceConfigChange(tx, `settings:${section.name}`);
    return value;
  });
  forgetCachedConfig(ctx.db);
  return next;
}
