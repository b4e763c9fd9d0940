import { hasFreeCapacity, rankAgents } from '../../core/routing/choose-agent.ts';
import type { AgentCandidate, AssignmentMode } from '../../core/routing/model.ts';
import { neededSkills, ticketDescriptors } from '../../core/routing/skills.ts';
import type { Queryable } from '../../store/db.ts';
import {
  findCandidate, findGroupRouting, lockOnlineAgent, lockQueuedTicketsFor, onlineGroupMembers, openLoads,
  type CandidateRow, type Load,
} from '../../store/repos/routing-repo.ts';
import { appendEvents, type NewEvent } from '../../store/repos/tickets-repo.ts';
import { onDuty } from '../../core/planning/index.ts';
import { rosterOf } from '../planning/on-duty.ts';
import { compiledCalendar } from '../sla/calendar-cache.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';

const OPEN_STATUSES = new Set(['new', 'open', 'pending', 'on_hold']);

/**
 * On duty for routing: the roster when the agent has one (on shift or on call), otherwise the routing calendar
 * as before rosters (none: always).
 */
function onDutyForRouting(row: CandidateRow, now: Date): boolean {
  if (row.roster_spec !== null && row.roster_spec !== undefined && row.roster_updated_at) {
    return onDuty(rosterOf({ user_id: row.user_id, spec: row.roster_spec, updated_at: row.roster_updated_at }), now.getTime()).onDuty;
  }
  return row.calendar === null || compiledCalendar(row.calendar).isOpen(now.getTime());
}

export function toCandidate(row: CandidateRow, load: Load, now: Date): AgentCandidate {
  return {
    id: row.user_id, skills: row.skills, capacity: row.capacity, channelCapacity: row.channel_capacity,
    load: load.total, channelLoad: load.byChannel,
    available: row.availability === 'online' && onDutyForRouting(row, now),
    lastAssignedAt: row.last_assigned_at ? row.last_assigned_at.getTime() : null,
  };
}

/**
 * Writes automatic assignments to one agent: the tickets' assignee (and stage 'assigned' where it was
 * still before it), the agent's place in the rotation, and per ticket the events naming the mode that
 * chose. Set-based (three statements however many tickets), as a queue drain hands out dozens at once.
 * The caller holds the agent's routing lock and the tickets' row locks.
 */
async function writeAssignments(tx: Queryable, agentId: string, picks: readonly { id: string; mode: AssignmentMode }[], now: Date, publish = true): Promise<void> {
  if (picks.length === 0) return;
  const ids = picks.map((p) => p.id);
  const rows = await tx.query<{ id: string; number: number; old_stage: string }>(
    `UPDATE tickets t SET assignee_id = $2, updated_at = $3,
       stage = CASE WHEN t.stage IN ('received', 'triaged') THEN 'assigned' ELSE t.stage END
     FROM (SELECT id, stage AS old_stage FROM tickets WHERE id = ANY($1::uuid[])) old
     WHERE t.id = old.id RETURNING t.id, t.number, old.old_stage`, [ids, agentId, now]);
  await tx.query('UPDATE agent_routing SET last_assigned_at = $2 WHERE user_id = $1', [agentId, now]);
  const oldStage = new Map(rows.map((r) => [r.id, r.old_stage]));
  const actor = { kind: 'system', id: null } as const;
  const events: NewEvent[] = [];
  for (const { id, mode } of picks) {
    events.push({ ticketId: id, actor, kind: 'assignee_changed', before: { assignee_id: null }, after: { assignee_id: agentId, by: 'routing', mode }, at: now });
    const stage = oldStage.get(id);
    if (stage === 'received' || stage === 'triaged') events.push({ ticketId: id, actor, kind: 'stage_changed', before: { stage }, after: { stage: 'assigned' }, at: now });
  }
  await appendEvents(tx, events);
  // Live screens and the shared view counts hear of routing's assignments like any other change (a queue
  // drain used to leave "My tickets" at its old count while the list had the new tickets). Intake announces
  // its new ticket itself, once (`publish` false).
  if (publish) for (const r of rows) await publishTicketChange(tx, { ticket_id: r.id, number: r.number, kind: 'updated', actor_id: null });
}

export type RoutableTicket = { id: string; group_id: string | null; assignee_id: string | null; status: string; channel: string; type: string; tags: string[]; requester_id: string };

/**
 * Gives an unassigned ticket to an agent of its group if the group routes automatically and someone
 * eligible has room; otherwise the ticket waits in the group queue. Returns the agent, or null.
 * The caller holds the ticket's row lock (or has just inserted it).
 *
 * Each preferred agent is locked with SKIP LOCKED and its load counted again under the lock: a
 * process that is assigning to that agent right now is not waited for (the next agent is tried), and
 * a capacity can never be exceeded, because every automatic assignment to an agent holds that lock
 * while it counts. A ticket that loses every race waits and is picked up when an agent frees capacity,
 * comes online, or by the periodic sweep.
 */
