// Pure decisions of the driven lifecycle (issue 11): when a solved ticket closes by silence, when a
// closed one is archived, and the honest new estimate when a promise is about to pass.

const MINUTE = 60_000;

/** Solved tickets solved at or before this instant close for want of an answer. */
export const silenceCutoff = (now: number, closeAfterHours: number): number => now - closeAfterHours * 60 * MINUTE;

/** Closed tickets closed at or before this instant are archived. */
export const archiveCutoff = (now: number, archiveAfterDays: number): number => now - archiveAfterDays * 24 * 60 * MINUTE;

/** Whether a promise is "about to pass": still in the future, but within the lead, and nobody has answered. */
export function promiseAboutToPass(now: number, promisedAt: number, leadMinutes: number, answered: boolean): boolean {
  return !answered && promisedAt > now && promisedAt - now <= leadMinutes * MINUTE;
}

/**
 * The new estimate when the promise is about to pass: the queue's live prediction when it is later,
 * never sooner than one lead past the old promise (a promise that moves by a minute is no promise),
 * rounded up to five minutes so the customer reads a plain time.
 */
export function newEstimate(promisedAt: number, leadMinutes: number, predicted: number | null): number {
  const floor = promisedAt + leadMinutes * MINUTE;
  const at = predicted !== null && predicted > floor ? predicted : floor;
  const step = 5 * MINUTE;
  return Math.ceil(at / step) * step;
}
