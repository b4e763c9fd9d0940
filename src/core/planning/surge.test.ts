import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePromise } from '../promise/index.ts';
import { ALWAYS_OPEN } from '../calendar/index.ts';
import { backlogLoad, DEFAULT_SURGE_THRESHOLDS, hotCause, isCalm, surgeStep, type ActiveSurge, type SurgeSignals } from './surge.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const win = (arrived: number, expected = 10, high = 17) => ({ start: T0, end: T0 + 30 * MIN, arrived, expected, high });
const load = (ratio: number) => ({ tickets: 10, agents: 2, handleMinutes: 20, ratio });

describe('backlogLoad', () => {
  it('is the tightest ticket: work up to it over the agent-minutes before its due', () => {
    // 2 agents, 30 min per ticket. Sorted: due in 30, 60, 60 → the third needs 90 of 2 × 60 = 0.75 (the first
    // two are no more than the agents: they start at once).
    expect(backlogLoad(T0, [T0 + 60 * MIN, T0 + 30 * MIN, T0 + 60 * MIN], 30, 2)?.ratio).toBeCloseTo(0.75);
    // Three due in 45 minutes: 90 / 90 = 1 — just possible.
    expect(backlogLoad(T0, [T0 + 45 * MIN, T0 + 45 * MIN, T0 + 45 * MIN], 30, 2)?.ratio).toBeCloseTo(1);
  });
  it('is no surge while there are no more tickets than agents, however long one takes', () => {
    expect(backlogLoad(T0, [T0 + 10 * MIN, T0 + 10 * MIN], 300, 2)?.ratio).toBe(0);
  });
  it('counts past-due tickets as work ahead but not as a ratio of their own', () => {
    // Two tickets already late (breaches, the monitor's business) and one due in 30 min, one agent: 3 × 10 / 30 = 1.
    expect(backlogLoad(T0, [T0 - 5 * MIN, T0 - MIN, T0 + 30 * MIN], 10, 1)?.ratio).toBeCloseTo(1);
    expect(backlogLoad(T0, [T0 - 5 * MIN, T0 - MIN], 10, 1)?.ratio).toBe(0);
  });
  it('has nothing to say without handling-time history or tickets', () => {
    expect(backlogLoad(T0, [T0 + MIN], null, 3)).toBeNull();
    expect(backlogLoad(T0, [], 10, 3)).toBeNull();
  });
});

describe('hot and calm', () => {
  it('starts on arrivals above the band or a backlog the team cannot answer in time', () => {
    expect(hotCause({ arrivals: [win(18)], backlog: null })).toBe('arrivals');
    // A quiet slot: above the band's edge of about 2, but not 5 more than expected.
    expect(hotCause({ arrivals: [win(4, 0, 1.96)], backlog: null })).toBeNull();
    expect(hotCause({ arrivals: [win(5, 0, 1.96)], backlog: null })).toBe('arrivals');
    expect(hotCause({ arrivals: [win(17)], backlog: load(1.01) })).toBe('backlog');
    expect(hotCause({ arrivals: [win(17)], backlog: load(1) })).toBeNull();
  });
  it('calls calm only arrivals back at the expected level and a backlog under the calm ratio', () => {
    expect(isCalm({ arrivals: [win(10)], backlog: load(0.8) })).toBe(true);
    expect(isCalm({ arrivals: [win(11)], backlog: load(0.5) })).toBe(false); // under the band is not enough
    expect(isCalm({ arrivals: [win(5)], backlog: load(0.9) })).toBe(false);
  });
});

