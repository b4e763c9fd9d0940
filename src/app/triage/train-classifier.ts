import { trainCalibrated, type Example, type ModelEvaluation } from '../../core/triage/classifier.ts';
import type { Principal } from '../../core/auth/principal.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { forgetCachedConfig } from '../shared/config-cache.ts';
import { announceClassifierChange, type ClassifierTarget } from './classifier-models.ts';

export type TrainingReport = Record<ClassifierTarget, { model_id: string | null; examples: number; labels: string[]; trained_at: Date | null; evaluation: ModelEvaluation | null }>;

/** The team's resolved tickets as labelled text: subject and the request's first message, labelled with the final type and priority. */
export async function resolvedExamples(q: Queryable): Promise<{ id: string; number: number; language: string | null; text: string; type: string; priority: string }[]> {
  return q.query(
    `SELECT t.id, t.number, t.language, t.subject || E'\\n' || COALESCE(m.body_text, '') AS text, t.type, t.priority
     FROM tickets t
     LEFT JOIN LATERAL (SELECT body_text FROM messages WHERE ticket_id = t.id ORDER BY created_at LIMIT 1) m ON true
     WHERE t.status IN ('solved', 'closed') ORDER BY t.created_at, t.id`);
}

/** Retrains both models in-process from resolved tickets and stores them; the newest model is live at once. */
export async function trainClassifier(ctx: AppContext, actor: Principal | null): Promise<TrainingReport> {
  // null: the CLI (`replyby triage train`), run by whoever operates the server.
  if (actor) requireStaff(actor, MANAGERS);
  const rows = await resolvedExamples(ctx.db);
  const report = {} as TrainingReport;
  await ctx.db.transaction(async (tx) => {
    for (const target of ['type', 'priority'] as const) {
      const examples: Example[] = rows.map((r) => ({ text: r.text, label: r[target] }));
      const labels = [...new Set(examples.map((e) => e.label))].sort();
      // One label teaches nothing: keep the previous model (or none) rather than one that always says the same.
      if (labels.length < 2) {
        report[target] = { model_id: null, examples: examples.length, labels, trained_at: null, evaluation: null };
        continue;
      }
      // Cross-validated: calibrates the confidences and measures accuracy per class and language on held-out folds.
      const { model, evaluation } = trainCalibrated(examples);
      const [row] = await tx.query<{ id: string }>('INSERT INTO classifier_models (target, model, examples, evaluation, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id',
        [target, JSON.stringify(model), examples.length, JSON.stringify(evaluation), ctx.now()]);
      // Old models are history nobody reads: keep the last few for comparison.
      await tx.query('DELETE FROM classifier_models WHERE target = $1 AND id NOT IN (SELECT id FROM classifier_models WHERE target = $1 ORDER BY id DESC LIMIT 3)', [target]);
      report[target] = { model_id: row?.id ?? null, examples: examples.length, labels, trained_at: ctx.now(), evaluation };
    }
    await announceClassifierChange(tx);
    // The live models decide every new ticket's suggested type and priority: a retrain is a configuration change.
    await recordAudit(tx, actor, { action: 'update', target: 'classifier', targetId: null, before: null,
      after: Object.fromEntries(Object.entries(report).map(([k, r]) => [k, { model_id: r.model_id, examples: r.examples, labels: r.labels }])) }, ctx.now());
  });
  forgetCachedConfig(ctx.db);
  return report;
}
