import { searchTerms } from './text.ts';

// Repeat contacts: two subjects are "similar" when their term sets overlap enough (Jaccard over the
// same normalised terms search uses: Chinese bigrams, Bulgarian stems, lower-cased words).

const STOP = new Set(['the', 'a', 'an', 'to', 'of', 'in', 'on', 'for', 'and', 'or', 'is', 'my', 'i', 'we', 'our', 'your', 'it', 'not', 're', 'fw', 'fwd', 'и', 'в', 'на', 'не', 'с', 'за', 'по', 'я', 'мы']);

export function subjectTerms(language: string, subject: string): Set<string> {
  return new Set(searchTerms(language, subject).filter((t) => !STOP.has(t) && t.length > 1));
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const t of a) if (b.has(t)) common += 1;
  return common / (a.size + b.size - common);
}

export const REPEAT_SIMILARITY = 0.5;

/** The most similar earlier subject at or above the threshold, or null. */
export function findRepeat<T extends { subject: string }>(language: string, subject: string, candidates: readonly T[], threshold = REPEAT_SIMILARITY): { match: T; similarity: number } | null {
  const mine = subjectTerms(language, subject);
  let best: { match: T; similarity: number } | null = null;
  for (const c of candidates) {
    const s = jaccard(mine, subjectTerms(language, c.subject));
    if (s >= threshold && (best === null || s > best.similarity)) best = { match: c, similarity: s };
  }
  return best;
}
