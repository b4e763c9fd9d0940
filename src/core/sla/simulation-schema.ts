// Validation of simulator / live-ticket input. Returns the FIRST offending field, in document
// order (calendar, metrics, pause_statuses, events, at; array items in index order), with a path
// like `events[3].at` so the CLI and the HTTP API can point at it.

import { z } from 'zod';
import type { BusinessCalendar, CalendarSpec } from '../calendar/index.ts';
import { validateCalendarInput } from './calendar-input.ts';
import { failure, firstIssue, type ParseFailure, type ParseResult, type PathSegment } from './parse-result.ts';
import { parseInstant } from './instant.ts';
import { isBuiltInMetricName } from './metric-rules.ts';
import type { MetricDefinition, MetricEventKind, SimulationInput, SlaEvent, TicketStatus } from './types.ts';
import { EVENT_TYPES, METRIC_CLOCKS, TICKET_STATUSES } from './types.ts';

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

// ---------------------------------------------------------------- leaf schemas

/** Largest target accepted: ten years of 24/7 minutes; beyond that a due instant is meaningless. */
export const MAX_TARGET_MINUTES = 10 * 366 * 24 * 60;

export const instantSchema = z
  .unknown()
  .transform((v, ctx): number => {
    const ms = typeof v === 'string' ? parseInstant(v) : null;
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: v === undefined ? 'required' : 'not an ISO-8601 instant' });
      return z.NEVER;
    }
    return ms;
  });

export const ticketStatusSchema = z.enum(TICKET_STATUSES, {
  error: (iss) => `unknown status ${show(iss.input)} (expected one of ${TICKET_STATUSES.join(', ')})`,
});

// Listed literally (not derived) so the tuple type z.enum needs comes without a cast.
const METRIC_EVENT_KINDS = [
  'created',
  'customer_message',
  'agent_message',
  'status:new',
  'status:open',
  'status:pending',
  'status:on_hold',
  'status:solved',
  'status:closed',
] as const satisfies readonly MetricEventKind[];

export const metricEventKindSchema = z.enum(METRIC_EVENT_KINDS, {
  error: (iss) =>
    `unknown event kind ${show(iss.input)} (expected created, customer_message, agent_message or status:<${TICKET_STATUSES.join('|')}>)`,
});

const listOf = <T>(item: z.ZodType<T>, what: string) =>
  z.array(item, { error: (iss) => (iss.input === undefined ? 'required' : `must be a list of ${what}`) });

export const pauseStatusesSchema = listOf(ticketStatusSchema, 'statuses');

const targetMinutesSchema = z
  .number({ error: (iss) => (iss.input === undefined ? 'required' : 'must be an integer ≥ 1 (business minutes)') })
  .refine((n) => Number.isInteger(n) && n >= 1, { error: 'must be an integer ≥ 1 (business minutes)' })
  .refine((n) => n <= MAX_TARGET_MINUTES, { error: `must be at most ${MAX_TARGET_MINUTES}` });

// ---------------------------------------------------------------- metrics

export const metricSchema = z.object(
  {
    name: z.string({ error: (iss) => (iss.input === undefined ? 'required' : 'must be a string') }).min(1, {
      error: 'must not be empty',
    }),
    target_minutes: targetMinutesSchema,
    // null, like absent, means "inherit the top-level list" (as for the top-level field itself).
    pause_statuses: pauseStatusesSchema.nullish(),
    start_on: listOf(metricEventKindSchema, 'event kinds').optional(),
    stop_on: listOf(metricEventKindSchema, 'event kinds').optional(),
    repeat: z.boolean({ error: 'must be true or false' }).optional(),
    // Extension (README "clock"): absent or null = business, the contract's behaviour.
    clock: z
      .enum(METRIC_CLOCKS, { error: (iss) => `unknown clock ${show(iss.input)} (expected business or calendar)` })
      .nullish(),
  },
  { error: 'must be an object' },
);

type RawMetric = z.infer<typeof metricSchema>;

/**
 * Built-in metrics REJECT start_on / stop_on / repeat rather than ignoring them: their rules are
 * fixed by the contract, and silently ignoring a setting would show a supervisor a simulation that
 * differs from what they believe they configured. An error is the safer surprise.
 */
function toMetricDefinition(raw: RawMetric, base: readonly PathSegment[]): ParseResult<MetricDefinition> {
  const pause_statuses = raw.pause_statuses ?? null;
  // Only a calendar clock is carried: a business metric stays byte-for-byte what it was.
  const clock = raw.clock === 'calendar' ? ({ clock: 'calendar' } as const) : {};
  if (isBuiltInMetricName(raw.name)) {
    for (const key of ['start_on', 'stop_on', 'repeat'] as const) {
      if (raw[key] !== undefined) {
        return failure([...base, key], `not allowed on the built-in metric "${raw.name}" (its rules are fixed)`);
      }
    }
    return { ok: true, value: { name: raw.name, target_minutes: raw.target_minutes, pause_statuses, ...clock } };
  }
  if (raw.start_on === undefined) return failure([...base, 'start_on'], 'required for a custom metric');
  // A custom metric that can never start is surely a mistake; one that never stops is legitimate.
  if (raw.start_on.length === 0) return failure([...base, 'start_on'], 'must list at least one event kind');
  return {
    ok: true,
    value: {
      name: raw.name,
      target_minutes: raw.target_minutes,
      pause_statuses,
      start_on: raw.start_on,
      // Absent like empty: a clock that never stops (time since the last customer contact, say).
      stop_on: raw.stop_on ?? [],
      repeat: raw.repeat ?? false,
      ...clock,
    },
  };
}

