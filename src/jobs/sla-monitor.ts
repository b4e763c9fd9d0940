import type { AppContext } from '../app/context.ts';
import { fireDueBatch, nextSlaActionAt, SlaBatchError } from '../app/monitor/run-due-sla-actions.ts';
import { MONITOR_CHANNEL, MONITOR_MAX_SLEEP_MS } from '../app/monitor/sync-sla-clocks.ts';

export type MonitorOptions = {
  /** Parallel claimers in this process (each its own transaction); PGlite runs one transaction at a time. */
  concurrency?: number;
  /** The periodic sweep: the longest the monitor sleeps without looking. */
  maxSleepMs?: number;
};

// When the earliest due action is held by another monitor, look again this soon rather than spin.
const BUSY_RETRY_MS = 20;
// A ticket whose actions fail on their own (a bug, bad data) is set aside this long, so it cannot hold up the rest.
const QUARANTINE_MS = 60_000;

/**
 * The SLA monitor loop: take everything due, then sleep until the earliest next action (at most
 * maxSleepMs), woken early by a NOTIFY when a ticket change schedules a nearer one.
 */
export async function startSlaMonitor(ctx: AppContext, options: MonitorOptions = {}): Promise<{ stop: () => Promise<void> }> {
  const concurrency = Math.max(1, ctx.db.engine === 'pglite' ? 1 : options.concurrency ?? 4);
  const maxSleep = options.maxSleepMs ?? MONITOR_MAX_SLEEP_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeAt = Number.POSITIVE_INFINITY;
  let wake: (() => void) | null = null;
  // A wake-up that arrives while the loop is busy is kept for the next sleep.
  let hint = Number.POSITIVE_INFINITY;

  const sleepUntil = (at: number) => new Promise<void>((resolve) => {
    wakeAt = Math.min(at, hint);
    wake = () => {
      wake = null;
      wakeAt = Number.POSITIVE_INFINITY;
      resolve();
    };
    timer = setTimeout(wake, Math.max(0, wakeAt - Date.now()));
  });
  const wakeEarly = (at: number) => {
    hint = Math.min(hint, at);
    if (at >= wakeAt || !wake) return;
    if (timer) clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(wake, Math.max(0, at - Date.now()));
  };
  const unlisten = await ctx.db.listen(MONITOR_CHANNEL, (payload) => {
    const at = Date.parse(payload);
    wakeEarly(Number.isNaN(at) ? Date.now() : at);
  });

  // Tickets set aside after failing alone → until when (this process only; another monitor still tries them).
  const quarantine = new Map<string, number>();
  const skipped = (): string[] => {
    const now = Date.now();
    for (const [id, until] of quarantine) if (until <= now) quarantine.delete(id);
    return [...quarantine.keys()];
  };
  const drain = async (): Promise<void> => {
    while (!stopped) {
      try {
        const { claimed } = await fireDueBatch(ctx, { skip: skipped() });
        if (claimed.length === 0) return;
      } catch (err) {
        // The batch rolled back as a whole: take its tickets one by one, so one bad ticket delays only itself.
        ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'SLA monitor batch failed; retrying its tickets one at a time');
        await isolate(err);
      }
    }
  };
  const isolate = async (err: unknown): Promise<void> => {
    if (!(err instanceof SlaBatchError)) throw err;
    for (const ticket of err.tickets) {
      if (stopped) return;
      try {
        await fireDueBatch(ctx, { only: [ticket], limit: 1 });
      } catch (alone) {
        quarantine.set(ticket, Date.now() + QUARANTINE_MS);
        ctx.log.error({ ticket, err: alone instanceof Error ? alone.message : String(alone) }, 'SLA action failed; ticket set aside for a minute');
      }
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        hint = Number.POSITIVE_INFINITY;
        await Promise.all(Array.from({ length: concurrency }, drain));
        const next = await nextSlaActionAt(ctx, skipped());
        const now = ctx.now().getTime();
        const due = next ? next.getTime() : Number.POSITIVE_INFINITY;
        // ctx.now() may be a test clock; the timer runs on the real one, so sleep by difference.
        const delay = due <= now ? BUSY_RETRY_MS : Math.min(due - now, maxSleep);
        if (!stopped) await sleepUntil(Date.now() + delay);
      } catch (err) {
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'SLA monitor pass failed; retrying');
        if (!stopped) await sleepUntil(Date.now() + 1000);
      }
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
      await unlisten();
    },
  };
}
