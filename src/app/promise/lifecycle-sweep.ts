import { archiveCutoff, newEstimate, predictReply, silenceCutoff } from '../../core/promise/index.ts';
import { statusTimestamps } from '../../core/tickets/status-transition.ts';
import { nextStage } from '../../core/triage/stage.ts';
import { appendEvents, updateTicketRow, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { refreshTicketSla } from '../sla/refresh-ticket-sla.ts';
import { archiveClosedTickets } from './archive.ts';
import { sendNoticeOnce } from './customer-notices.ts';
import { loadLifecycleSettings } from './lifecycle-settings.ts';
import { restatedPromise } from './promise-view.ts';
import { ALWAYS_OPEN } from '../../core/calendar/index.ts';
import { loadQueueLoad } from './queue-load.ts';

const SYSTEM = { kind: 'system', id: null } as const;
const BATCH = 50;
const MINUTE = 60_000;

export type SweepResult = { closed: number; archived: number; warned: number; started: number };

/**
 * One pass of the lifecycle timers (the worker's, every minute): silence → close, archiving, "the promise is
 * about to pass". "Work has started" is not here: an assignment is not work (review 2026-12-07, item 13);
 * the notice goes when the assignee starts (tickets/progress-notices.ts). Each step claims its rows with `FOR UPDATE SKIP LOCKED` and
 * re-checks its condition in the UPDATE, so any number of worker processes may sweep at once without
 * acting twice; `ctx.now()` is the clock (tests inject it).
 */
export async function runLifecycleSweep(ctx: AppContext): Promise<SweepResult> {
  const result: SweepResult = { closed: 0, archived: 0, warned: 0, started: 0 };
  for (let n = BATCH; n === BATCH;) result.closed += (n = await closeSilentSolved(ctx));
  for (let n = 200; n === 200;) result.archived += (n = await ctx.db.transaction(async (tx) => {
    const s = await loadLifecycleSettings(tx);
    const now = ctx.now();
    return archiveClosedTickets(tx, new Date(archiveCutoff(now.getTime(), s.archive_after_days)), now, 200);
  }));
  for (let n = BATCH; n === BATCH;) result.warned += (n = await warnPromisesAboutToPass(ctx));
  return result;
}

/** Solved tickets whose customer did not answer within the configured silence close, with an event. */
export async function closeSilentSolved(ctx: AppContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const s = await loadLifecycleSettings(tx);
    const cutoff = new Date(silenceCutoff(now.getTime(), s.solved_close_after_hours));
    const due = await tx.query<TicketRow>(
      `SELECT * FROM tickets WHERE status = 'solved' AND solved_at <= $1 AND archived_at IS NULL ORDER BY solved_at LIMIT $2 FOR UPDATE SKIP LOCKED`, [cutoff, BATCH]);
    for (const t of due) {
      const stage = nextStage(t.stage, { kind: 'status', status: 'closed' });
      await updateTicketRow(tx, t.id, { status: 'closed', ...statusTimestamps('closed', now, t), stage, updated_at: now });
      await appendEvents(tx, [
        { ticketId: t.id, actor: SYSTEM, kind: 'status_changed', before: { status: 'solved' }, after: { status: 'closed', reason: 'no_answer_to_closure_request' }, at: now },
        ...(stage !== t.stage ? [{ ticketId: t.id, actor: SYSTEM, kind: 'stage_changed', before: { stage: t.stage }, after: { stage }, at: now }] : []),
        { ticketId: t.id, actor: SYSTEM, kind: 'closed_after_silence', before: null, after: { solved_at: t.solved_at?.toISOString() ?? null, silence_hours: s.solved_close_after_hours }, at: now },
      ]);
      await refreshTicketSla(tx, t.id, now);
      await publishTicketChange(tx, { ticket_id: t.id, number: t.number, kind: 'updated', actor_id: null });
    }
    return due.length;
  });
}

/**
 * "We need more time; new estimate …": an unanswered ticket whose promise passes within the lead gets
 * a new estimate (the queue's prediction, never sooner than one lead later), once per promise. The
 * original promise stays for "promises kept". At most `promise_auto_extensions` times per ticket.
 */
export async function warnPromisesAboutToPass(ctx: AppContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const s = await loadLifecycleSettings(tx);
    if (!s.notices.promise_about_to_pass) return 0;
    const due = await tx.query<TicketRow>(
      `SELECT * FROM tickets t
       WHERE t.promised_reply_at > $1 AND t.promised_reply_at <= $2 AND t.first_responded_at IS NULL
         AND t.status IN ('new', 'open', 'on_hold') AND t.archived_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM ticket_notices n WHERE n.ticket_id = t.id AND n.kind = 'promise_about_to_pass'
                         AND n.key = (extract(epoch FROM t.promised_reply_at) * 1000)::bigint::text)
         AND (SELECT count(*) FROM ticket_notices n WHERE n.ticket_id = t.id AND n.kind = 'promise_about_to_pass') < $4
       ORDER BY t.promised_reply_at LIMIT $3 FOR UPDATE OF t SKIP LOCKED`,
      [now, new Date(now.getTime() + s.promise_warning_minutes * MINUTE), BATCH, s.promise_auto_extensions]);
    for (const t of due) {
      if (!t.promised_reply_at) continue;
      const predicted = predictReply(now.getTime(), await loadQueueLoad(tx, { id: t.id, group_id: t.group_id, due: t.sla_next_due_at }, now), ALWAYS_OPEN);
      const estimate = new Date(newEstimate(t.promised_reply_at.getTime(), s.promise_warning_minutes, predicted));
      const description = restatedPromise(t.promise, { basis: 'queue', reason: 'about_to_pass', message: null }, now);
      // The claim comes first: a notice already recorded means another sweep acted on this promise.
      const claimed = await sendNoticeOnce(tx, t.id, 'promise_about_to_pass', String(t.promised_reply_at.getTime()), now, { promised_at: estimate.toISOString() });
      if (!claimed) continue;
      await tx.query('UPDATE tickets SET promised_reply_at = $2, original_promised_reply_at = COALESCE(original_promised_reply_at, $3), promise = $4 WHERE id = $1',
        [t.id, estimate, t.promised_reply_at, JSON.stringify(description)]);
      await appendEvents(tx, [{
        ticketId: t.id, actor: SYSTEM, kind: 'promise_changed', before: { promised_reply_at: t.promised_reply_at.toISOString() },
        after: { promised_reply_at: estimate.toISOString(), reason: 'about_to_pass', predicted_at: predicted === null ? null : new Date(predicted).toISOString() }, at: now,
      }]);
      await publishTicketChange(tx, { ticket_id: t.id, number: t.number, kind: 'updated', actor_id: null });
    }
    return due.length;
  });
}
