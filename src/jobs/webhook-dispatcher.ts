import type { AppContext } from '../app/context.ts';
import { dispatchLifecycleEvents } from '../app/notifications/dispatch-lifecycle-events.ts';
import { runEvery } from './periodic.ts';

/** Tails ticket_events into lifecycle webhook deliveries (app/notifications/dispatch-lifecycle-events.ts) until stopped. */
export function startWebhookDispatcher(ctx: AppContext, intervalMs = 1000): { stop: () => Promise<void> } {
  return runEvery(intervalMs, async (stopped) => {
    // A full batch: read on at once rather than a second later.
    while (!stopped() && (await dispatchLifecycleEvents(ctx)) >= 500) { /* next batch */ }
  }, (err) => ctx.log.error({ err: String(err) }, 'webhook dispatch failed'));
}
