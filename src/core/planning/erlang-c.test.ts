import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangC, parseErlangInput, planErlang, serviceLevel, type ErlangInput } from './index.ts';

// An independent Erlang C for the comparisons: the Poisson terms A^k / k! summed in log space
// (log-sum-exp), the textbook formula rather than the B recurrence the code uses.
function erlangCByLogTerms(n: number, a: number): number {
  const logTerm = (k: number) => {
    let lf = 0;
    for (let i = 2; i <= k; i += 1) lf += Math.log(i);
    return k * Math.log(a) - lf;
  };
  const logs: number[] = [];
  for (let k = 0; k < n; k += 1) logs.push(logTerm(k));
  const logLast = logTerm(n) + Math.log(n / (n - a));
  const max = Math.max(logLast, ...logs);
  const below = logs.reduce((s, l) => s + Math.exp(l - max), 0);
  const last = Math.exp(logLast - max);
  return last / (below + last);
}

const base: ErlangInput = { calls: 100, interval_minutes: 30, aht_seconds: 180, answer_seconds: 20, target_sl: 0.8, shrinkage: 0.3 };

describe('Erlang C (planning spec §1)', () => {
  it('plans 10 Erlangs at 80/20 with 14 agents and 20 staff at 30 % shrinkage, figures of that N', () => {
    const r = planErlang(base);
    expect(r.traffic_erlangs).toBe(10);
    expect(r.agents).toBe(14);
    expect(r.p_wait).toBeCloseTo(erlangCByLogTerms(14, 10), 12);
    expect(r.service_level).toBeCloseTo(1 - erlangCByLogTerms(14, 10) * Math.exp((-4 * 20) / 180), 12);
    expect(r.asa_seconds).toBeCloseTo((erlangCByLogTerms(14, 10) * 180) / 4, 10);
    expect(r.occupancy).toBeCloseTo(10 / 14, 15);
    // 14 / 0.7 is 20.000000000000004 in doubles: still 20 people.
    expect(r.staff).toBe(20);
    // 13 agents would not do: the search returned the smallest.
    expect(serviceLevel(erlangC(13, 10), 13, 10, 20, 180)).toBeLessThan(0.8);
  });

  it('takes more agents when the occupancy ceiling binds, and only then', () => {
    const loose = planErlang({ ...base, max_occupancy: 0.9 });
    expect(loose.agents).toBe(14);
    const tight = planErlang({ ...base, max_occupancy: 0.6 });
    expect(tight.agents).toBe(17); // 10 / 17 = 0.588; 10 / 16 = 0.625
    expect(tight.occupancy).toBeLessThanOrEqual(0.6);
    expect(tight.service_level).toBeGreaterThan(loose.service_level);
  });

  it('needs N strictly above the traffic, also when the traffic is a whole number and the target is 0', () => {
    const r = planErlang({ ...base, target_sl: 0 });
    expect(r.agents).toBe(11);
    const none = planErlang({ ...base, calls: 0 });
    expect(none).toMatchObject({ traffic_erlangs: 0, agents: 1, p_wait: 0, service_level: 1, asa_seconds: 0, occupancy: 0, staff: 2 });
  });

  it('agrees with the log-space textbook formula for every N and A up to 60 agents', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.01, max: 0.999, noNaN: true }), (n, share) => {
      const a = n * share;
      expect(erlangC(n, a)).toBeCloseTo(erlangCByLogTerms(n, a), 10);
    }));
  });

  it('stays exact and finite for thousands of Erlangs (where factorials overflow)', () => {
    for (const a of [1000, 2500, 5000]) {
      for (const extra of [1, 5, 40]) {
        const n = a + extra;
        const c = erlangC(n, a);
        expect(Number.isFinite(c)).toBe(true);
        expect(c).toBeGreaterThan(0);
        expect(c).toBeLessThanOrEqual(1);
        expect(Math.abs(c - erlangCByLogTerms(n, a))).toBeLessThan(1e-9);
      }
    }
    const big = planErlang({ calls: 600_000, interval_minutes: 60, aht_seconds: 30, answer_seconds: 20, target_sl: 0.9, shrinkage: 0 });
    expect(big.traffic_erlangs).toBe(5000);
    expect(big.service_level).toBeGreaterThanOrEqual(0.9);
    expect(serviceLevel(erlangC(big.agents - 1, 5000), big.agents - 1, 5000, 20, 30)).toBeLessThan(0.9);
  });

  it('is monotone in agents: more agents never wait more, never answer fewer in time', () => {
    fc.assert(fc.property(fc.double({ min: 0.1, max: 3000, noNaN: true }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 600 }), (a, extra, answer) => {
      const n = Math.floor(a) + extra;
      expect(erlangC(n + 1, a)).toBeLessThanOrEqual(erlangC(n, a) + 1e-12);
      expect(serviceLevel(erlangC(n + 1, a), n + 1, a, answer, 300)).toBeGreaterThanOrEqual(serviceLevel(erlangC(n, a), n, a, answer, 300) - 1e-12);
    }));
  });

  it('returns the smallest N that meets the target, for any input', () => {
    const input = fc.record({
      calls: fc.integer({ min: 0, max: 5000 }),
      interval_minutes: fc.constantFrom(15, 30, 60),
      aht_seconds: fc.integer({ min: 10, max: 1200 }),
      answer_seconds: fc.integer({ min: 0, max: 300 }),
      target_sl: fc.double({ min: 0, max: 0.99, noNaN: true }),
      shrinkage: fc.double({ min: 0, max: 0.9, noNaN: true }),
    });
    fc.assert(fc.property(input, (i) => {
      const r = planErlang(i);
      expect(r.agents).toBeGreaterThan(r.traffic_erlangs);
      expect(r.service_level).toBeGreaterThanOrEqual(i.target_sl - 1e-12);
      const fewer = r.agents - 1;
      if (fewer > r.traffic_erlangs) {
        expect(serviceLevel(erlangC(fewer, r.traffic_erlangs), fewer, r.traffic_erlangs, i.answer_seconds, i.aht_seconds)).toBeLessThan(i.target_sl);
      }
      expect(r.staff).toBeGreaterThanOrEqual(r.agents);
      // staff is a whole number within 1e-9 (relative) of agents / (1 − shrinkage): 1613 / (1 − 6e-13) is 1613.
      expect(r.staff * (1 - i.shrinkage)).toBeGreaterThanOrEqual(r.agents * (1 - 1e-9));
      expect((r.staff - 1) * (1 - i.shrinkage)).toBeLessThan(r.agents);
    }));
  });
});

