import { nextOnDuty, onDuty, rosterSchema, type Duty, type Roster } from '../../core/planning/index.ts';
import type { Queryable } from '../../store/db.ts';
import { findRosters, type RosterRow } from '../../store/repos/roster-repo.ts';

// The one notion of "on duty" (issue 19 item 2): routing, staff mail timing, escalation recipients and the
// promise's live prediction all ask here. An agent with no roster is `null` — "no roster": each caller then
// keeps its behaviour from before rosters (routing's calendar, the working-hours calendar, everyone).

// A roster is parsed once per version (stored documents were validated when written; parse fills defaults).
const parsed = new Map<string, { at: number; roster: Roster }>();

export function rosterOf(row: Pick<RosterRow, 'user_id' | 'spec' | 'updated_at'>): Roster {
  const hit = parsed.get(row.user_id);
  if (hit && hit.at === row.updated_at.getTime()) return hit.roster;
  const roster = rosterSchema.parse(row.spec);
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(row.user_id, { at: row.updated_at.getTime(), roster });
  return roster;
}

/** Each user's roster (absent: no roster). */
export async function rostersOf(q: Queryable, userIds: readonly string[]): Promise<Map<string, Roster>> {
  return new Map((await findRosters(q, userIds)).map((r) => [r.user_id, rosterOf(r)]));
}

/** Each user's duty at `now`; null for a user without a roster. */
export async function dutyOf(q: Queryable, userIds: readonly string[], now: Date): Promise<Map<string, Duty | null>> {
  const rosters = await rostersOf(q, userIds);
  return new Map(userIds.map((id) => {
    const r = rosters.get(id);
    return [id, r ? onDuty(r, now.getTime()) : null];
  }));
}

/**
 * Who of `userIds` should hear of something now: those on duty and those without a roster. When that leaves
 * nobody (a 3 a.m. escalation with everyone off shift and no one on call), everyone: a warning that reaches no
 * one is worse than one that waits in an inbox.
 */
export async function onDutyOrAll(q: Queryable, userIds: readonly string[], now: Date): Promise<string[]> {
  if (userIds.length === 0) return [];
  const duty = await dutyOf(q, userIds, now);
  const present = userIds.filter((id) => duty.get(id)?.onDuty !== false);
  return present.length ? present : [...userIds];
}

/** When a non-urgent mail to this roster's agent may go: now when on duty, else the next shift or on-call start. */
export function mailTimeFor(roster: Roster, now: number): number {
  return nextOnDuty(roster, now) ?? now;
}
