// Side conversations (docs/side-conversations.md): a ticket's separate thread with another group or an
// outside address. Pure: states, the waiting clock, and the threading keys (subject token, plus address).

export const SIDE_STATES = ['open', 'waiting', 'closed'] as const;
export type SideState = (typeof SIDE_STATES)[number];

/** What happens to a side conversation. */
export type SideAction = 'sent' | 'reply' | 'close' | 'reopen';

/**
 * The state after an action: our message waits for the other party, their reply opens it again (our turn),
 * closing ends it, and a message on a closed thread (either way) reopens it.
 */
export function nextSideState(state: SideState, action: SideAction): SideState {
  switch (action) {
    case 'sent': return 'waiting';
    case 'reply': return 'open';
    case 'close': return 'closed';
    case 'reopen': return state === 'closed' ? 'open' : state;
  }
}

/** The waiting clock's stored form: time already waited, and since when it waits now (null: not waiting). */
export type SideClock = { waited_ms: number; waiting_since: Date | null };

/** The clock after moving from one state to another at `now` (wall-clock time waiting for the other party). */
export function advanceSideClock(clock: SideClock, to: SideState, now: Date): SideClock {
  // Still waiting (a second message of ours before their reply): the running span goes on as it is. Banking it
  // while keeping its start counted it twice.
  if (to === 'waiting') return clock.waiting_since ? clock : { waited_ms: clock.waited_ms, waiting_since: now };
  return { waited_ms: waitedMs(clock, now), waiting_since: null };
}

/** Milliseconds waited for the other party up to `now` (the running span included). */
export function waitedMs(clock: SideClock, now: Date): number {
  return clock.waited_ms + (clock.waiting_since ? Math.max(0, now.getTime() - clock.waiting_since.getTime()) : 0);
}

/** The side conversation's token: 10 characters of [a-z0-9], random (made by the caller). */
export const SIDE_TOKEN = /^[a-z0-9]{10}$/;
const SUBJECT_TOKEN = /\[SC-([a-z0-9]{10})\]/i;
const PLUS_TOKEN = /^[^@\s+]+\+sc-([a-z0-9]{10})@/i;

/** The outgoing subject: its own token first, never the ticket's `[#123]` (a reply must not reach the ticket's thread). */
export function sideSubject(subject: string, token: string): string {
  return SUBJECT_TOKEN.test(subject) ? subject : `[SC-${token}] ${subject}`;
}

/** The token in a reply's subject ("Re: [SC-ab12cd34ef] …"), or null. */
export function tokenFromSubject(subject: string): string | null {
  return SUBJECT_TOKEN.exec(subject)?.[1]?.toLowerCase() ?? null;
}

/** The reply address for a side conversation: the support address with `+sc-<token>` (plus addressing). */
export function sidePlusAddress(supportAddress: string, token: string): string | null {
  const at = supportAddress.lastIndexOf('@');
  if (at <= 0 || supportAddress.includes('+')) return null;
  return `${supportAddress.slice(0, at)}+sc-${token}${supportAddress.slice(at)}`;
}

/** The token of the first plus address among the recipients, or null. */
export function tokenFromRecipients(recipients: readonly string[]): string | null {
  for (const r of recipients) {
    const m = PLUS_TOKEN.exec(r);
    if (m?.[1]) return m[1].toLowerCase();
  }
  return null;
}

/**
 * Who may read and write a side conversation: staff who may see its ticket, and — for an internal one — the
 * members of the group it was sent to (they answer it; the rest of the ticket stays out of their reach).
 */
export function canUseSideConversation(
  p: { kind: 'user' | 'contact'; groupIds?: readonly string[] },
  seesTicket: boolean,
  side: { kind: 'group' | 'email'; group_id: string | null },
): boolean {
  if (p.kind !== 'user') return false;
  if (seesTicket) return true;
  return side.kind === 'group' && side.group_id !== null && (p.groupIds ?? []).includes(side.group_id);
}
