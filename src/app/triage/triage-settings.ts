import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DEFAULT_MIN_EXAMPLES } from '../../core/triage/classifier.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { changeSettings, defineSettingsSection, loadSettings } from '../settings/settings.ts';

export const triageSettingsInput = z.object({
  classifier_threshold: z.number().min(0).max(1).optional(),
  repeat_window_days: z.number().int().min(1).max(365).optional(),
  classifier_min_examples: z.number().int().min(1).max(100_000).optional(),
}).strict();
export type TriageSettings = { classifier_threshold: number; repeat_window_days: number; classifier_min_examples: number };

/** The triage section of the settings store, as stored (defaults for what was never set). */
export const TRIAGE_SETTINGS = defineSettingsSection('triage', z.object({
  classifier_threshold: z.number().default(0.8),
  repeat_window_days: z.number().default(14),
  // Below this many training examples of a label the classifier only suggests it (review item 3).
  classifier_min_examples: z.number().default(DEFAULT_MIN_EXAMPLES),
}));

export async function getTriageSettings(ctx: AppContext, actor: Principal): Promise<TriageSettings> {
  requireStaff(actor);
  return loadSettings(ctx.db, TRIAGE_SETTINGS);
}

export async function updateTriageSettings(ctx: AppContext, actor: Principal, raw: unknown): Promise<TriageSettings> {
  requireStaff(actor, ['admin']);
  const input = parseInput(triageSettingsInput, raw);
  await changeSettings(ctx, actor, TRIAGE_SETTINGS, (current) => ({
    ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
  }));
  return getTriageSettings(ctx, actor);
}
