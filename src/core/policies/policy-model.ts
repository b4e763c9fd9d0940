import { z } from 'zod';
import { METRIC_CLOCKS, type GroupEventKind, isBuiltInMetricName, metricEventKindSchema, pauseStatusesSchema } from '../sla/index.ts';

// An SLA policy as stored and as the API accepts it. Targets may differ by priority inside one
// policy; with conditions on type and tier that makes the type × priority × tier matrix.

export const CONDITION_FIELDS = ['type', 'priority', 'tier', 'organization_id', 'channel', 'group_id', 'tags', 'urgency'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const conditionSchema = z.object({
  field: z.enum(CONDITION_FIELDS),
  op: z.enum(['in', 'not_in']).default('in'),
  values: z.array(z.string().min(1).max(100)).min(1).max(200),
});
export type PolicyCondition = z.infer<typeof conditionSchema>;

/**
 * What a policy's custom metric may start or stop on: the simulator's kinds, and `group:<group id>` — the
 * ticket enters (start_on) or leaves (stop_on) that group: an ownership clock. Only live tickets have groups,
 * so `sla simulate` keeps its own, narrower list.
 */
export const policyEventKindSchema = z.union([
  metricEventKindSchema,
  z.string().regex(/^group:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected an event kind or group:<group id>')
    .transform((s) => s as GroupEventKind),
], { error: 'unknown event kind (expected created, customer_message, agent_message, status:<status> or group:<group id>)' });

const minutes = z.number().int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(10 * 366 * 24 * 60);

export const policyMetricSchema = z
  .object({
    name: z.string().trim().min(1).max(60).regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
    /** Default target; `targets_by_priority` overrides it per ticket priority. */
    target_minutes: minutes.optional(),
    targets_by_priority: z.record(z.string().min(1).max(40), minutes).optional(),
    pause_statuses: pauseStatusesSchema.optional(),
    start_on: z.array(policyEventKindSchema).min(1).optional(),
    stop_on: z.array(policyEventKindSchema).min(1).optional(),
    repeat: z.boolean().optional(),
    /** Which time the target counts: `calendar` = wall-clock ("24 hours" is 24 hours), `business` (or absent) = the calendar's open hours. */
    clock: z.enum(METRIC_CLOCKS).optional(),
    /** Warn when this share of the target is used (e.g. 75). */
    warn_at_percent: z.array(z.number().int().min(1).max(99)).max(5).default([]),
    /** Warn when this many business minutes are left (e.g. 15). */
    warn_at_minutes_left: z.array(minutes).max(5).default([]),
  })
  .refine((m) => m.target_minutes !== undefined || (m.targets_by_priority && Object.keys(m.targets_by_priority).length > 0), {
    message: 'needs target_minutes or targets_by_priority',
    path: ['target_minutes'],
  })
  .refine((m) => isBuiltInMetricName(m.name) || (m.start_on !== undefined && m.stop_on !== undefined), {
    message: 'a custom metric needs start_on and stop_on',
    path: ['start_on'],
  });
export type PolicyMetric = z.infer<typeof policyMetricSchema>;

/** What one level of the escalation ladder does once its offset after the breach has passed. */
export const ESCALATION_ACTIONS = ['notify_assignee', 'notify_supervisor_raise_priority', 'reassign_to_group_queue', 'notify_admin'] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

export const escalationSchema = z.object({
  /** Wall-clock minutes after the breach. */
  after_minutes: z.number().int('must be a whole number of minutes').min(0).max(366 * 24 * 60),
  action: z.enum(ESCALATION_ACTIONS),
});
export type Escalation = z.infer<typeof escalationSchema>;

/** Up to four levels, in increasing offset order (each level fires after the one before it). */
export const escalationsSchema = z.array(escalationSchema).max(4, 'at most 4 escalation levels')
  .refine((levels) => levels.every((l, i) => i === 0 || l.after_minutes > (levels[i - 1]?.after_minutes ?? -1)), 'offsets must increase from level to level');

/** The stale-request rule: a ticket pending on the customer is asked again, then solved with a notice. */
export const pendingRemindersSchema = z.object({
  remind_after_business_hours: z.number().min(0.01).max(10_000),
  solve_after_days: z.number().min(0.01).max(3650),
});
export type PendingReminders = z.infer<typeof pendingRemindersSchema>;

export type SlaPolicy = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  match: 'all' | 'any';
  conditions: readonly PolicyCondition[];
  calendar_id: string | null;
  pause_statuses: readonly string[];
  metrics: readonly PolicyMetric[];
  /** Absent on rows written before the monitor existed: read as no ladder. */
  escalations?: readonly Escalation[];
  pending_reminders?: PendingReminders | null;
};

/** The ticket attributes a policy can match on. */
export type PolicySubject = {
  type: string;
  priority: string;
  tier: string | null;
  organization_id: string | null;
  channel: string;
  group_id: string | null;
  tags: readonly string[];
  /** The customer's stated urgency (low/normal/high/critical); absent = normal. */
  urgency?: string;
};
