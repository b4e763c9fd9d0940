import type { AppContext } from '../context.ts';
import { readOnlyMode } from '../settings/read-only-mode.ts';
import { activeSurge } from './surge-state.ts';

export type ServiceStatus = {
  read_only: { enabled: boolean; message: string | null; since: string | null };
  surge: { active: boolean; message: string | null; started_at: string | null };
};

/**
 * What every screen — the web form, the portal, the staff app — shows as a banner: degraded mode and an active
 * surge, with the message typed by whoever switched them on (null: the screen's default words in the reader's
 * language). Public and cheap: both come from the process's configuration cache.
 */
export async function serviceStatus(ctx: AppContext): Promise<ServiceStatus> {
  const [mode, surge] = await Promise.all([readOnlyMode(ctx), activeSurge(ctx, ctx.db)]);
  return {
    read_only: { enabled: mode.enabled, message: mode.enabled ? mode.message : null, since: mode.enabled ? mode.since : null },
    surge: { active: surge !== null, message: surge?.message ?? null, started_at: surge ? new Date(surge.started_at).toISOString() : null },
  };
}
