// A multinomial naive Bayes text classifier over character n-grams, small enough to train in-process on
// a team's resolved tickets in well under a second. Character n-grams work across English, Russian,
// Bulgarian (inflection is absorbed by shared stems) and Chinese (no word segmentation needed).

import { detectLanguage, TRIAGE_LANGUAGES, type TriageLanguage } from './text.ts';

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
  /**
   * Temperature fitted on out-of-fold scores (see trainCalibrated): naive Bayes multiplies a hundred
   * correlated n-gram likelihoods as if they were independent, so its raw posteriors are 0 or 1. Dividing
   * the log scores by T before the softmax makes the confidence match the accuracy seen on held-out folds.
   * Absent in models trained before calibration: predict then uses 1 and only the shrinkage below.
   */
  temperature?: number;
};

export type Example = { text: string; label: string };
/**
 * `confidence` is the calibrated posterior of `label`, always strictly between 0 and 1; `probabilities`
 * holds every label's (they sum to 1). `applicable`: the model saw at least the minimum number of examples
 * of this label, so intake may apply it; otherwise it is only ever a suggestion.
 */
export type Prediction = { label: string; confidence: number; applicable: boolean; probabilities: Record<string, number> };

/** Examples a label needs before the classifier may apply it by itself (a setting; this is its default). */
export const DEFAULT_MIN_EXAMPLES = 20;
/**
 * Lidstone smoothing. Measured on the demo history (5-fold): 0.1 gives type 0.975 / priority 0.850, Laplace's 1
 * 0.905 / 0.813 (it drowns the few n-grams that carry urgency). Small alphas make raw posteriors extreme; the
 * fitted temperature, not the smoothing, is what makes the confidence honest.
 */
export const DEFAULT_ALPHA = 0.1;
const DEFAULT_FOLDS = 5;
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
    // One-letter words are function words in English, Russian and Bulgarian ("a", "I", "в", "с", "и"): which
    // template happened to use "a" said more about the wording than the topic.
    if (chars.length === 1) continue;
    // The whole word too: n-grams alone let "print" vote like "price" (" pri", "pri") for a quote.
    if (chars.length > 4) out.add(` ${token} `);
    // Intake scores every request: a word of single UTF-16 units (nearly all of them) is cut with substring
    // instead of joining arrays of characters (the same n-grams in the same order, several times faster).
    if (chars.length === token.length) addGrams(out, ` ${token} `, (s, i, n) => s.substring(i, i + n));
    else addGrams(out, [' ', ...chars, ' '], (s, i, n) => s.slice(i, i + n).join(''));
  }
  return out;
}

/** The 2–4 character n-grams of a padded word, shortest first. */
function addGrams<S extends string | string[]>(out: Set<string>, padded: S, cut: (s: S, i: number, n: number) => string): void {
  for (let n = 2; n <= 4; n += 1) {
    for (let i = 0; i + n <= padded.length; i += 1) out.add(cut(padded, i, n));
  }
}

type Prepared = { features: Set<string>; label: string };

function trainPrepared(examples: readonly Prepared[], alpha: number): NaiveBayesModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const counts = labels.map(() => new Map<string, number>());
  const vocabulary = new Set<string>();
  for (const e of examples) {
    const li = index.get(e.label) as number;
    docs[li] = (docs[li] ?? 0) + 1;
    const map = counts[li] as Map<string, number>;
    for (const f of e.features) {
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

/** The bare naive Bayes model (no calibration fitted: predict shrinks it toward the prior only). */
export function trainNaiveBayes(examples: readonly Example[], alpha = DEFAULT_ALPHA): NaiveBayesModel {
  return trainPrepared(examples.map((e) => ({ features: features(e.text), label: e.label })), alpha);
}

/**
 * Log joint score per label. Only n-grams the model has seen count: an unseen one would add the same
 * log(alpha) to every label but subtract each label's own normaliser, so long unfamiliar text ("URGENT
 * production down …") drifted toward the label with the fewest training n-grams (the short quote requests).
 */
/**
 * A model's scores per label for a text's features: one Map from n-gram to per-label log likelihoods
 * instead of a lookup per label in a plain object (5 × faster; a stored model stays plain JSON). Features
 * no label has seen add nothing.
 */
function fastScorer(model: NaiveBayesModel): (fs: ReadonlySet<string>) => number[] {
  const total = model.docs.reduce((a, b) => a + b, 0);
  const n = model.labels.length;
  const denominators = model.totals.map((t) => Math.log(t + model.alpha * (model.vocabulary + 1)));
  const unseen = denominators.map((d) => Math.log(model.alpha) - d);
  const table = new Map<string, Float64Array>();
  for (const [li, counts] of model.features.entries()) {
    for (const [f, count] of Object.entries(counts)) {
      let row = table.get(f);
      if (!row) {
        row = Float64Array.from(unseen);
        table.set(f, row);
      }
      row[li] = Math.log(count + model.alpha) - (denominators[li] as number);
    }
  }
  const base = model.docs.map((d) => Math.log(d / total));
  return (fs) => {
    const out = [...base];
    for (const f of fs) {
      const row = table.get(f);
      if (row) for (let li = 0; li < n; li += 1) out[li] = (out[li] as number) + (row[li] as number);
    }
    return out;
  };
}

// A live model is one cached object that scores every new ticket: its lookup table is built once per model.
const scorers = new WeakMap<NaiveBayesModel, (fs: ReadonlySet<string>) => number[]>();
function scorerOf(model: NaiveBayesModel): (fs: ReadonlySet<string>) => number[] {
  let scorer = scorers.get(model);
  if (!scorer) {
    scorer = fastScorer(model);
    scorers.set(model, scorer);
  }
  return scorer;
}

/** What turns scores into probabilities: the temperature, and the prior with its weight (from the training size). */
type Calibration = { temperature: number; prior: number[]; weight: number };

function calibrationOf(model: NaiveBayesModel, temperature = model.temperature ?? 1): Calibration {
  const total = model.docs.reduce((a, b) => a + b, 0);
  // Shrinkage toward the label frequencies with one pseudo-example per label: a model trained on n
  // examples can never be more sure than (n + k·prior)/(n + k) < 1, and every label keeps a share.
  const k = model.labels.length;
  return { temperature, prior: model.docs.map((d) => d / total), weight: total / (total + k) };
}

/** Tempered softmax in log space (subtracting the maximum keeps exp from overflowing), then the shrinkage. */
function probabilities(scores: readonly number[], c: Calibration): number[] {
  const scaled = scores.map((s) => s / c.temperature);
  const max = Math.max(...scaled);
  const exp = scaled.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e, i) => c.weight * (e / sum) + (1 - c.weight) * (c.prior[i] ?? 0));
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i += 1) if ((xs[i] as number) > (xs[best] as number)) best = i;
  return best;
}

