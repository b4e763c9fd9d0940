// Shared types of the SLA clock engine. The simulator and live tickets build the same
// SimulationInput and call the same engine, so their clocks can never disagree.
// Instants inside the engine are epoch milliseconds (UTC); strings exist only at the edges.

import type { CalendarSpec } from '../calendar/index.ts';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const EVENT_TYPES = [
  'created',
  'customer_message',
  'agent_message',
  'agent_note',
  'auto_message',
  'status',
] as const;
export type SlaEventType = (typeof EVENT_TYPES)[number];

export const BUILT_IN_METRICS = ['first_response', 'next_response', 'periodic_update', 'resolution'] as const;
export type BuiltInMetricName = (typeof BUILT_IN_METRICS)[number];

/**
 * Event kinds a custom metric can start or stop on. `group:<group id>` (live tickets' policies only, not the
 * simulator's input): the ticket is assigned to that group (in start_on) or leaves it (in stop_on) — an
 * ownership clock (docs/side-conversations.md).
 */
export type GroupEventKind = `group:${string}`;
export type MetricEventKind = 'created' | 'customer_message' | 'agent_message' | `status:${TicketStatus}` | GroupEventKind;

/** Statuses that pause every metric except `resolution`, which they complete instead. */
export const DONE_STATUSES: readonly TicketStatus[] = ['solved', 'closed'];

/**
 * `group` (live tickets only, never in the simulator's input): the ticket's group changed to `group`
 * (null = no group). `created` may carry the group the ticket was created in. Built-in metrics ignore both.
 */
export type SlaEvent =
  | { at: number; type: 'created'; status: TicketStatus; group?: string | null }
  | { at: number; type: 'group'; group: string | null }
  | { at: number; type: 'status'; status: TicketStatus }
  | { at: number; type: 'customer_message' | 'agent_message' | 'agent_note' | 'auto_message' };

/**
 * Which time a metric's target counts: `business` (the calendar's open hours, the contract's rule)
 * or `calendar` (every wall-clock minute, "24 hours" meaning 24 hours). Absent = business.
 */
export const METRIC_CLOCKS = ['business', 'calendar'] as const;
export type MetricClockKind = (typeof METRIC_CLOCKS)[number];

export type BuiltInMetricDefinition = {
  name: BuiltInMetricName;
  target_minutes: number;
  /** Absent = business (the contract's behaviour). */
  clock?: MetricClockKind;
  /** null = use the top-level list. */
  pause_statuses: readonly TicketStatus[] | null;
};

export type CustomMetricDefinition = {
  name: string;
  target_minutes: number;
  clock?: MetricClockKind;
  pause_statuses: readonly TicketStatus[] | null;
  start_on: readonly MetricEventKind[];
  stop_on: readonly MetricEventKind[];
  repeat: boolean;
};

export type MetricDefinition = BuiltInMetricDefinition | CustomMetricDefinition;

export type SimulationInput = {
  /** null = 24/7. */
  calendar: CalendarSpec | null;
  metrics: readonly MetricDefinition[];
  /** Default pause list for metrics without their own. */
  pause_statuses: readonly TicketStatus[];
  /** In time order (equal instants keep their order); the first is the only `created`. */
  events: readonly SlaEvent[];
  /** Evaluation instant; null = the last event's instant. */
  at: number | null;
};

export type MetricStatus = 'not_started' | 'running' | 'paused' | 'completed';

/** One cycle in engine form (epoch ms). */
export type CycleClock = {
  startedAt: number;
  completedAt: number | null;
  usedMs: number;
  /** The instant the used business time reached the target, if it has. */
  targetReachedAt: number | null;
  breached: boolean;
};

/** One metric in engine form (epoch ms); `current` is the open cycle or else the last one. */
export type MetricClock = {
  name: string;
  targetMinutes: number;
  /** Which time the target counts (absent on input = business). */
  clock: MetricClockKind;
  status: MetricStatus;
  current: CycleClock | null;
  dueAt: number | null;
  breachedAt: number | null;
  cycles: readonly CycleClock[];
};

export type ClockState = {
  at: number;
  nextDueAt: number | null;
  metrics: readonly MetricClock[];
};

export type CycleResult = {
  started_at: string;
  completed_at: string | null;
  elapsed_business_minutes: number;
  breached: boolean;
};

export type MetricResult = {
  status: MetricStatus;
  started_at: string | null;
  completed_at: string | null;
  due_at: string | null;
  breached: boolean;
  breached_at: string | null;
  elapsed_business_minutes: number | null;
  remaining_business_minutes: number | null;
  cycles: CycleResult[];
  /**
   * Extension: present (`"calendar"`) only on a metric that counts wall-clock time, whose
   * `*_business_minutes` are then wall-clock minutes. Business metrics print exactly the contract's shape.
   */
  clock?: 'calendar';
};

export type SimulationResult = {
  at: string;
  next_due_at: string | null;
  metrics: Record<string, MetricResult>;
};