function parseMetrics(raw: unknown): ParseResult<MetricDefinition[]> {
  if (raw === undefined) return failure(['metrics'], 'required');
  if (!Array.isArray(raw)) return failure(['metrics'], 'must be a list of metric definitions');
  const metrics: MetricDefinition[] = [];
  const seen = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const base = ['metrics', i];
    const parsed = firstIssue(metricSchema, item, base);
    if (!parsed.ok) return parsed;
    if (seen.has(parsed.value.name)) return failure([...base, 'name'], `duplicate metric name "${parsed.value.name}"`);
    seen.add(parsed.value.name);
    const def = toMetricDefinition(parsed.value, base);
    if (!def.ok) return def;
    metrics.push(def.value);
  }
  return { ok: true, value: metrics };
}

// ---------------------------------------------------------------- events

export const eventTypeSchema = z.enum(EVENT_TYPES, {
  error: (iss) =>
    iss.input === undefined ? 'required' : `unknown event type ${show(iss.input)} (expected one of ${EVENT_TYPES.join(', ')})`,
});

const eventBaseSchema = z.object(
  { at: instantSchema, type: eventTypeSchema, status: z.unknown().optional() },
  { error: 'must be an object' },
);

const requiredStatusSchema = z.enum(TICKET_STATUSES, {
  error: (iss) =>
    iss.input === undefined
      ? 'required for a status event'
      : `unknown status ${show(iss.input)} (expected one of ${TICKET_STATUSES.join(', ')})`,
});

/**
 * One input event, as one or two engine events. A message or note that also carries a `status`
 * ("reply and set pending", one action in every helpdesk UI) is the message followed, at the same
 * instant, by the status change — never a status change silently dropped.
 */
function parseEvent(item: unknown, base: readonly PathSegment[]): ParseResult<[SlaEvent, ...SlaEvent[]]> {
  const parsed = firstIssue(eventBaseSchema, item, base);
  if (!parsed.ok) return parsed;
  const { at, type, status } = parsed.value;
  const statusPath = [...base, 'status'];
  switch (type) {
    case 'created': {
      // A missing (or null) status on `created` means "new", per the contract.
      if (status === undefined || status === null) return { ok: true, value: [{ at, type, status: 'new' }] };
      const s = firstIssue(ticketStatusSchema, status, statusPath);
      return s.ok ? { ok: true, value: [{ at, type, status: s.value }] } : s;
    }
    case 'status': {
      const s = firstIssue(requiredStatusSchema, status, statusPath);
      return s.ok ? { ok: true, value: [{ at, type, status: s.value }] } : s;
    }
    default: {
      if (status === undefined || status === null) return { ok: true, value: [{ at, type }] };
      const s = firstIssue(ticketStatusSchema, status, statusPath);
      return s.ok ? { ok: true, value: [{ at, type }, { at, type: 'status', status: s.value }] } : s;
    }
  }
}

function parseEvents(raw: unknown): ParseResult<SlaEvent[]> {
  if (raw === undefined) return failure(['events'], 'required');
  if (!Array.isArray(raw)) return failure(['events'], 'must be a list of events');
  if (raw.length === 0) return failure(['events'], 'must contain at least the created event');
  const events: SlaEvent[] = [];
  for (const [i, item] of raw.entries()) {
    const base = ['events', i];
    const parsed = parseEvent(item, base);
    if (!parsed.ok) return parsed;
    const [event] = parsed.value;
    const previous = events.at(-1);
    if (previous !== undefined && event.at < previous.at) {
      return failure([...base, 'at'], `out of time order: earlier than events[${i - 1}].at`);
    }
    if (i === 0 && event.type !== 'created') return failure([...base, 'type'], 'the first event must be "created"');
    if (i > 0 && event.type === 'created') return failure([...base, 'type'], '"created" must appear exactly once, as the first event');
    events.push(...parsed.value);
  }
  return { ok: true, value: events };
}

// ---------------------------------------------------------------- top level

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type ParsedSimulation = { ok: true; value: SimulationInput; calendar: BusinessCalendar };

/**
 * Validate raw JSON. On success also returns the compiled calendar (validation had to compile it
 * anyway), so callers need not compile twice. Unknown keys are ignored.
 */
export function parseSimulationInput(raw: unknown): ParsedSimulation | ParseFailure {
  if (!isRecord(raw)) return failure([], 'must be a JSON object');
  const calendar = validateCalendarInput(raw.calendar);
  if (!calendar.ok) return calendar;
  const metrics = parseMetrics(raw.metrics);
  if (!metrics.ok) return metrics;
  let pauseStatuses: TicketStatus[] = ['pending'];
  if (raw.pause_statuses !== undefined && raw.pause_statuses !== null) {
    const p = firstIssue(pauseStatusesSchema, raw.pause_statuses, ['pause_statuses']);
    if (!p.ok) return p;
    pauseStatuses = p.value;
  }
  const events = parseEvents(raw.events);
  if (!events.ok) return events;
  let at: number | null = null;
  if (raw.at !== undefined && raw.at !== null) {
    const a = firstIssue(instantSchema, raw.at, ['at']);
    if (!a.ok) return a;
    at = a.value;
  }
  const spec: CalendarSpec | null = calendar.value.spec;
  return {
    ok: true,
    value: { calendar: spec, metrics: metrics.value, pause_statuses: pauseStatuses, events: events.value, at },
    calendar: calendar.value.compiled,
  };
}
