import type { AppContext } from '../../app/context.ts';
import { trainClassifier } from '../../app/triage/train-classifier.ts';

/** `replyby triage train`: retrain the type and urgency classifier on resolved tickets and say what was learnt. */
export async function triageTrainCommand(ctx: AppContext, out: { write: (s: string) => unknown }): Promise<number> {
  const report = await trainClassifier(ctx, null);
  for (const [target, r] of Object.entries(report)) {
    out.write(r.model_id
      ? `${target}: model ${r.model_id} trained on ${r.examples} resolved tickets, labels ${r.labels.join(', ')}\n`
      : `${target}: not trained (${r.examples} resolved tickets, ${r.labels.length} label${r.labels.length === 1 ? '' : 's'}; at least two labels are needed)\n`);
  }
  return 0;
}