describe('Erlang C input', () => {
  const bad = (patch: Record<string, unknown>) => parseErlangInput({ ...base, ...patch });

  it.each([
    [{ calls: -1 }, 'calls', 'must not be negative'],
    [{ calls: '100' }, 'calls', 'must be a number'],
    [{ interval_minutes: 0 }, 'interval_minutes', 'above 0'],
    [{ aht_seconds: -5 }, 'aht_seconds', 'above 0'],
    [{ answer_seconds: -1 }, 'answer_seconds', 'must not be negative'],
    [{ target_sl: 1 }, 'target_sl', 'below 1'],
    [{ target_sl: 1.5 }, 'target_sl', 'below 1'],
    [{ shrinkage: 1 }, 'shrinkage', 'at most 0.9'],
    [{ shrinkage: 0.95 }, 'shrinkage', 'at most 0.9'],
    [{ shrinkage: -0.1 }, 'shrinkage', 'must not be negative'],
    [{ max_occupancy: 0 }, 'max_occupancy', 'above 0'],
    [{ max_occupancy: 1.2 }, 'max_occupancy', 'at most 1'],
    [{ calls: undefined }, 'calls', 'required'],
    [{ agents: 3 }, 'agents', 'unknown key'],
  ])('%j is refused at its field', (patch, path, words) => {
    const r = bad(patch);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.path).toBe(path);
    expect(r.message).toContain(`${path}: `);
    expect(r.message).toContain(words);
  });

  it('refuses traffic no interval of a team has, naming calls', () => {
    const r = bad({ calls: 1e12 });
    expect(r).toMatchObject({ ok: false, path: 'calls' });
  });

  it('takes shrinkage as 0 when it is left out, and keeps max_occupancy only when given', () => {
    const { shrinkage: _, ...rest } = base;
    const r = parseErlangInput(rest);
    expect(r).toEqual({ ok: true, value: { ...rest, shrinkage: 0 } });
  });
});
