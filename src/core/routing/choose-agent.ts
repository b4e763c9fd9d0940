import type { AgentCandidate, AssignmentMode, TicketDemand } from './model.ts';
import { hasSkills } from './skills.ts';

/** True when the agent may take one more ticket of this channel now. */
export function hasFreeCapacity(a: AgentCandidate, channel: string): boolean {
  if (a.load >= a.capacity) return false;
  const limit = a.channelCapacity[channel];
  return limit === undefined || (a.channelLoad[channel] ?? 0) < limit;
}

/** Available, not full and (in skills mode) skilled enough: the only agents any mode may pick. */
export function isEligible(mode: AssignmentMode, a: AgentCandidate, demand: TicketDemand): boolean {
  if (mode === 'manual' || !a.available || !hasFreeCapacity(a, demand.channel)) return false;
  return mode !== 'skills' || hasSkills(a.skills, demand.neededSkills);
}

const byIdle = (a: AgentCandidate, b: AgentCandidate) => (a.lastAssignedAt ?? -Infinity) - (b.lastAssignedAt ?? -Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byLoad = (a: AgentCandidate, b: AgentCandidate) => a.load / Math.max(a.capacity, 1) - b.load / Math.max(b.capacity, 1) || byIdle(a, b);

/**
 * The eligible agents in the order the group's mode prefers them (the caller locks them in this order
 * and takes the first it can lock and still finds free): empty when nobody may take the ticket, which
 * then waits in the group queue.
 *
 * - round_robin: whoever received an automatic assignment longest ago (never first): a rotation that
 *   survives restarts and needs no shared cursor.
 * - least_loaded: the lowest share of capacity in use, ties by rotation.
 * - skills: agents holding every needed skill, then by rotation — "the first available agent with the
 *   needed skills and free capacity", spread fairly among equals.
 */
export function rankAgents(mode: AssignmentMode, candidates: readonly AgentCandidate[], demand: TicketDemand): AgentCandidate[] {
  const eligible = candidates.filter((a) => isEligible(mode, a, demand));
  return eligible.sort(mode === 'least_loaded' ? byLoad : byIdle);
}

export function chooseAgent(mode: AssignmentMode, candidates: readonly AgentCandidate[], demand: TicketDemand): AgentCandidate | null {
  return rankAgents(mode, candidates, demand)[0] ?? null;
}