describe('surgeStep', () => {
  const hot: SurgeSignals = { arrivals: [win(30)], backlog: null };
  const calm: SurgeSignals = { arrivals: [win(3)], backlog: load(0.2) };
  it('ends an automatic surge after 30 calm minutes, not before', () => {
    const active: ActiveSurge = { cause: 'arrivals', startedAt: T0, calmSince: null };
    expect(surgeStep(null, hot, T0)).toEqual({ action: 'start', cause: 'arrivals' });
    expect(surgeStep(active, calm, T0 + 10 * MIN)).toEqual({ action: 'calm', calmSince: T0 + 10 * MIN });
    expect(surgeStep({ ...active, calmSince: T0 + 10 * MIN }, calm, T0 + 39 * MIN)).toEqual({ action: 'none' });
    expect(surgeStep({ ...active, calmSince: T0 + 10 * MIN }, calm, T0 + 40 * MIN)).toEqual({ action: 'end' });
    expect(surgeStep({ ...active, calmSince: T0 + 10 * MIN }, hot, T0 + 20 * MIN)).toEqual({ action: 'calm', calmSince: null });
  });
  it('leaves a declared surge to the supervisor', () => {
    expect(surgeStep({ cause: 'manual', startedAt: T0, calmSince: null }, calm, T0 + 600 * MIN)).toEqual({ action: 'none' });
  });

  // Any sequence of signals, checked every minute, run through the steps as the worker stores them.
  const signalsArb = fc.record({
    arrivals: fc.array(fc.record({ arrived: fc.nat(40), expected: fc.integer({ min: 0, max: 20 }) }).map(({ arrived, expected }) => win(arrived, expected, expected + 7)), { maxLength: 2 }),
    backlog: fc.option(fc.double({ min: 0, max: 2, noNaN: true }).map(load)),
  });
  const run = (seq: SurgeSignals[]) => {
    let active: ActiveSurge | null = null;
    const events: { at: number; action: 'start' | 'end'; s: SurgeSignals }[] = [];
    seq.forEach((s, i) => {
      const now = T0 + i * MIN;
      const step = surgeStep(active, s, now);
      if (step.action === 'start') { active = { cause: step.cause, startedAt: now, calmSince: null }; events.push({ at: now, action: 'start', s }); }
      if (step.action === 'end') { active = null; events.push({ at: now, action: 'end', s }); }
      if (step.action === 'calm' && active) active = { ...(active as ActiveSurge), calmSince: step.calmSince };
    });
    return { events, active };
  };

  it('property: no flapping — a surge lasts through 30 calm minutes, ends only on calm signals, restarts only on hot ones', () => {
    fc.assert(fc.property(fc.array(signalsArb, { maxLength: 200 }), (seq) => {
      const { events } = run(seq);
      events.forEach((e, i) => {
        if (e.action === 'start') expect(hotCause(e.s)).not.toBeNull();
        if (e.action === 'end') {
          expect(isCalm(e.s)).toBe(true);
          const start = events[i - 1];
          expect(start?.action).toBe('start');
          // Every check in the 30 minutes before the end was calm, and the surge lasted at least that long.
          const endIndex = (e.at - T0) / MIN;
          for (let k = endIndex - DEFAULT_SURGE_THRESHOLDS.calmMinutes; k <= endIndex; k += 1) expect(isCalm(seq[k] as SurgeSignals)).toBe(true);
          expect(e.at - (start?.at ?? 0)).toBeGreaterThanOrEqual(DEFAULT_SURGE_THRESHOLDS.calmMinutes * MIN);
        }
      });
    }), { numRuns: 300 });
  });

  it('property: ends when both are back — hot then calm for good always ends, exactly 30 minutes after calm began', () => {
    fc.assert(fc.property(fc.array(signalsArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 31, max: 90 }), (prefix, calmRun) => {
      const seq = [{ arrivals: [win(99)], backlog: null }, ...prefix, ...Array.from({ length: calmRun }, () => calm)];
      const { events, active } = run(seq);
      expect(active).toBeNull();
      const last = events[events.length - 1];
      expect(last?.action).toBe('end');
      const calmFrom = seq.length - calmRun;
      // No later than 30 minutes into the calm run (earlier when calm had already begun in the prefix).
      expect(last?.at).toBeLessThanOrEqual(T0 + (calmFrom + DEFAULT_SURGE_THRESHOLDS.calmMinutes) * MIN);
    }), { numRuns: 300 });
  });
});

describe('the surge in the promise rule', () => {
  const commitment = { dueAt: T0 + 240 * MIN, clock: 'calendar' as const, targetMinutes: 240 };
  it('counts the whole backlog, so the promise is the later, honest time', () => {
    const queue = { ahead: 2, recentHandleMinutes: 30, agentsOnShift: 2 };
    expect(computePromise({ now: T0, commitment, calendar: ALWAYS_OPEN, queue })?.basis).toBe('sla');
    const p = computePromise({ now: T0, commitment, calendar: ALWAYS_OPEN, queue, surge: { backlog: 40 } });
    // 40 × 30 / 2 = 600 minutes → "within 10 hours".
    expect(p).toMatchObject({ basis: 'queue', surge: true, statedMinutes: 600, ahead: 40, promisedAt: T0 + 600 * MIN });
  });
  it('keeps the commitment when even the whole backlog fits before it', () => {
    const p = computePromise({ now: T0, commitment, calendar: ALWAYS_OPEN, queue: { ahead: 1, recentHandleMinutes: 10, agentsOnShift: 2 }, surge: { backlog: 5 } });
    expect(p).toMatchObject({ basis: 'sla', surge: false, promisedAt: commitment.dueAt });
  });
});
