import type { SurgeCause } from '../../core/planning/surge.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { notify } from '../notifications/notify.ts';
import { announceConfigChange, cachedConfig, forgetCachedConfig } from '../shared/config-cache.ts';

export type SurgeRow = {
  id: string; cause: SurgeCause; started_at: Date; ended_at: Date | null; end_reason: 'calm' | 'manual' | null;
  calm_since: Date | null; message: string | null; declared_by: string | null; ended_by: string | null; signals: Record<string, unknown>;
};

const COLUMNS = 'id, cause, started_at, ended_at, end_reason, calm_since, message, declared_by, ended_by, signals';

/** The active surge read in `q` (locked with `forUpdate`), or null. */
export async function readActiveSurge(q: Queryable, forUpdate = false): Promise<SurgeRow | null> {
  const [row] = await q.query<SurgeRow>(`SELECT ${COLUMNS} FROM surges WHERE ended_at IS NULL${forUpdate ? ' FOR UPDATE' : ''}`);
  return row ?? null;
}

/**
 * The active surge as intake and the public notice see it: through the process's configuration cache
 * (shared/config-cache.ts), dropped by the NOTIFY that starting or ending a surge sends, so intake pays no
 * query per ticket for it.
 */
export function activeSurge(ctx: AppContext, q: Queryable): Promise<SurgeRow | null> {
  return cachedConfig(ctx.db, 'surge', () => readActiveSurge(q));
}

/**
 * Starts a surge unless one is active (the partial unique index decides between concurrent starters) and,
 * only when this call started it, alerts every active supervisor and admin — in-app, e-mail at once (urgent)
 * and the `surge.started` webhook — in the same transaction: exactly once per surge.
 */
export async function startSurge(tx: Queryable, s: { cause: SurgeCause; message: string | null; declaredBy: string | null; signals: Record<string, unknown> }, now: Date): Promise<SurgeRow | null> {
  const [row] = await tx.query<SurgeRow>(
    `INSERT INTO surges (cause, started_at, message, declared_by, signals) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [s.cause, now, s.message, s.declaredBy, JSON.stringify(s.signals)]);
  if (!row) return null;
  const managers = await tx.query<{ id: string }>("SELECT id FROM users WHERE active AND role IN ('supervisor', 'admin')");
  const why = s.cause === 'manual' ? 'declared by a supervisor' : s.cause === 'arrivals' ? 'arrivals above the forecast band' : 'backlog above what the team can answer in time';
  await notify(tx, {
    event: 'surge.started', ticketId: null, urgent: true, recipients: managers.map((m) => m.id),
    title: 'Surge mode is on', body: `Surge started (${why}). New acknowledgements promise the later, honest time.${s.message ? ` Notice: ${s.message}` : ''}`,
    data: { surge_id: row.id, cause: s.cause, started_at: now.toISOString(), message: s.message },
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
