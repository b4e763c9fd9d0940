import type { AppContext } from '../app/context.ts';
import { dispatchLifecycleEvents } from '../app/notifications/dispatch-lifecycle-events.ts';

/** Tails ticket_events into lifecycle webhook deliveries (app/notifications/dispatch-lifecycle-events.ts) until stopped. */
export function startWebhookDispatcher(ctx: AppContext, intervalMs = 1000): { stop: () => Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(async () => {
      // A full batch: read on at once rather than a second later.
      while (!stopped && (await dispatchLifecycleEvents(ctx)) >= 500) { /* next batch */ }
    }).catch((err: unknown) => ctx.log.error({ err: String(err) }, 'webhook dispatch failed'));
  }, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
