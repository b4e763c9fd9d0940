import type { NaiveBayesModel } from '../../core/triage/classifier.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { announceConfigChange, cachedConfig } from '../shared/config-cache.ts';

export type ClassifierTarget = 'type' | 'priority';
export type LiveModel = { id: string; model: NaiveBayesModel };

/**
 * The newest model for the target (the live one), parsed once per process and training run: intake asks for
 * every ticket, a retrain in any process drops the cached copies (announceClassifierChange).
 */
export async function liveModel(ctx: AppContext, q: Queryable, target: ClassifierTarget): Promise<LiveModel | null> {
  return cachedConfig(ctx.db, `classifier:${target}`, async () => {
    const [row] = await q.query<LiveModel>('SELECT id::text AS id, model FROM classifier_models WHERE target = $1 ORDER BY id DESC LIMIT 1', [target]);
    return row ?? null;
  });
}

/** In the training transaction: every process reads the new models once it commits. */
export async function announceClassifierChange(tx: Queryable): Promise<void> {
  await announceConfigChange(tx, 'classifier');
}
