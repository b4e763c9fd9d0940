import type { Principal } from '../../core/auth/principal.ts';
import { TICKET_STAGES } from '../../core/tickets/ticket-model.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';

export type StageReportRow = { stage: string; current: number; exits: number; avg_minutes: number | null; max_minutes: number | null };

/**
 * Tickets per stage now, and how long tickets stayed in each stage: every `stage_changed` event closes
 * the stay that began at the previous one (or at the ticket's creation).
 */
export async function getStageReport(ctx: AppContext, actor: Principal): Promise<{ stages: StageReportRow[] }> {
  requireStaff(actor, ['supervisor', 'admin']);
  const current = await ctx.db.query<{ stage: string; n: number }>('SELECT stage, count(*)::int AS n FROM tickets GROUP BY stage');
  const stays = await ctx.db.query<{ stage: string; exits: number; avg_minutes: number | null; max_minutes: number | null }>(
    `WITH changes AS (
       SELECT e.ticket_id, e.before->>'stage' AS stage, e.created_at AS left_at,
              COALESCE(lag(e.created_at) OVER (PARTITION BY e.ticket_id ORDER BY e.seq), t.created_at) AS entered_at
       FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.kind = 'stage_changed')
     SELECT stage, count(*)::int AS exits,
            round((avg(extract(epoch FROM left_at - entered_at)) / 60)::numeric, 1)::float8 AS avg_minutes,
            round((max(extract(epoch FROM left_at - entered_at)) / 60)::numeric, 1)::float8 AS max_minutes
     FROM changes GROUP BY stage`);
  const byStage = new Map(stays.map((s) => [s.stage, s]));
  const counts = new Map(current.map((c) => [c.stage, c.n]));
  const stages = TICKET_STAGES.map((stage) => ({
    stage, current: counts.get(stage) ?? 0, exits: byStage.get(stage)?.exits ?? 0,
    avg_minutes: byStage.get(stage)?.avg_minutes ?? null, max_minutes: byStage.get(stage)?.max_minutes ?? null,
  }));
  return { stages };
}
