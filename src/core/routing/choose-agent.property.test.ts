import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseAgent, hasFreeCapacity, isEligible, rankAgents } from './choose-agent.ts';
import { ASSIGNMENT_MODES, type AgentCandidate, type TicketDemand } from './model.ts';
import { hasSkills, neededSkills, ticketDescriptors } from './skills.ts';

const SKILLS = ['lang:en', 'lang:ru', 'lang:zh', 'lang:bg', 'type:complaint', 'type:quote', 'product-a', 'product-b'];
const CHANNELS = ['email', 'phone', 'web_form'];

const agentArb = fc.record({
  id: fc.uuid(),
  skills: fc.subarray(SKILLS),
  capacity: fc.integer({ min: 0, max: 6 }),
  channelCapacity: fc.dictionary(fc.constantFrom(...CHANNELS), fc.integer({ min: 0, max: 4 }), { maxKeys: 2 }),
  load: fc.integer({ min: 0, max: 8 }),
  channelLoad: fc.dictionary(fc.constantFrom(...CHANNELS), fc.integer({ min: 0, max: 5 }), { maxKeys: 3 }),
  available: fc.boolean(),
  lastAssignedAt: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
});
const demandArb = fc.record({ channel: fc.constantFrom(...CHANNELS), neededSkills: fc.subarray(SKILLS, { maxLength: 3 }) });

/** Plays a queue of tickets through the choice, counting each assignment against the chosen agent. */
function playQueue(mode: (typeof ASSIGNMENT_MODES)[number], agents: AgentCandidate[], tickets: TicketDemand[]): { agent: AgentCandidate; ticket: TicketDemand }[] {
  type Playing = AgentCandidate & { load: number; channelLoad: Record<string, number>; lastAssignedAt: number | null };
  const state = new Map<string, Playing>(agents.map((a) => [a.id, { ...a, channelLoad: { ...a.channelLoad } }]));
  const out: { agent: AgentCandidate; ticket: TicketDemand }[] = [];
  tickets.forEach((ticket, i) => {
    const picked = chooseAgent(mode, [...state.values()], ticket);
    const chosen = picked ? state.get(picked.id) : undefined;
    if (!chosen) return;
    out.push({ agent: { ...chosen, channelLoad: { ...chosen.channelLoad } }, ticket });
    chosen.load += 1;
    chosen.channelLoad[ticket.channel] = (chosen.channelLoad[ticket.channel] ?? 0) + 1;
    chosen.lastAssignedAt = 2_000_000 + i;
  });
  return out;
}

describe('skills-based choice (property)', () => {
  it('always picks an eligible agent: available, skilled, with free total and channel capacity', () => {
    fc.assert(fc.property(fc.uniqueArray(agentArb, { selector: (a) => a.id, maxLength: 8 }), demandArb, (agents, demand) => {
      const chosen = chooseAgent('skills', agents, demand);
      const eligible = agents.filter((a) => a.available && hasSkills(a.skills, demand.neededSkills) && hasFreeCapacity(a, demand.channel));
      if (chosen === null) return eligible.length === 0;
      expect(chosen.available).toBe(true);
      expect(hasSkills(chosen.skills, demand.neededSkills)).toBe(true);
      expect(chosen.load).toBeLessThan(chosen.capacity);
      const limit = chosen.channelCapacity[demand.channel];
      if (limit !== undefined) expect(chosen.channelLoad[demand.channel] ?? 0).toBeLessThan(limit);
      return eligible.some((a) => a.id === chosen.id);
    }), { numRuns: 500 });
  });

  it('never exceeds a capacity, however many tickets are played through it, in any mode', () => {
    fc.assert(fc.property(
      fc.constantFrom(...ASSIGNMENT_MODES),
      fc.uniqueArray(agentArb.map((a) => ({ ...a, load: 0, channelLoad: {} })), { selector: (a) => a.id, maxLength: 6 }),
      fc.array(demandArb, { maxLength: 40 }),
      (mode, agents, tickets) => {
        const assignments = playQueue(mode, agents, tickets);
        for (const a of agents) {
          const mine = assignments.filter((x) => x.agent.id === a.id);
          expect(mine.length).toBeLessThanOrEqual(a.capacity);
          for (const [channel, limit] of Object.entries(a.channelCapacity)) expect(mine.filter((x) => x.ticket.channel === channel).length).toBeLessThanOrEqual(limit);
          if (mine.length > 0) expect(a.available).toBe(true);
          if (mode === 'skills') for (const x of mine) expect(hasSkills(a.skills, x.ticket.neededSkills)).toBe(true);
        }
        if (mode === 'manual') expect(assignments).toEqual([]);
      }), { numRuns: 300 });
  });

  it('ranks exactly the eligible agents, each once', () => {
    fc.assert(fc.property(fc.constantFrom(...ASSIGNMENT_MODES), fc.uniqueArray(agentArb, { selector: (a) => a.id, maxLength: 8 }), demandArb, (mode, agents, demand) => {
      const ranked = rankAgents(mode, agents, demand).map((a) => a.id).sort();
      expect(ranked).toEqual(agents.filter((a) => isEligible(mode, a, demand)).map((a) => a.id).sort());
    }));
  });
});

describe('choice order', () => {
  const agent = (id: string, over: Partial<AgentCandidate> = {}): AgentCandidate => ({
    id, skills: [], capacity: 10, channelCapacity: {}, load: 0, channelLoad: {}, available: true, lastAssignedAt: null, ...over,
  });
  const demand = { channel: 'email', neededSkills: [] };

  it('round-robin takes whoever was assigned longest ago, never-assigned first', () => {
    expect(chooseAgent('round_robin', [agent('a', { lastAssignedAt: 5 }), agent('b', { lastAssignedAt: 3 }), agent('c', { lastAssignedAt: 9 })], demand)?.id).toBe('b');
    expect(chooseAgent('round_robin', [agent('a', { lastAssignedAt: 5 }), agent('b')], demand)?.id).toBe('b');
  });

  it('least-loaded compares the share of capacity in use', () => {
    expect(chooseAgent('least_loaded', [agent('a', { load: 3, capacity: 4 }), agent('b', { load: 4, capacity: 10 })], demand)?.id).toBe('b');
  });

  it('a ticket needs only the skills its group routes on', () => {
    const descriptors = ticketDescriptors({ language: 'ru', type: 'complaint', tags: ['vip', 'product-a'] });
    expect(neededSkills(['lang:ru', 'lang:en', 'product-a'], descriptors)).toEqual(['lang:ru', 'product-a']);
    expect(neededSkills([], descriptors)).toEqual([]);
  });
});
