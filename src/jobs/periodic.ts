/**
 * Runs `turn` every `intervalMs` until stopped. Turns never overlap: a turn that outlasts the interval delays the
 * next one. `stop` waits for the turn in progress. A failed turn is reported to `onError`; the next one runs as usual.
 */
export function runEvery(intervalMs: number, turn: (stopped: () => boolean) => Promise<unknown>, onError: (err: unknown) => void): { stop: () => Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(() => turn(() => stopped)).catch(onError);
  }, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
