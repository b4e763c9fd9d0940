import type { NaiveBayesModel } from '../../core/triage/classifier.ts';
import type { Queryable } from '../../store/db.ts';

export type ClassifierTarget = 'type' | 'priority';
export type LiveModel = { id: string; model: NaiveBayesModel };

// Parsed models are kept per database and target: intake reads only the id of the newest model (an
// index lookup) and parses its JSON once per training run, not once per ticket. The slot is per target —
// one shared slot made the type and priority models evict each other, re-reading both (~1 MB) per ticket.
const parsed = new WeakMap<object, Map<ClassifierTarget, LiveModel>>();

export async function liveModel(q: Queryable, target: ClassifierTarget): Promise<LiveModel | null> {
  const [head] = await q.query<{ id: string }>('SELECT id::text AS id FROM classifier_models WHERE target = $1 ORDER BY id DESC LIMIT 1', [target]);
  if (!head) return null;
  let cache = parsed.get(q.cacheScope);
  if (!cache) {
    cache = new Map();
    parsed.set(q.cacheScope, cache);
  }
  const cached = cache.get(target);
  if (cached?.id === head.id) return cached;
  const [row] = await q.query<{ model: NaiveBayesModel }>('SELECT model FROM classifier_models WHERE id = $1', [head.id]);
  if (!row) return null;
  const live = { id: head.id, model: row.model };
  cache.set(target, live);
  return live;
}

export async function triageSetting<T>(q: Queryable, key: 'classifier_threshold' | 'repeat_window_days', fallback: T): Promise<T> {
  const [row] = await q.query<{ value: T }>('SELECT value FROM triage_settings WHERE key = $1', [key]);
  return row ? row.value : fallback;
}
