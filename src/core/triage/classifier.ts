// A multinomial naive Bayes text classifier over character n-grams, small enough to train in-process on
// a team's resolved tickets in well under a second. Character n-grams work across English, Russian,
// Bulgarian (inflection is absorbed by shared stems) and Chinese (no word segmentation needed).

export type NaiveBayesModel = {
  version: 1;
  labels: string[];
  /** Documents per label. */
  docs: number[];
  /** Per label: feature → number of documents of that label containing it. */
  features: Record<string, number>[];
  /** Per label: sum of its feature counts. */
  totals: number[];
  vocabulary: number;
  alpha: number;
};

export type Example = { text: string; label: string };
export type Prediction = { label: string; confidence: number };

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** Distinct features of a text: 2–4 character n-grams of each padded word; Chinese runs give characters and bigrams. */
export function features(text: string): Set<string> {
  const out = new Set<string>();
  const tokens = text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const token of tokens) {
    const chars = [...token];
    if (CJK.test(token)) {
      for (let i = 0; i < chars.length; i += 1) {
        out.add(chars[i] as string);
        if (i + 1 < chars.length) out.add(`${chars[i]}${chars[i + 1]}`);
      }
      continue;
    }
    const padded = [' ', ...chars, ' '];
    for (let n = 2; n <= 4; n += 1) {
      for (let i = 0; i + n <= padded.length; i += 1) out.add(padded.slice(i, i + n).join(''));
    }
  }
  return out;
}

export function trainNaiveBayes(examples: readonly Example[], alpha = 0.1): NaiveBayesModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const counts = labels.map(() => new Map<string, number>());
  const vocabulary = new Set<string>();
  for (const e of examples) {
    const li = index.get(e.label) as number;
    docs[li] = (docs[li] ?? 0) + 1;
    const map = counts[li] as Map<string, number>;
    for (const f of features(e.text)) {
      map.set(f, (map.get(f) ?? 0) + 1);
      vocabulary.add(f);
    }
  }
  return {
    version: 1, labels, docs, alpha, vocabulary: vocabulary.size,
    features: counts.map((m) => Object.fromEntries(m)),
    totals: counts.map((m) => [...m.values()].reduce((a, b) => a + b, 0)),
  };
}

/** The most likely label with its posterior probability, or null for an untrained model. */
export function predict(model: NaiveBayesModel, text: string): Prediction | null {
  const total = model.docs.reduce((a, b) => a + b, 0);
  if (total === 0 || model.labels.length === 0) return null;
  const fs = features(text);
  const scores = model.labels.map((_, li) => {
    const counts = model.features[li] ?? {};
    const denominator = Math.log((model.totals[li] ?? 0) + model.alpha * (model.vocabulary + 1));
    let score = Math.log((model.docs[li] ?? 0) / total);
    for (const f of fs) score += Math.log((counts[f] ?? 0) + model.alpha) - denominator;
    return score;
  });
  // Softmax in log space: the confidence is the posterior of the winner.
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  let best = 0;
  for (let i = 1; i < scores.length; i += 1) if ((scores[i] as number) > (scores[best] as number)) best = i;
  return { label: model.labels[best] as string, confidence: (exp[best] as number) / sum };
}

/** Deterministic held-out split by a string key (e.g. the ticket id): the same ticket always lands on the same side. */
export function isHeldOut(key: string, fraction = 0.2): boolean {
  let h = 2166136261;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  // FNV-1a alone leaves the high bits of short keys ("1001", "1002") correlated: finish with murmur3's mix.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < fraction;
}

export function majorityLabel(examples: readonly Example[]): string | null {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  let best: string | null = null;
  for (const [label, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = label;
  return best;
}