export async function routeTicket(tx: Queryable, t: RoutableTicket, now: Date, options: { exclude?: readonly string[]; publish?: boolean } = {}): Promise<string | null> {
  if (t.assignee_id !== null || t.group_id === null || !OPEN_STATUSES.has(t.status)) return null;
  const group = await findGroupRouting(tx, t.group_id);
  if (!group || group.assignment_mode === 'manual') return null;
  const [snooze] = await tx.query<{ snoozed: boolean; language: string }>(
    `SELECT COALESCE(t.snoozed_until > $2, false) AS snoozed, c.language
     FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [t.id, now]);
  if (!snooze || snooze.snoozed) return null;
  const members = (await onlineGroupMembers(tx, t.group_id)).filter((m) => !options.exclude?.includes(m.user_id));
  const loads = await openLoads(tx, members.map((m) => m.user_id));
  const demand = { channel: t.channel, neededSkills: neededSkills(group.skills, ticketDescriptors({ language: snooze.language, type: t.type, tags: t.tags })) };
  const ranked = rankAgents(group.assignment_mode, members.map((m) => toCandidate(m, loads.get(m.user_id) ?? { total: 0, byChannel: {} }, now)), demand);
  for (const preferred of ranked) {
    const locked = await lockOnlineAgent(tx, preferred.id, true);
    if (!locked) continue;
    const fresh = (await openLoads(tx, [preferred.id])).get(preferred.id);
    if (!fresh || !hasFreeCapacity({ ...preferred, capacity: locked.capacity, channelCapacity: locked.channel_capacity, load: fresh.total, channelLoad: fresh.byChannel }, t.channel)) continue;
    await writeAssignments(tx, preferred.id, [{ id: t.id, mode: group.assignment_mode }], now, options.publish ?? true);
    return preferred.id;
  }
  return null;
}

/**
 * An agent has room (a ticket of theirs was solved or moved, they came online, working hours began):
 * hands them the most urgent waiting tickets they may take until they are full. `wait`: block on the
 * agent's lock rather than skip (used where the caller holds no other agent's lock, so no cycle can form).
 * Returns the ids of the tickets assigned.
 */
export async function fillAgentCapacity(tx: Queryable, agentId: string, now: Date, options: { wait?: boolean; excludeTicket?: string } = {}): Promise<string[]> {
  const locked = await lockOnlineAgent(tx, agentId, !options.wait);
  if (!locked) return [];
  const row = await findCandidate(tx, agentId);
  if (!row) return [];
  const load = (await openLoads(tx, [agentId])).get(agentId) ?? { total: 0, byChannel: {} };
  const agent = toCandidate(row, load, now);
  if (!agent.available || agent.load >= agent.capacity) return [];
  const room = agent.capacity - agent.load;
  // A few extra rows cover tickets of a channel the agent is full on.
  const queued = await lockQueuedTicketsFor(tx, agentId, agent.skills, now, room + 10);
  const picks: { id: string; mode: AssignmentMode }[] = [];
  const channelLoad = { ...agent.channelLoad };
  let total = agent.load;
  for (const q of queued) {
    if (q.id === options.excludeTicket) continue;
    const current: AgentCandidate = { ...agent, load: total, channelLoad };
    if (total >= agent.capacity) break;
    if (!hasFreeCapacity(current, q.channel)) continue;
    picks.push({ id: q.id, mode: q.mode });
    total += 1;
    channelLoad[q.channel] = (channelLoad[q.channel] ?? 0) + 1;
  }
  await writeAssignments(tx, agentId, picks, now);
  return picks.map((p) => p.id);
}

/**
 * After a staff change to a ticket: a ticket that left its assignee (solved, closed, reassigned) frees
 * that agent's capacity; a ticket that is now unassigned in an automatic group is routed again (not
 * back to whoever just let it go). The freed agent is served first, while this transaction holds no
 * other agent's lock, so waiting for that one lock cannot deadlock.
 */
export async function rerouteAfterChange(
  tx: Queryable,
  before: { assignee_id: string | null; status: string },
  after: RoutableTicket,
  now: Date,
): Promise<void> {
  const wasHolding = before.assignee_id !== null && OPEN_STATUSES.has(before.status);
  const stillHolding = after.assignee_id === before.assignee_id && OPEN_STATUSES.has(after.status);
  if (wasHolding && !stillHolding && before.assignee_id) await fillAgentCapacity(tx, before.assignee_id, now, { wait: true, excludeTicket: after.id });
  if (after.assignee_id === null) await routeTicket(tx, after, now, { exclude: before.assignee_id ? [before.assignee_id] : [] });
}

/** The intake step: routes a just-created ticket and returns its row as it now stands. */
export async function assignOnIntake<T extends RoutableTicket & { stage: string }>(tx: Queryable, ticket: T, now: Date): Promise<T> {
  // The creating transaction publishes the new ticket after routing: one announcement, not two.
  const agentId = await routeTicket(tx, ticket, now, { publish: false });
  if (!agentId) return ticket;
  return { ...ticket, assignee_id: agentId, stage: ticket.stage === 'received' || ticket.stage === 'triaged' ? 'assigned' : ticket.stage, updated_at: now };
}
