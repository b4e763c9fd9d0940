import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { DEFAULT_SURGE_THRESHOLDS, type SurgeThresholds } from '../../core/planning/surge.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';

// Per-group surge thresholds (issue 19 item 5, docs/surge.md "Per group"): an admin opts a group into its own
// surge detection and sets how hot is hot for it. The worker's check (check-surge.ts) reads the enabled ones.

const ADMINS = ['admin'] as const;
const D = DEFAULT_SURGE_THRESHOLDS;

export const surgeThresholdsInput = z.strictObject({
  enabled: z.boolean().default(true),
  min_extra_arrivals: z.number().int('must be a whole number of requests').min(1, 'must be at least 1').max(100_000).default(D.minExtraArrivals),
  backlog_start: z.number().gt(0, 'must be above 0').max(10, 'must be at most 10').default(D.backlogStart),
  backlog_calm: z.number().gt(0, 'must be above 0').max(10, 'must be at most 10').default(D.backlogCalm),
  calm_minutes: z.number().int('must be a whole number of minutes').min(0, 'must not be negative').max(1440, 'must be at most 1440').default(D.calmMinutes),
}).refine((v) => v.backlog_calm < v.backlog_start, { message: 'must be below backlog_start (the gap keeps a surge from flapping)', path: ['backlog_calm'] });

const groupParams = z.strictObject({ group_id: z.string().uuid('must be a UUID') });

export type GroupSurgeThresholds = {
  group_id: string; group_name: string; configured: boolean; enabled: boolean;
  min_extra_arrivals: number; backlog_start: number; backlog_calm: number; calm_minutes: number; updated_at: string | null;
};

type Row = { group_id: string; enabled: boolean; min_extra_arrivals: number; backlog_start: number; backlog_calm: number; calm_minutes: number };

export const toThresholds = (r: Row): SurgeThresholds => ({ minExtraArrivals: r.min_extra_arrivals, backlogStart: r.backlog_start, backlogCalm: r.backlog_calm, calmMinutes: r.calm_minutes });

/** The groups whose own surges the worker watches, with their thresholds. */
export async function enabledGroupThresholds(q: Queryable): Promise<{ groupId: string; thresholds: SurgeThresholds }[]> {
  const rows = await q.query<Row>(
    `SELECT group_id, enabled, min_extra_arrivals, backlog_start, backlog_calm, calm_minutes FROM surge_thresholds WHERE enabled ORDER BY group_id`);
  return rows.map((r) => ({ groupId: r.group_id, thresholds: toThresholds(r) }));
}

/** Every group with its thresholds (the defaults, `configured: false`, where an admin set none). Supervisors and admins. */
export async function listSurgeThresholds(ctx: AppContext, actor: Principal): Promise<{ defaults: z.infer<typeof surgeThresholdsInput>; groups: GroupSurgeThresholds[] }> {
  requireStaff(actor, MANAGERS);
  const rows = await ctx.db.query<Row & { group_name: string; configured: boolean; updated_at: Date | null }>(
    `SELECT g.id AS group_id, g.name AS group_name, s.group_id IS NOT NULL AS configured, COALESCE(s.enabled, false) AS enabled,
            COALESCE(s.min_extra_arrivals, $1) AS min_extra_arrivals, COALESCE(s.backlog_start, $2) AS backlog_start,
            COALESCE(s.backlog_calm, $3) AS backlog_calm, COALESCE(s.calm_minutes, $4) AS calm_minutes, s.updated_at
       FROM groups g LEFT JOIN surge_thresholds s ON s.group_id = g.id ORDER BY g.name, g.id`,
    [D.minExtraArrivals, D.backlogStart, D.backlogCalm, D.calmMinutes]);
  return {
    defaults: { enabled: true, min_extra_arrivals: D.minExtraArrivals, backlog_start: D.backlogStart, backlog_calm: D.backlogCalm, calm_minutes: D.calmMinutes },
    groups: rows.map((r) => ({ ...r, backlog_start: Number(r.backlog_start), backlog_calm: Number(r.backlog_calm), updated_at: r.updated_at ? new Date(r.updated_at).toISOString() : null })),
  };
}

/** An admin sets a group's thresholds (absent fields: the defaults) and, unless `enabled: false`, switches its detection on. */
export async function setSurgeThresholds(ctx: AppContext, actor: Principal, params: unknown, raw: unknown): Promise<GroupSurgeThresholds> {
  const who = requireStaff(actor, ADMINS);
  const id = parseInput(groupParams, params).group_id;
  const v = parseInput(surgeThresholdsInput, raw ?? {});
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<Row>('SELECT group_id, enabled, min_extra_arrivals, backlog_start, backlog_calm, calm_minutes FROM surge_thresholds WHERE group_id = $1 FOR UPDATE', [id]);
    const [row] = await tx.query<Row & { group_name: string; updated_at: Date }>(
      `WITH g AS (SELECT id, name FROM groups WHERE id = $1), up AS (
         INSERT INTO surge_thresholds (group_id, enabled, min_extra_arrivals, backlog_start, backlog_calm, calm_minutes, updated_at, updated_by)
         SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM g
         ON CONFLICT (group_id) DO UPDATE SET enabled = EXCLUDED.enabled, min_extra_arrivals = EXCLUDED.min_extra_arrivals, backlog_start = EXCLUDED.backlog_start,
           backlog_calm = EXCLUDED.backlog_calm, calm_minutes = EXCLUDED.calm_minutes, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
         RETURNING *)
       SELECT up.*, g.name AS group_name FROM up JOIN g ON g.id = up.group_id`,
      [id, v.enabled, v.min_extra_arrivals, v.backlog_start, v.backlog_calm, v.calm_minutes, now, who.id]);
    if (!row) throw notFound('group');
    await recordAudit(tx, actor, { action: before ? 'update' : 'create', target: 'surge_thresholds', targetId: id, before: before ? auditView(before) : null, after: auditView(row) }, now);
    return {
      group_id: row.group_id, group_name: row.group_name, configured: true, enabled: row.enabled, min_extra_arrivals: row.min_extra_arrivals,
      backlog_start: Number(row.backlog_start), backlog_calm: Number(row.backlog_calm), calm_minutes: row.calm_minutes, updated_at: new Date(row.updated_at).toISOString(),
    };
  });
}

// numeric columns arrive as text from PostgreSQL: the audit row holds numbers, as the API answers.
const auditView = (r: Row) => ({ enabled: r.enabled, min_extra_arrivals: r.min_extra_arrivals, backlog_start: Number(r.backlog_start), backlog_calm: Number(r.backlog_calm), calm_minutes: r.calm_minutes });

/** An admin removes a group's thresholds: the group is watched only as part of the team again (an automatic surge it is in ends when calm, by the defaults; a declared one by hand). */
export async function removeSurgeThresholds(ctx: AppContext, actor: Principal, params: unknown): Promise<void> {
  requireStaff(actor, ADMINS);
  const id = parseInput(groupParams, params).group_id;
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.query<Row>('DELETE FROM surge_thresholds WHERE group_id = $1 RETURNING group_id, enabled, min_extra_arrivals, backlog_start, backlog_calm, calm_minutes', [id]);
    if (!gone) throw notFound('surge thresholds');
    await recordAudit(tx, actor, { action: 'delete', target: 'surge_thresholds', targetId: id, before: auditView(gone), after: null }, ctx.now());
  });
}
