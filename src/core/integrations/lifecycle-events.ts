// The ticket lifecycle as webhook events, read from the ticket event log (docs/integrations.md).

export const LIFECYCLE_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.replied', 'ticket.solved', 'ticket.closed', 'ticket.merged'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

export const isLifecycleEvent = (name: string): name is LifecycleEvent => (LIFECYCLE_EVENTS as readonly string[]).includes(name);

export type LoggedEvent = { kind: string; after: unknown };

const field = (v: unknown, key: string): unknown => (typeof v === 'object' && v !== null && key in v ? (v as Record<string, unknown>)[key] : undefined);

/**
 * The lifecycle event a logged ticket event stands for, or null:
 * `created` → ticket.created; a public message that is not the request itself → ticket.replied;
 * a status change to solved / closed → ticket.solved / ticket.closed; `merged` (on the surviving ticket)
 * → ticket.merged; every other field change (`*_changed`, internal notes excluded) → ticket.updated.
 */
export function lifecycleEventOf(e: LoggedEvent): LifecycleEvent | null {
  if (e.kind === 'created') return 'ticket.created';
  if (e.kind === 'message_added') return field(e.after, 'kind') === 'public' && field(e.after, 'initial') !== true ? 'ticket.replied' : null;
  if (e.kind === 'merged') return 'ticket.merged';
  if (e.kind === 'status_changed') {
    const status = field(e.after, 'status');
    return status === 'solved' ? 'ticket.solved' : status === 'closed' ? 'ticket.closed' : 'ticket.updated';
  }
  if (e.kind.endsWith('_changed')) return 'ticket.updated';
  return null;
}

/** A missing seq below the cursor and when it was first missed (ms since the epoch). */
export type Gap = { seq: number; since: number };

/**
 * The cursor after reading `seqs` (ascending, every seq above `last` plus the gaps that turned up):
 * the numbers between that were not read become gaps, gaps found are dropped, and a gap missed for longer
 * than `waitMs` is given up (its transaction rolled back; a sequence never reuses a number). At most
 * `maxGaps` are kept, the newest.
 */
export function advanceCursor(last: number, gaps: readonly Gap[], seqs: readonly number[], now: number, waitMs: number, maxGaps = 1000): { last: number; gaps: Gap[] } {
  const seen = new Set(seqs);
  const kept = gaps.filter((g) => !seen.has(g.seq) && now - g.since < waitMs);
  let next = last;
  for (const s of seqs) {
    if (s <= last) continue;
    for (let missing = next + 1; missing < s && missing - next <= maxGaps; missing++) kept.push({ seq: missing, since: now });
    next = s;
  }
  return { last: next, gaps: kept.slice(-maxGaps) };
}
