import type { AppContext } from '../app/context.ts';
import { checkSurge } from '../app/planning/check-surge.ts';
import { runLifecycleSweep } from '../app/promise/lifecycle-sweep.ts';
import { runRetentionSweep } from '../app/privacy/retention.ts';
import { forgetExpiredIdempotencyKeys } from '../app/shared/idempotency.ts';
import { sendWeeklyReports } from '../app/reports/weekly-report.ts';

/**
 * The lifecycle timers (issue 11): a solved ticket closes after the customer's silence, a closed one is
 * archived after the configured period, a promise about to pass gets a new estimate. A periodic sweep
 * (every `intervalMs`, first pass at start); any number of worker processes may run it — each step
 * claims rows with SKIP LOCKED (app/promise/lifecycle-sweep.ts; app/tickets/lifecycle-timers.ts composes them).
 */
export function startLifecycleSweep(ctx: AppContext, intervalMs = 60_000, opts: { surgeDetection?: boolean } = {}): { stop: () => Promise<void> } {
  const detectSurges = opts.surgeDetection ?? true;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    if (stopped) return;
    running = running
      .then(() => runLifecycleSweep(ctx))
      .then((r) => { if (r.closed || r.archived || r.warned || r.started) ctx.log.info(r, 'lifecycle sweep'); })
      // Retention (docs/security.md "Personal data"): closed tickets past the rule's months are anonymised in bounded batches.
      .then(() => runRetentionSweep(ctx))
      .then((r) => { if (r.anonymised) ctx.log.info(r, 'retention'); })
      // Idempotency keys older than 24 hours are ignored on use; the sweep also frees their rows.
      .then(() => forgetExpiredIdempotencyKeys(ctx))
      // The weekly report by e-mail (docs/kpis.md): Monday 08:00 in each opted-in supervisor's zone, once a week.
      .then(() => sendWeeklyReports(ctx))
      .then((n) => { if (n) ctx.log.info({ weekly_reports: n }, 'weekly reports queued'); })
      // Surge detection (docs/surge.md) shares the minute: arrivals against the forecast, backlog against capacity.
      .then(() => (detectSurges ? checkSurge(ctx) : null))
      .then((r) => { if (r && (r.started || r.ended)) ctx.log.info(r, 'surge'); })
      .catch((err: unknown) => ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'lifecycle sweep failed'));
  };
  const timer = setInterval(pass, intervalMs);
  pass();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
