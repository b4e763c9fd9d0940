import type { NaiveBayesModel } from '../../core/triage/classifier.ts';
import type { Queryable } from '../../store/db.ts';

export type ClassifierTarget = 'type' | 'priority';
export type LiveModel = { id: string; model: NaiveBayesModel };

// Parsed models are kept per database and model id: intake reads only the id of the newest model (an
// index lookup) and parses its JSON once per training run, not once per ticket.
const parsed = new WeakMap<object, Map<string, NaiveBayesModel>>();

export async function liveModel(q: Queryable, target: ClassifierTarget): Promise<LiveModel | null> {
  const [head] = await q.query<{ id: string }>('SELECT id::text AS id FROM classifier_models WHERE target = $1 ORDER BY id DESC LIMIT 1', [target]);
  if (!head) return null;
  let cache = parsed.get(q.cacheScope);
  if (!cache) {
    cache = new Map();
    parsed.set(q.cacheScope, cache);
  }
  let model = cache.get(head.id);
  if (!model) {
    const [row] = await q.query<{ model: NaiveBayesModel }>('SELECT model FROM classifier_models WHERE id = $1', [head.id]);
    if (!row) return null;
    model = row.model;
    cache.clear();
    cache.set(head.id, model);
  }
  return { id: head.id, model };
}
