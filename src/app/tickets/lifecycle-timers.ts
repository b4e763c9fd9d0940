import { archiveCutoff } from '../../core/promise/index.ts';
import type { AppContext } from '../context.ts';
import { archiveClosedTickets } from '../promise/archive.ts';
import { closeSilentSolved, warnPromisesAboutToPass, type SweepResult } from '../promise/lifecycle-sweep.ts';
import { loadLifecycleSettings } from '../promise/lifecycle-settings.ts';

const BATCH = 50;

/**
 * The worker's pass of the lifecycle timers: silence → close, archiving, "the promise is about to pass".
 * Unlike `runLifecycleSweep` it sends no "work has started" for routing's assignments: an assignment is not
 * work (review 2026-12-07, item 13); the notice goes when the assignee starts (tickets/progress-notices.ts).
 */
export async function runLifecycleTimers(ctx: AppContext): Promise<SweepResult> {
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
