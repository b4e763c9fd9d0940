import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';

export type SurgeReport = {
  id: string;
  /** The group whose surge it was (null: the whole team's); its arrivals and promises are that group's tickets. */
  group_id: string | null; group_name: string | null;
  cause: string; started_at: string; ended_at: string | null; end_reason: string | null; message: string | null;
  declared_by: string | null; ended_by: string | null; signals: Record<string, unknown>;
  /** Tickets created while the surge lasted (merged-away duplicates are not arrivals). */
  arrived: number;
  /** Of those, how many were promised a time, and how it went by the ORIGINAL promise (docs/promise.md). */
  promises: { made: number; kept: number; broken: number; waiting: number; later_because_of_surge: number };
};

/**
 * Per surge (newest first, the last 100): when and why it started and ended, what arrived during it and what
 * became of the promises those tickets were given — kept (first reply by the original promise), broken
 * (replied later, or still unanswered past it), waiting (unanswered, the promise still ahead).
 */
export async function reportSurges(ctx: AppContext, actor: Principal): Promise<{ surges: SurgeReport[] }> {
  requireStaff(actor, MANAGERS);
  const rows = await ctx.db.query<SurgeReport & { started_at: Date; ended_at: Date | null }>(
    `SELECT s.id, s.group_id, g.name AS group_name, s.cause, s.started_at, s.ended_at, s.end_reason, s.message, s.declared_by, s.ended_by, s.signals,
            COALESCE(x.arrived, 0)::int AS arrived,
            json_build_object('made', COALESCE(x.made, 0), 'kept', COALESCE(x.kept, 0), 'broken', COALESCE(x.broken, 0),
                              'waiting', COALESCE(x.made, 0) - COALESCE(x.kept, 0) - COALESCE(x.broken, 0), 'later_because_of_surge', COALESCE(x.surge, 0)) AS promises
       FROM (SELECT * FROM surges ORDER BY started_at DESC LIMIT 100) s
       LEFT JOIN groups g ON g.id = s.group_id
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS arrived,
                count(*) FILTER (WHERE t.original_promised_reply_at IS NOT NULL)::int AS made,
                count(*) FILTER (WHERE t.first_responded_at <= t.original_promised_reply_at)::int AS kept,
                count(*) FILTER (WHERE t.first_responded_at > t.original_promised_reply_at
                                    OR (t.first_responded_at IS NULL AND t.original_promised_reply_at < $1))::int AS broken,
                count(*) FILTER (WHERE t.promise->>'reason' = 'surge')::int AS surge
           FROM tickets t
          WHERE t.created_at >= s.started_at AND t.created_at < COALESCE(s.ended_at, $1) AND t.merged_into_id IS NULL
            AND (s.group_id IS NULL OR t.group_id = s.group_id)) x ON true
      ORDER BY s.started_at DESC`,
    [ctx.now()]);
  return {
    surges: rows.map((r) => ({
      ...r, started_at: new Date(r.started_at).toISOString(), ended_at: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
    })),
  };
}
