import type { AppContext } from '../app/context.ts';
import { sweepQueues } from '../app/routing/sweep-queues.ts';

/** Runs the routing sweep (snooze wake-ups, queue catch-up) every `intervalMs` until stopped. */
export function startRoutingSweep(ctx: AppContext, intervalMs = 60_000): { stop: () => Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running
      .then(() => sweepQueues(ctx))
      .then((r) => { if (r.woke || r.assigned) ctx.log.info(r, 'routing sweep'); })
      .catch((err: unknown) => ctx.log.error({ err: String(err) }, 'routing sweep failed'));
  }, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
