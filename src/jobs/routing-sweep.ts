import type { AppContext } from '../app/context.ts';
import { sweepQueues } from '../app/routing/sweep-queues.ts';
import { runEvery } from './periodic.ts';

/** Runs the routing sweep (snooze wake-ups, queue catch-up) every `intervalMs` until stopped. */
export function startRoutingSweep(ctx: AppContext, intervalMs = 60_000): { stop: () => Promise<void> } {
  return runEvery(intervalMs, async () => {
    const r = await sweepQueues(ctx);
    if (r.woke || r.assigned) ctx.log.info(r, 'routing sweep');
  }, (err) => ctx.log.error({ err: String(err) }, 'routing sweep failed'));
}
