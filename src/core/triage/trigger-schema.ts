import { z } from 'zod';
import { CHANNELS } from '../tickets/ticket-model.ts';
import { checkPattern } from './safe-pattern.ts';
import { triggerEmailSchema } from './trigger-messages.ts';

// Trigger rules as admins write them (API) and as they are stored (triggers.conditions / .actions).

export const TRIGGER_EVENTS = ['created', 'customer_replied', 'updated'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

const key = z.string().trim().min(1).max(40);
const text = z.string().min(1).max(200);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const conditionSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('channel'), op: z.enum(['is', 'is_not']), value: z.array(z.enum(CHANNELS)).min(1) }),
  z.object({ field: z.literal('support_address'), op: z.enum(['is', 'is_not']), value: z.array(z.string().trim().toLowerCase().email()).min(1) }),
  z.object({ field: z.literal('requester_email'), op: z.enum(['is', 'ends_with']), value: z.array(z.string().trim().toLowerCase().min(1).max(254)).min(1) }),
  z.object({ field: z.literal('organization_id'), op: z.enum(['is', 'is_not']), value: z.array(z.string().uuid()).min(1) }),
  z.object({ field: z.literal('tier'), op: z.enum(['is', 'is_not']), value: z.array(key).min(1) }),
  z.object({ field: z.literal('type'), op: z.enum(['is', 'is_not']), value: z.array(key).min(1) }),
  z.object({ field: z.literal('priority'), op: z.enum(['is', 'is_not']), value: z.array(key).min(1) }),
  z.object({ field: z.literal('language'), op: z.enum(['is', 'is_not']), value: z.array(z.string().trim().min(2).max(10)).min(1) }),
  z.object({ field: z.literal('tags'), op: z.enum(['include_any', 'include_none']), value: z.array(z.string().trim().min(1).max(50)).min(1) }),
  z.object({
    field: z.enum(['subject', 'body', 'text']), op: z.enum(['contains_any', 'contains_none', 'matches']),
    // Keywords (a list) for contains_*, one RE2 pattern (a string) for matches.
    value: z.union([z.array(text).min(1).max(50), z.string().min(1).max(1000)]),
  }).superRefine((c, ctx) => {
    if (c.op !== 'matches') {
      if (typeof c.value === 'string') ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a list of keywords' });
      return;
    }
    if (typeof c.value !== 'string') return ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be one regular expression' });
    const problem = checkPattern(c.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  }),
  z.object({
    field: z.literal('local_time'), op: z.enum(['within', 'outside']),
    value: z.object({
      time_zone: z.string().min(1).max(64).refine((tz) => isZone(tz), 'is not a known time zone'),
      days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
      from: hhmm, to: hhmm,
    }).strict(),
  }),
]);
export type TriggerCondition = z.infer<typeof conditionSchema>;

export const actionsSchema = z.object({
  type: key.optional(),
  priority: key.optional(),
  group_id: z.string().uuid().optional(),
  assignee_id: z.string().uuid().optional(),
  add_tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  remove_tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  internal_note: z.string().trim().min(1).max(5000).optional(),
  // Sending (trigger-messages.ts): through the outbox, in the firing transaction.
  email_requester: triggerEmailSchema.optional(),
  email_assignee: triggerEmailSchema.optional(),
  email_group: triggerEmailSchema.optional(),
  /** A registered webhook (POST /api/v1/webhooks): delivered signed, through the SSRF guard, with retries. */
  webhook_id: z.string().uuid().optional(),
}).strict().refine((a) => Object.values(a).some((v) => v !== undefined), 'must set at least one action');
export type TriggerActions = z.infer<typeof actionsSchema>;

export const triggerInput = z.object({
  name: z.string().trim().min(1).max(120),
  active: z.boolean().default(true),
  events: z.array(z.enum(TRIGGER_EVENTS)).min(1).default(['created']),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(conditionSchema).max(30).default([]),
  actions: actionsSchema,
  position: z.number().int().min(0).max(100_000).optional(),
}).strict();
export type TriggerInput = z.infer<typeof triggerInput>;

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
