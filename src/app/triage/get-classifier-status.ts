import type { Principal } from '../../core/auth/principal.ts';
import type { ModelEvaluation } from '../../core/triage/classifier.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import type { ClassifierTarget } from './classifier-models.ts';

/** `evaluation`: cross-validated accuracy per class and language (null for a model trained before it was measured). */
export type LiveModelInfo = { model_id: string; examples: number; trained_at: Date; evaluation: ModelEvaluation | null } | null;
export type ClassifierStatus = Record<ClassifierTarget, LiveModelInfo>;

/** The live model of each target (the newest training run) and its evaluation, without the model itself: what the admin screen shows. */
export async function getClassifierStatus(ctx: AppContext, actor: Principal): Promise<ClassifierStatus> {
  requireStaff(actor);
  const rows = await ctx.db.query<{ target: ClassifierTarget; model_id: string; examples: number; trained_at: Date; evaluation: ModelEvaluation | null }>(
    `SELECT DISTINCT ON (target) target, id::text AS model_id, examples, created_at AS trained_at, evaluation FROM classifier_models ORDER BY target, id DESC`);
  const of = (target: ClassifierTarget): LiveModelInfo => {
    const r = rows.find((x) => x.target === target);
    return r ? { model_id: r.model_id, examples: r.examples, trained_at: r.trained_at, evaluation: r.evaluation } : null;
  };
  return { type: of('type'), priority: of('priority') };
}
