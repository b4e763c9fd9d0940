// The order of the queue the agent last looked at, so "next ticket" on a ticket page follows it. Its own module so
// the ticket page does not load the queue screen's code for it.
const LIST_KEY = 'rb_queue_numbers';

/** Remembers the numbers on screen in the queue (this tab only). */
export function rememberQueue(numbers: readonly number[]): void {
  try {
    sessionStorage.setItem(LIST_KEY, JSON.stringify(numbers));
  } catch {
    // next-ticket falls back to the first of the queue
  }
}

/** The ticket after `current` in the remembered queue, or its first when `current` is not in it. */
export function nextInQueue(current: number): number | null {
  try {
    const list = JSON.parse(sessionStorage.getItem(LIST_KEY) ?? '[]') as number[];
    const i = list.indexOf(current);
    return i >= 0 ? (list[i + 1] ?? null) : (list[0] ?? null);
  } catch {
    return null;
  }
}
