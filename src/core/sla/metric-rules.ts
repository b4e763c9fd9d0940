// When each metric starts, stops and reopens its cycles. Pausing is not decided here: it depends
// only on the ticket's status and is applied by the engine after these steps.

import type { MetricDefinition, MetricEventKind, SlaEvent, TicketStatus } from './types.ts';
import { BUILT_IN_METRICS, DONE_STATUSES } from './types.ts';
import type { BuiltInMetricName, CustomMetricDefinition, GroupEventKind } from './types.ts';

/** What an event does to a metric's cycles, applied in order at the event's instant. */
export type CycleStep = 'start' | 'stop' | 'reopen';

export type RuleContext = {
  /** A cycle is open (running or paused). */
  open: boolean;
  /** At least one cycle exists (open or completed). */
  hasCycle: boolean;
  /** Status before this event (null before `created`). */
  previousStatus: TicketStatus | null;
  /** An `agent_message` came before this event (in event order). */
  agentHasReplied: boolean;
  /** The ticket's group before this event (null: none, or not known). Absent = null. */
  previousGroup?: string | null;
};

export function isBuiltInMetricName(name: string): name is BuiltInMetricName {
  return BUILT_IN_METRICS.some((builtIn) => builtIn === name);
}

export function isCustomMetric(metric: MetricDefinition): metric is CustomMetricDefinition {
  return !isBuiltInMetricName(metric.name);
}

export function isDoneStatus(status: TicketStatus | null): boolean {
  return status !== null && DONE_STATUSES.includes(status);
}

/**
 * The kind a custom metric matches an event against. `created` is only `created`, whatever its
 * status. A status event is `status:<s>` even when the ticket already had status s: kinds are
 * properties of the event itself, not of the transition (see the contract's wording).
 * Notes and automatic messages have no kind: they never start or stop anything.
 */
export function eventKind(event: SlaEvent): MetricEventKind | null {
  switch (event.type) {
    case 'created':
    case 'customer_message':
    case 'agent_message':
      return event.type;
    case 'status':
      return `status:${event.status}`;
    default:
      return null;
  }
}

function firstResponseSteps(event: SlaEvent, ctx: RuleContext): CycleStep[] {
  if (event.type === 'created') return ['start'];
  // Only the first agent message matters: after it no cycle is ever open again.
  if (event.type === 'agent_message' && ctx.open) return ['stop'];
  return [];
}

function nextResponseSteps(event: SlaEvent, ctx: RuleContext): CycleStep[] {
  // A customer message before the first agent reply is first_response's business, not ours.
  if (event.type === 'customer_message' && ctx.agentHasReplied && !ctx.open) return ['start'];
  if (event.type === 'agent_message' && ctx.open) return ['stop'];
  return [];
}

function periodicUpdateSteps(event: SlaEvent, ctx: RuleContext): CycleStep[] {
  if (event.type === 'created') return ['start'];
  // The open cycle is replaced even when paused: the update was given, so the next one is owed
  // from now (the new cycle is itself paused while the status still pauses the metric).
  if (event.type === 'agent_message') return ctx.open ? ['stop', 'start'] : ['start'];
  return [];
}

function resolutionSteps(event: SlaEvent, ctx: RuleContext): CycleStep[] {
  if (event.type === 'created') return isDoneStatus(event.status) ? ['start', 'stop'] : ['start'];
  if (event.type !== 'status') return [];
  if (isDoneStatus(event.status)) return ctx.open ? ['stop'] : [];
  // Leaving solved/closed reopens the single cycle with the time already used.
  if (isDoneStatus(ctx.previousStatus) && ctx.hasCycle && !ctx.open) return ['reopen'];
  return [];
}

/** `group:<id>` kinds a metric lists: only such a metric reacts to group assignment. */
export const isGroupKind = (kind: string): kind is GroupEventKind => kind.startsWith('group:');
const usesGroups = (metric: CustomMetricDefinition): boolean => metric.start_on.some(isGroupKind) || metric.stop_on.some(isGroupKind);

/**
 * An ownership clock: the ticket entering a listed group starts it, leaving a listed group stops it.
 * Without `repeat` the spans add up in one cycle (a later entry reopens it with the time already used);
 * with `repeat` each span is its own cycle. The event's own kind (`created`) keeps its usual meaning.
 */
function groupSteps(metric: CustomMetricDefinition, event: SlaEvent, ctx: RuleContext): CycleStep[] {
  const before = ctx.previousGroup ?? null;
  const after = event.type === 'group' ? event.group : event.type === 'created' ? event.group ?? null : before;
  const kind = eventKind(event);
  const moved = before !== after;
  const stops = ctx.open && ((kind !== null && metric.stop_on.includes(kind)) || (moved && before !== null && metric.stop_on.includes(`group:${before}`)));
  const openAfterStop = ctx.open && !stops;
  const entered = moved && after !== null && metric.start_on.includes(`group:${after}`);
  const startsByKind = kind !== null && metric.start_on.includes(kind);
  const steps: CycleStep[] = [];
  if (stops) steps.push('stop');
  if (openAfterStop || !(entered || startsByKind)) return steps;
  if (!ctx.hasCycle || metric.repeat) steps.push('start');
  else if (entered) steps.push('reopen');
  return steps;
}

function customSteps(metric: CustomMetricDefinition, event: SlaEvent, ctx: RuleContext): CycleStep[] {
  if (usesGroups(metric)) return groupSteps(metric, event, ctx);
  const kind = eventKind(event);
  if (kind === null) return [];
  const stops = ctx.open && metric.stop_on.includes(kind);
  const openAfterStop = ctx.open && !stops;
  const starts =
    metric.start_on.includes(kind) && !openAfterStop && (metric.repeat || !ctx.hasCycle);
  const steps: CycleStep[] = [];
  if (stops) steps.push('stop');
  if (starts) steps.push('start');
  return steps;
}

export function cycleSteps(metric: MetricDefinition, event: SlaEvent, ctx: RuleContext): CycleStep[] {
  if (isCustomMetric(metric)) return customSteps(metric, event, ctx);
  switch (metric.name) {
    case 'first_response':
      return firstResponseSteps(event, ctx);
    case 'next_response':
      return nextResponseSteps(event, ctx);
    case 'periodic_update':
      return periodicUpdateSteps(event, ctx);
    case 'resolution':
      return resolutionSteps(event, ctx);
  }
}

/** solved/closed pause every metric but resolution (which they complete instead). */
export function isPaused(metric: MetricDefinition, pauseStatuses: readonly TicketStatus[], status: TicketStatus): boolean {
  if (pauseStatuses.includes(status)) return true;
  return metric.name !== 'resolution' && isDoneStatus(status);
}
