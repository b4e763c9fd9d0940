// The promise's own read-only calls (public GETs; the portal's uses the session cookie).

export type TicketPromise = {
  promised_at: string;
  original_promised_at: string;
  clock: 'business' | 'calendar';
  target_minutes: number | null;
  back_at: string | null;
  basis: 'sla' | 'queue' | 'agent';
  reason: string | null;
  message: string | null;
  changed: boolean;
  kept: boolean | null;
  /** The published commitment the promise was measured against, and the queue ahead when it is later. */
  commitment_minutes: number | null;
  committed_at: string | null;
  ahead: number | null;
  answered_at: string | null;
  next_reply_by: string | null;
};

type Commitment = { target_minutes: number; clock: 'business' | 'calendar'; policy: string };
export type Commitments = {
  tier: string | null;
  types: { key: string; label: string }[];
  by_type: (Commitment & { type: string; label: string })[];
  by_urgency: (Commitment & { urgency: 'low' | 'normal' | 'high' | 'critical' })[];
};

export async function loadCommitments(signedIn: boolean): Promise<Commitments> {
  const res = await fetch(`/api/v1/${signedIn ? 'portal' : 'public'}/commitments`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`commitments: HTTP ${res.status}`);
  return (await res.json()) as Commitments;
}