/** The most likely label with its calibrated probability, or null for an untrained model. */
export function predict(model: NaiveBayesModel, text: string, minExamples = DEFAULT_MIN_EXAMPLES): Prediction | null {
  return predictFeatures(model, features(text), minExamples);
}

/** `predict` for a text's `features`, computed once when several models score the same text (type and priority at intake). */
export function predictFeatures(model: NaiveBayesModel, textFeatures: ReadonlySet<string>, minExamples = DEFAULT_MIN_EXAMPLES): Prediction | null {
  const total = model.docs.reduce((a, b) => a + b, 0);
  if (total === 0 || model.labels.length === 0) return null;
  const p = probabilities(scorerOf(model)(textFeatures), calibrationOf(model));
  const best = argmax(p);
  return {
    label: model.labels[best] as string,
    confidence: p[best] as number,
    // A model without a fitted temperature (trained before calibration, or by trainNaiveBayes) has confidences
    // nobody measured: it may suggest, never apply, until it is retrained.
    applicable: model.temperature !== undefined && (model.docs[best] ?? 0) >= minExamples,
    probabilities: Object.fromEntries(model.labels.map((l, i) => [l, p[i] as number])),
  };
}

export type ClassStats = { examples: number; correct: number; accuracy: number | null };
/** Cross-validated quality of a model, stored with it and shown to admins. */
export type ModelEvaluation = {
  /** 0 when there were too few examples to hold any out. */
  folds: number;
  examples: number;
  accuracy: number | null;
  /** Mean confidence of the held-out predictions: an honest model's is close to its accuracy. */
  mean_confidence: number | null;
  /** Expected calibration error: the gap between confidence and accuracy, averaged over 10 confidence bins. */
  calibration_error: number | null;
  temperature: number;
  /** Per true label: how many of its held-out examples were classified correctly (recall). */
  per_class: Record<string, ClassStats>;
  per_language: Record<TriageLanguage, ClassStats>;
};

/** One held-out prediction: the raw scores, the fold model's calibration parts, the truth. */
type Held = { fold: number; scores: number[]; prior: number[]; weight: number; truth: number; language: TriageLanguage };

const probabilitiesAt = (h: Held, temperature: number) => probabilities(h.scores, { temperature, prior: h.prior, weight: h.weight });

/** Temperature minimising the held-out negative log-likelihood: a coarse log-spaced grid, then a golden-section refinement. */
export function fitTemperature(held: readonly { scores: number[]; prior: number[]; weight: number; truth: number }[]): number {
  if (held.length === 0) return 1;
  // The probability of the true label only, without arrays: this runs ~100 times over every held-out example.
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let sum = 0;
    for (const h of held) {
      let max = -Infinity;
      for (const s of h.scores) if (s / t > max) max = s / t;
      let z = 0;
      for (const s of h.scores) z += Math.exp(s / t - max);
      const q = Math.exp((h.scores[h.truth] ?? -Infinity) / t - max) / z;
      sum -= Math.log(Math.max(h.weight * q + (1 - h.weight) * (h.prior[h.truth] ?? 0), 1e-300));
    }
    return sum;
  };
  const lo = Math.log(0.05);
  const hi = Math.log(10_000);
  const steps = 40;
  let best = lo;
  let bestValue = Infinity;
  for (let i = 0; i <= steps; i += 1) {
    const x = lo + ((hi - lo) * i) / steps;
    const v = nll(x);
    if (v < bestValue) [best, bestValue] = [x, v];
  }
  const step = (hi - lo) / steps;
  let a = best - step;
  let b = best + step;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 24; i += 1) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (nll(c) < nll(d)) b = d;
    else a = c;
  }
  return Math.exp((a + b) / 2);
}

