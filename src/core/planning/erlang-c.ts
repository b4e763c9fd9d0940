// Erlang C staffing (../shared/specs/planning.md §1): how many agents an interval needs so that a share of
// contacts is answered within a target time. Pure; the CLI (`replyby plan erlang`) and the HTTP endpoint
// (`POST /api/v1/planning/erlang`) call `planErlang` with the same parsed input.
//
// Erlang C is computed from Erlang B by its recurrence B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), and
// C(N, A) = N·B / (N − A·(1 − B)). Every step is a ratio of numbers near 1, so it stays exact for traffic in
// the thousands of Erlangs, where the textbook form (A^N / N! …) overflows a double at N ≈ 170.

import { z } from 'zod';
import { failure, firstIssue, type ParseResult } from '../sla/parse-result.ts';

export type ErlangInput = {
  /** Contacts arriving in the interval. */
  calls: number;
  interval_minutes: number;
  /** Average handling time per contact. */
  aht_seconds: number;
  /** The target: `target_sl` of contacts answered within `answer_seconds`. */
  answer_seconds: number;
  target_sl: number;
  /** Share of paid time not spent on contacts (breaks, training, meetings). */
  shrinkage: number;
  /** Optional ceiling on A / N, so agents are not planned at 98 % busy. */
  max_occupancy?: number;
};

export type ErlangResult = {
  traffic_erlangs: number;
  agents: number;
  p_wait: number;
  service_level: number;
  asa_seconds: number;
  occupancy: number;
  staff: number;
};

/** Erlang B blocking probability for n servers offered `a` Erlangs (n ≥ 0, a ≥ 0). */
export function erlangB(n: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= n; k += 1) b = (a * b) / (k + a * b);
  return b;
}

/** From Erlang B at the same n: the probability that a contact waits (n > a). */
function erlangCFromB(n: number, a: number, b: number): number {
  return (n * b) / (n - a * (1 - b));
}

/** Erlang C: the probability that a contact has to wait, for n agents and `a` Erlangs of traffic (n > a). */
export function erlangC(n: number, a: number): number {
  if (!(n > a)) return 1;
  return erlangCFromB(n, a, erlangB(n, a));
}

/** Share of contacts answered within `answerSeconds` (n > a). */
export function serviceLevel(pWait: number, n: number, a: number, answerSeconds: number, ahtSeconds: number): number {
  return 1 - pWait * Math.exp((-(n - a) * answerSeconds) / ahtSeconds);
}

// Doubles: 14 / (1 − 0.3) is 20.000000000000004, which a bare ceil would make 21 people. Anything within
// this of an integer is that integer.
const INTEGER_TOLERANCE = 1e-9;
function ceilTolerant(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= INTEGER_TOLERANCE * Math.max(1, Math.abs(x)) ? nearest : Math.ceil(x);
}

// The same for comparisons with the target: an SL of 0.79999999999999 is the 0.8 the user asked for.
const COMPARE_TOLERANCE = 1e-12;

/**
 * The smallest number of agents N > A whose service level meets the target (and whose occupancy A / N
 * stays within max_occupancy when given), with that N's figures, and the staff to roster for it.
 * Erlang B is carried from N − 1 to N, so the search costs one step per agent.
 */
export function planErlang(input: ErlangInput): ErlangResult {
  const a = (input.calls * input.aht_seconds) / (input.interval_minutes * 60);
  let n = Math.floor(a) + 1; // the smallest integer strictly above A
  let b = erlangB(n, a);
  for (;;) {
    const pWait = erlangCFromB(n, a, b);
    const sl = serviceLevel(pWait, n, a, input.answer_seconds, input.aht_seconds);
    const occupancy = a / n;
    const slMet = sl >= input.target_sl - COMPARE_TOLERANCE;
    const occupancyMet = input.max_occupancy === undefined || occupancy <= input.max_occupancy + COMPARE_TOLERANCE;
    if (slMet && occupancyMet) {
      return {
        traffic_erlangs: a,
        agents: n,
        p_wait: pWait,
        service_level: sl,
        asa_seconds: (pWait * input.aht_seconds) / (n - a),
        occupancy,
        staff: ceilTolerant(n / (1 - input.shrinkage)),
      };
    }
    n += 1;
    b = (a * b) / (n + a * b);
  }
}

// ---------------------------------------------------------------- input

const number = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? 'required' : `must be a number (${what})`) }).refine(Number.isFinite, 'must be a finite number');

/** Limits keep the search finite and the numbers meaningful; each message names what the field is. */
export const erlangInputSchema = z.strictObject({
  calls: number('contacts arriving in the interval').refine((v) => v >= 0, 'must not be negative'),
  interval_minutes: number('minutes').refine((v) => v > 0, 'must be above 0').refine((v) => v <= 7 * 24 * 60, 'must be at most a week (10080 minutes)'),
  aht_seconds: number('seconds').refine((v) => v > 0, 'must be above 0'),
  answer_seconds: number('seconds').refine((v) => v >= 0, 'must not be negative'),
  target_sl: number('a share between 0 and 1').refine((v) => v >= 0, 'must not be negative').refine((v) => v < 1, 'must be below 1 (no number of agents answers every contact in time)'),
  // The spec's range is 0–0.9: above it fewer than one paid hour in ten answers contacts, a typo rather than a plan.
  shrinkage: number('a share between 0 and 0.9').refine((v) => v >= 0, 'must not be negative').refine((v) => v <= 0.9, 'must be at most 0.9 (the share of paid time not spent on contacts; 1 or more leaves no one to answer)').default(0),
  max_occupancy: number('a share between 0 and 1').refine((v) => v > 0, 'must be above 0').refine((v) => v <= 1, 'must be at most 1').optional(),
});

/** Traffic above this many Erlangs is not an interval of one team (and would search a million agents). */
export const MAX_TRAFFIC_ERLANGS = 1_000_000;
/** The search walks one agent at a time; an occupancy ceiling that needs more than this is a typo. */
export const MAX_AGENTS = 10_000_000;

export function parseErlangInput(raw: unknown): ParseResult<ErlangInput> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return failure('', 'must be a JSON object');
  const parsed = firstIssue(erlangInputSchema, raw, []);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const traffic = (v.calls * v.aht_seconds) / (v.interval_minutes * 60);
  if (traffic > MAX_TRAFFIC_ERLANGS) return failure('calls', `with this aht_seconds and interval_minutes the traffic is ${traffic} Erlangs, above ${MAX_TRAFFIC_ERLANGS}`);
  if (v.max_occupancy !== undefined && traffic / v.max_occupancy > MAX_AGENTS) {
    return failure('max_occupancy', `would need more than ${MAX_AGENTS} agents for ${traffic} Erlangs`);
  }
  const input: ErlangInput = { calls: v.calls, interval_minutes: v.interval_minutes, aht_seconds: v.aht_seconds, answer_seconds: v.answer_seconds, target_sl: v.target_sl, shrinkage: v.shrinkage };
  if (v.max_occupancy !== undefined) input.max_occupancy = v.max_occupancy;
  return { ok: true, value: input };
}
