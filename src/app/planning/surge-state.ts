import type { SurgeCause } from '../../core/planning/surge.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { notify } from '../notifications/notify.ts';
import { announceConfigChange, cachedConfig, forgetCachedConfig } from '../shared/config-cache.ts';

export type SurgeRow = {
  id: string; group_id: string | null; cause: SurgeCause; started_at: Date; ended_at: Date | null; end_reason: 'calm' | 'manual' | null;
  calm_since: Date | null; message: string | null; declared_by: string | null; ended_by: string | null; signals: Record<string, unknown>;
};

const COLUMNS = 'id, group_id, cause, started_at, ended_at, end_reason, calm_since, message, declared_by, ended_by, signals';

/** The active surge of a scope (null: the whole team; else one group) read in `q` (locked with `forUpdate`), or null. */
export async function readActiveSurge(q: Queryable, forUpdate = false, groupId: string | null = null): Promise<SurgeRow | null> {
  const [row] = await q.query<SurgeRow>(`SELECT ${COLUMNS} FROM surges WHERE ended_at IS NULL AND group_id IS NOT DISTINCT FROM $1${forUpdate ? ' FOR UPDATE' : ''}`, [groupId]);
  return row ?? null;
}

/**
 * Every active surge (the team's and the groups'), as intake and the public notice see them: through the
 * process's configuration cache (shared/config-cache.ts), dropped by the NOTIFY that starting or ending a surge
 * sends, so intake pays no query per ticket for them.
 */
export function activeSurges(ctx: AppContext, q: Queryable): Promise<SurgeRow[]> {
  return cachedConfig(ctx.db, 'surge', () => q.query<SurgeRow>(`SELECT ${COLUMNS} FROM surges WHERE ended_at IS NULL ORDER BY started_at`));
}

/**
 * The surge a ticket of `groupId` is in: the team-wide one, else its group's (null: none; `undefined`: the
 * team-wide one only — the public notice, which does not know the group).
 */
export async function activeSurge(ctx: AppContext, q: Queryable, groupId?: string | null): Promise<SurgeRow | null> {
  const all = await activeSurges(ctx, q);
  return all.find((s) => s.group_id === null) ?? (groupId ? all.find((s) => s.group_id === groupId) : undefined) ?? null;
}

/**
 * Starts a surge unless one is active (the partial unique index decides between concurrent starters) and,
 * only when this call started it, alerts every active supervisor and admin — in-app, e-mail at once (urgent)
 * and the `surge.started` webhook — in the same transaction: exactly once per surge.
 */
export async function startSurge(tx: Queryable, s: { groupId?: string | null; cause: SurgeCause; message: string | null; declaredBy: string | null; signals: Record<string, unknown> }, now: Date): Promise<SurgeRow | null> {
  const groupId = s.groupId ?? null;
  const [row] = await tx.query<SurgeRow>(
    `INSERT INTO surges (group_id, cause, started_at, message, declared_by, signals) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [groupId, s.cause, now, s.message, s.declaredBy, JSON.stringify(s.signals)]);
  if (!row) return null;
  const managers = await tx.query<{ id: string }>("SELECT id FROM users WHERE active AND role IN ('supervisor', 'admin')");
  const [group] = groupId === null ? [] : await tx.query<{ name: string }>('SELECT name FROM groups WHERE id = $1', [groupId]);
  const who = group ? `the ${group.name} group` : 'the team';
  const why = s.cause === 'manual' ? 'declared by a supervisor' : s.cause === 'arrivals' ? 'arrivals above the forecast band' : `backlog above what ${who} can answer in time`;
  await notify(tx, {
    event: 'surge.started', ticketId: null, urgent: true, recipients: managers.map((m) => m.id),
    title: group ? `Surge mode is on for ${group.name}` : 'Surge mode is on',
    body: `Surge started for ${who} (${why}). New acknowledgements promise the later, honest time.${s.message ? ` Notice: ${s.message}` : ''}`,
    data: { surge_id: row.id, group_id: groupId, cause: s.cause, started_at: now.toISOString(), message: s.message },
  }, now);
  await announceConfigChange(tx, 'surge');
  return row;
}

/** Ends the active surge (locked by the caller); announces it so every process stops applying it. */
export async function finishSurge(tx: Queryable, id: string, how: { reason: 'calm' | 'manual'; endedBy: string | null }, now: Date): Promise<SurgeRow> {
  const [row] = await tx.query<SurgeRow>(
    `UPDATE surges SET ended_at = $2, end_reason = $3, ended_by = $4 WHERE id = $1 AND ended_at IS NULL RETURNING ${COLUMNS}`,
    [id, now, how.reason, how.endedBy]);
  await announceConfigChange(tx, 'surge');
  if (!row) throw new Error(`surge ${id} is not active`);
  return row;
}

/** After a start or end commits: this process drops its cached copy at once (others hear the NOTIFY). */
export function surgeChanged(ctx: AppContext): void {
  forgetCachedConfig(ctx.db);
}
