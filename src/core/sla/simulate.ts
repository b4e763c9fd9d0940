// The simulator's entry points. Live tickets call simulateSla (or computeClocks) with the input
// built from their event log and policy, so both paths share one engine.

import { compileCalendar, type BusinessCalendar } from '../calendar/index.ts';
import { computeClocks } from './compute-clocks.ts';
import { formatClockState } from './format-result.ts';
import type { ParseFailure } from './parse-result.ts';
import { parseSimulationInput } from './simulation-schema.ts';
import type { SimulationInput, SimulationResult } from './types.ts';

/** Evaluate validated input; pass `compiled` to reuse a cached calendar (it must match input.calendar). */
export function simulateSla(input: SimulationInput, compiled?: BusinessCalendar): SimulationResult {
  const calendar = compiled ?? compileCalendar(input.calendar);
  return formatClockState(computeClocks(input, calendar));
}

/** Validate raw JSON (CLI, HTTP) and evaluate it. */
export function runSimulation(raw: unknown): { ok: true; result: SimulationResult } | ParseFailure {
  const parsed = parseSimulationInput(raw);
  if (!parsed.ok) return parsed;
  return { ok: true, result: simulateSla(parsed.value, parsed.calendar) };
}
