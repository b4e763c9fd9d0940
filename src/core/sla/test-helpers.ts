// Helpers shared by the SLA test files (not used by production code).

import { runSimulation } from './simulate.ts';
import type { MetricResult, SimulationResult } from './types.ts';

export type RawEvent = { at: string; type: string; status?: string };

export function simulateOk(raw: unknown): SimulationResult {
  const r = runSimulation(raw);
  if (!r.ok) throw new Error(`expected valid input, got ${r.message}`);
  return r.result;
}

export function metricOf(result: SimulationResult, name: string): MetricResult {
  const m = result.metrics[name];
  if (m === undefined) throw new Error(`metric ${name} missing from result`);
  return m;
}

/** 24/7 simulation of one metric. */
export function simulateMetric(metric: Record<string, unknown>, events: RawEvent[], at?: string, extra: Record<string, unknown> = {}): MetricResult {
  const name = metric.name;
  if (typeof name !== 'string') throw new Error('metric needs a name');
  return metricOf(simulateOk({ metrics: [metric], events, ...(at === undefined ? {} : { at }), ...extra }), name);
}

/** Shorthand for an instant on 2025-03-10 (a Monday) in UTC: t('10:30') → '2025-03-10T10:30:00Z'. */
export function t(hhmm: string, day = '2025-03-10'): string {
  return `${day}T${hhmm.length === 5 ? `${hhmm}:00` : hhmm}Z`;
}

export function ev(hhmm: string, type: string, status?: string, day?: string): RawEvent {
  return status === undefined ? { at: t(hhmm, day), type } : { at: t(hhmm, day), type, status };
}