function emptyStats(): ClassStats {
  return { examples: 0, correct: 0, accuracy: null };
}

/** Expected calibration error over `bins` equal-width confidence bins. */
export function calibrationError(predictions: readonly { confidence: number; correct: boolean }[], bins = 10): number | null {
  if (predictions.length === 0) return null;
  const sums = Array.from({ length: bins }, () => ({ n: 0, conf: 0, hit: 0 }));
  for (const p of predictions) {
    const bin = sums[Math.min(bins - 1, Math.floor(p.confidence * bins))] as { n: number; conf: number; hit: number };
    bin.n += 1;
    bin.conf += p.confidence;
    bin.hit += p.correct ? 1 : 0;
  }
  return sums.reduce((acc, b) => acc + (b.n === 0 ? 0 : (b.n / predictions.length) * Math.abs(b.hit / b.n - b.conf / b.n)), 0);
}

/**
 * Trains on all examples and calibrates by k-fold cross-validation: each fold is predicted by a model
 * trained on the others, the temperature is fitted on those held-out scores, and the evaluation of each
 * fold uses a temperature fitted on the other folds only (cross-fitting), so the reported accuracy and
 * calibration error come from predictions whose labels took no part in any fitting.
 */
export function trainCalibrated(examples: readonly Example[], opts: { alpha?: number; folds?: number } = {}): { model: NaiveBayesModel; evaluation: ModelEvaluation } {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const prepared = examples.map((e) => ({ features: features(e.text), label: e.label, language: detectLanguage(e.text) }));
  const model = trainPrepared(prepared, alpha);
  const k = Math.min(opts.folds ?? DEFAULT_FOLDS, Math.floor(prepared.length / 2));
  const perLanguage = Object.fromEntries(TRIAGE_LANGUAGES.map((l) => [l, emptyStats()])) as Record<TriageLanguage, ClassStats>;
  const perClass = Object.fromEntries(model.labels.map((l) => [l, emptyStats()]));
  if (k < 2 || model.labels.length < 2) {
    return { model, evaluation: { folds: 0, examples: prepared.length, accuracy: null, mean_confidence: null, calibration_error: null, temperature: 1, per_class: perClass, per_language: perLanguage } };
  }
  // Stratified: dealt round-robin in label order, so every fold holds each label in proportion and at least
  // two examples (k ≤ n/2), and no training set is empty.
  const foldOf: number[] = new Array<number>(prepared.length).fill(0);
  const byLabel = prepared.map((e, i) => ({ label: e.label, i })).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.i - b.i));
  for (const [position, { i }] of byLabel.entries()) foldOf[i] = position % k;
  const labelIndex = new Map(model.labels.map((l, i) => [l, i]));
  const held: Held[] = [];
  for (let fold = 0; fold < k; fold += 1) {
    const foldModel = trainPrepared(prepared.filter((_, i) => foldOf[i] !== fold), alpha);
    const c = calibrationOf(foldModel, 1);
    const score = fastScorer(foldModel);
    // The fold model may lack a rare label: its scores are laid out over the full model's labels.
    const position = model.labels.map((l) => foldModel.labels.indexOf(l));
    for (const [i, e] of prepared.entries()) {
      if (foldOf[i] !== fold) continue;
      const scores = score(e.features);
      held.push({
        fold, truth: labelIndex.get(e.label) as number, language: e.language,
        scores: position.map((p) => (p < 0 ? -Infinity : scores[p] as number)),
        prior: position.map((p) => (p < 0 ? 0 : c.prior[p] as number)), weight: c.weight,
      });
    }
  }
  model.temperature = fitTemperature(held);
  const outcomes: { confidence: number; correct: boolean }[] = [];
  for (let fold = 0; fold < k; fold += 1) {
    const temperature = fitTemperature(held.filter((h) => h.fold !== fold));
    for (const h of held) {
      if (h.fold !== fold) continue;
      const p = probabilitiesAt(h, temperature);
      const best = argmax(p);
      const correct = best === h.truth;
      outcomes.push({ confidence: p[best] as number, correct });
      for (const stats of [perClass[model.labels[h.truth] as string] as ClassStats, perLanguage[h.language]]) {
        stats.examples += 1;
        stats.correct += correct ? 1 : 0;
      }
    }
  }
  for (const stats of [...Object.values(perClass), ...Object.values(perLanguage)]) stats.accuracy = stats.examples ? stats.correct / stats.examples : null;
  const hits = outcomes.filter((o) => o.correct).length;
  return {
    model,
    evaluation: {
      folds: k, examples: prepared.length, accuracy: hits / outcomes.length,
      mean_confidence: outcomes.reduce((a, o) => a + o.confidence, 0) / outcomes.length,
      calibration_error: calibrationError(outcomes), temperature: model.temperature, per_class: perClass, per_language: perLanguage,
    },
  };
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
