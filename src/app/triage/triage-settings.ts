import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';

export const triageSettingsInput = z.object({
  classifier_threshold: z.number().min(0).max(1).optional(),
  repeat_window_days: z.number().int().min(1).max(365).optional(),
}).strict();
export type TriageSettings = { classifier_threshold: number; repeat_window_days: number };

export async function getTriageSettings(ctx: AppContext, actor: Principal): Promise<TriageSettings> {
  requireStaff(actor);
  const rows = await ctx.db.query<{ key: string; value: number }>('SELECT key, value FROM triage_settings');
  const map = new Map(rows.map((r) => [r.key, Number(r.value)]));
  return { classifier_threshold: map.get('classifier_threshold') ?? 0.8, repeat_window_days: map.get('repeat_window_days') ?? 14 };
}

export async function updateTriageSettings(ctx: AppContext, actor: Principal, raw: unknown): Promise<TriageSettings> {
  requireStaff(actor, ['admin']);
  const input = parseInput(triageSettingsInput, raw);
  await ctx.db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      await tx.query('INSERT INTO triage_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)]);
    }
  });
  return getTriageSettings(ctx, actor);
}
