import type { Escalation, PendingReminders } from '../policies/policy-model.ts';

// The SLA monitor's schedule, as pure functions: given a clock as last computed and the keys of the
// actions already taken in its current cycle, which action comes next and when. Keys name an action
// by what it is (a threshold, the breach, a ladder level), never by when it was computed, so a
// recomputation reschedules the same action instead of adding another.

export type ClockSnapshot = {
  status: 'not_started' | 'running' | 'paused' | 'completed';
  due_at: number | null;
  breached: boolean;
  breached_at: number | null;
  next_warning_at: number | null;
  /** Business ms used at the next warning threshold. */
  next_warning_point: number | null;
  /** The highest threshold already passed (not yet breached). */
  passed_warning_point: number | null;
};

export type PlannedAction = { key: string; at: number };
export type ActionKind = 'warning' | 'breach' | 'escalation' | 'reminder' | 'auto_solve';

const MINUTE = 60_000;

export const warningKey = (point: number): string => `warning:${point}`;
export const escalationKey = (level: number): string => `escalation:${level}`;

/** What a key stands for: the action kind and, for the ladder and reminders, the level/ordinal. */
export function describeKey(key: string): { kind: ActionKind; level: number | null } {
  const [kind, n] = key.split(':');
  const level = n === undefined ? null : Number(n);
  if (kind === 'warning' || kind === 'breach' || kind === 'escalation' || kind === 'reminder' || kind === 'auto_solve') {
    return { kind, level: kind === 'warning' ? null : level };
  }
  throw new Error(`unknown SLA action key ${key}`);
}

/**
 * The next action of a metric clock. Only a running clock acts: a paused clock never fires, a met
 * target (completed in time) never breaches, and once a target is completed late nothing escalates.
 * A threshold or breach that passed before the monitor saw it fires at once (`at` in the past).
 */
export function nextMetricAction(clock: ClockSnapshot, escalations: readonly Escalation[], fired: readonly string[]): PlannedAction | null {
  if (clock.status !== 'running') return null;
  const done = new Set(fired);
  const candidates: PlannedAction[] = [];
  if (!clock.breached) {
    const passed = clock.passed_warning_point;
    // Only the highest passed threshold: a monitor that was down does not flood with old warnings.
    if (passed !== null && !done.has(warningKey(passed)) && clock.due_at !== null) candidates.push({ key: warningKey(passed), at: Number.NEGATIVE_INFINITY });
    if (clock.next_warning_at !== null && clock.next_warning_point !== null && !done.has(warningKey(clock.next_warning_point))) {
      candidates.push({ key: warningKey(clock.next_warning_point), at: clock.next_warning_at });
    }
  }
  const breachAt = clock.breached ? clock.breached_at : clock.due_at;
  if (breachAt !== null) {
    if (!done.has('breach')) candidates.push({ key: 'breach', at: breachAt });
    // Levels fire in order: the first one not yet taken is the only candidate.
    const level = escalations.findIndex((_, i) => !done.has(escalationKey(i + 1)));
    const step = escalations[level];
    if (step) candidates.push({ key: escalationKey(level + 1), at: breachAt + step.after_minutes * MINUTE });
  }
  return earliest(candidates);
}

/**
 * The pending-on-customer clock: ask again every `remind_after_business_hours` of business time while
 * the ticket waits, and solve it `solve_after_days` (calendar days) after it started waiting.
 * `addBusinessMs` is the policy calendar's.
 */
export function nextPendingAction(
  pendingSince: number,
  rule: PendingReminders,
  fired: readonly string[],
  addBusinessMs: (t: number, ms: number) => number,
): PlannedAction | null {
  if (fired.includes('auto_solve')) return null;
  const solveAt = pendingSince + rule.solve_after_days * 24 * 60 * MINUTE;
  const reminders = fired.filter((k) => k.startsWith('reminder:')).length;
  const remindAt = addBusinessMs(pendingSince, (reminders + 1) * rule.remind_after_business_hours * 60 * MINUTE);
  return remindAt < solveAt ? { key: `reminder:${reminders + 1}`, at: remindAt } : { key: 'auto_solve', at: solveAt };
}

function earliest(candidates: readonly PlannedAction[]): PlannedAction | null {
  let best: PlannedAction | null = null;
  for (const c of candidates) if (!best || c.at < best.at) best = c;
  return best;
}
