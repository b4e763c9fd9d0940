import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { changeSettings, defineSettingsSection, loadSettings } from '../settings/settings.ts';

/** The customer notices an admin may switch off, each a per-language template (promise-mails.ts). */
export const NOTICE_KINDS = ['work_started', 'waiting_on_you', 'promise_about_to_pass', 'closure_request'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export type LifecycleSettings = {
  /** Wall-clock hours a solved ticket waits for the customer's answer before it closes (Zendesk: 4 days). */
  solved_close_after_hours: number;
  /** Days a closed ticket stays closed before it is archived (read-only). */
  archive_after_days: number;
  /** "The promise is about to pass" is sent this many minutes before the promised time. */
  promise_warning_minutes: number;
  /**
   * How many times the sweep may move an unanswered ticket's promise on its own. Each move tells the
   * customer; past this the promise stands (and the SLA monitor escalates to staff) instead of mailing
   * a new estimate every lead period.
   */
  promise_auto_extensions: number;
  /** Days a closure link in the mail keeps working. */
  closure_link_days: number;
  notices: Record<NoticeKind, boolean>;
};

export const LIFECYCLE_DEFAULTS: LifecycleSettings = {
  solved_close_after_hours: 96,
  archive_after_days: 30,
  promise_warning_minutes: 30,
  promise_auto_extensions: 2,
  closure_link_days: 14,
  notices: { work_started: true, waiting_on_you: true, promise_about_to_pass: true, closure_request: true },
};

export const lifecycleSettingsInput = z.object({
  solved_close_after_hours: z.number().int().min(1).max(24 * 90).optional(),
  archive_after_days: z.number().int().min(1).max(3650).optional(),
  promise_warning_minutes: z.number().int().min(1).max(24 * 60).optional(),
  promise_auto_extensions: z.number().int().min(0).max(10).optional(),
  closure_link_days: z.number().int().min(1).max(90).optional(),
  notices: z.object(Object.fromEntries(NOTICE_KINDS.map((k) => [k, z.boolean().optional()])) as Record<NoticeKind, z.ZodOptional<z.ZodBoolean>>).strict().optional(),
}).strict();

/** The lifecycle section of the settings store (app/settings): defaults for what was never set. */
export const LIFECYCLE_SETTINGS = defineSettingsSection('lifecycle', z.object({
  solved_close_after_hours: z.number().default(LIFECYCLE_DEFAULTS.solved_close_after_hours),
  archive_after_days: z.number().default(LIFECYCLE_DEFAULTS.archive_after_days),
  promise_warning_minutes: z.number().default(LIFECYCLE_DEFAULTS.promise_warning_minutes),
  promise_auto_extensions: z.number().default(LIFECYCLE_DEFAULTS.promise_auto_extensions),
  closure_link_days: z.number().default(LIFECYCLE_DEFAULTS.closure_link_days),
  // prefault: an absent object is parsed as {} so each notice gets its own default.
  notices: z.object(Object.fromEntries(NOTICE_KINDS.map((k) => [k, z.boolean().default(LIFECYCLE_DEFAULTS.notices[k])])) as Record<NoticeKind, z.ZodDefault<z.ZodBoolean>>).prefault({}),
}));

/** The settings as stored, defaults filled in. No access check: for jobs and use cases. */
export async function loadLifecycleSettings(q: Queryable): Promise<LifecycleSettings> {
  return loadSettings(q, LIFECYCLE_SETTINGS);
}

export async function getLifecycleSettings(ctx: AppContext, actor: Principal): Promise<LifecycleSettings> {
  requireStaff(actor);
  return loadLifecycleSettings(ctx.db);
}

export async function updateLifecycleSettings(ctx: AppContext, actor: Principal, raw: unknown): Promise<LifecycleSettings> {
  requireStaff(actor, ['admin']);
  const input = parseInput(lifecycleSettingsInput, raw);
  return changeSettings(ctx, actor, LIFECYCLE_SETTINGS, (current) => ({
    ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)), notices: { ...current.notices, ...(input.notices ?? {}) },
  }) as LifecycleSettings);
}
