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
 * The SLA monitor: `concurrency` claimers, each taking everything due (in batches), then sleeping until
 * the earliest next action (at most maxSleepMs), woken early by a NOTIFY when a ticket change schedules
 * a nearer one. The claimers loop independently, so one slow batch does not hold up the others.
 */
export async function startSlaMonitor(ctx: AppContext, options: MonitorOptions = {}): Promise<{ stop: () => Promise<void> }> {
  const concurrency = Math.max(1, ctx.db.engine === 'pglite' ? 1 : options.concurrency ?? 4);
  const maxSleep = options.maxSleepMs ?? MONITOR_MAX_SLEEP_MS;
  let stopped = false;
  type Claimer = { hint: number; at: number; timer: NodeJS.Timeout | null; wake: (() => void) | null };
  const claimers: Claimer[] = Array.from({ length: concurrency }, () => ({ hint: Number.POSITIVE_INFINITY, at: Number.POSITIVE_INFINITY, timer: null, wake: null }));

  const sleepUntil = (c: Claimer, at: number) => new Promise<void>((resolve) => {
    // A wake-up that arrived while the claimer was busy shortens this sleep.
    c.at = Math.min(at, c.hint);
    c.wake = () => {
      if (c.timer) clearTimeout(c.timer);
      c.timer = null;
      c.wake = null;
      c.at = Number.POSITIVE_INFINITY;
      resolve();
    };
    c.timer = setTimeout(c.wake, Math.max(0, c.at - Date.now()));
  });
  const wakeEarly = (at: number) => {
    for (const c of claimers) {
      c.hint = Math.min(c.hint, at);
      if (at >= c.at || !c.wake) continue;
      if (c.timer) clearTimeout(c.timer);
      c.at = at;
      c.timer = setTimeout(c.wake, Math.max(0, at - Date.now()));
    }
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

  const loop = async (c: Claimer): Promise<void> => {
    while (!stopped) {
      try {
        c.hint = Number.POSITIVE_INFINITY;
        await drain();
        const next = await nextSlaActionAt(ctx, skipped());
        const now = ctx.now().getTime();
        const due = next ? next.getTime() : Number.POSITIVE_INFINITY;
        // ctx.now() may be a test clock; the timer runs on the real one, so sleep by difference.
        const delay = due <= now ? BUSY_RETRY_MS : Math.min(due - now, maxSleep);
        if (!stopped) await sleepUntil(c, Date.now() + delay);
      } catch (err) {
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'SLA monitor pass failed; retrying');
        if (!stopped) await sleepUntil(c, Date.now() + 1000);
      }
    }
  };
  const running = Promise.all(claimers.map(loop));
  return {
    stop: async () => {
      stopped = true;
      for (const c of claimers) c.wake?.();
      await running;
      await unlisten();
    },
  };
}
